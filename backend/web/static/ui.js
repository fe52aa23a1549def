// Small DOM helpers shared by the pages: element building, states, formatting.
import { has, lang, problemText, t } from "./i18n.js";

/** h("div", {class: "x", onclick}, child, "text", [more]) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "testid") el.dataset.testid = value;
    else if (key === "html") el.innerHTML = value;
    else if (key in el && key !== "list" && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const loading = (what) => h("p", { class: "state loading", testid: "loading" }, t("state.loading", { what: what || "" }));
export const empty = (text) => h("p", { class: "state empty", testid: "empty" }, text);
export function errorBox(error, retry) {
  return h("div", { class: "state error", role: "alert", testid: "error" },
    h("strong", {}, t("state.error")), " ", errorText(error),
    retry ? h("button", { type: "button", class: "link", onclick: retry }, t("action.retry")) : null);
}

// details that are settlement units: shown in yuan, as the page's amounts are
const YUAN_DETAILS = { INSUFFICIENT_SETTLEMENT_TOKENS: ["balance", "needed"], INSUFFICIENT_SETTLEMENT_BALANCE: ["balance", "needed"], INSUFFICIENT_COVER: ["balance", "needed"] };

// codes whose details.errors lists the request's invalid fields
const PROBLEM_CODES = new Set(["INVALID_REQUEST", "MALFORMED_ORDER", "MALFORMED_REQUEST"]);

/** A person's sentence for an error, always from the dictionary of the page's language: the
 * API's own English message is shown only on the English page, and only for a code the
 * dictionary does not know yet (tests/backend/test_web_messages.py keeps that set empty). */
export function errorText(error) {
  if (!error) return "";
  const code = error.code;
  if (!code) return lang() === "en" && error.message ? error.message : t("code.UNKNOWN_CODE", { code: "—" });
  const vars = { ...(error.details || {}), code };
  for (const name of YUAN_DETAILS[code] || []) if (vars[name] !== undefined && vars[name] !== null) vars[name] = yuan(vars[name]);
  if (PROBLEM_CODES.has(code)) {
    const problems = Array.isArray(error.details?.errors) ? error.details.errors : [];
    // our own INVALID_REQUEST sentences (a statement's period …) name no fields: in English say them
    if (!problems.length && code === "INVALID_REQUEST" && lang() === "en" && error.message) return t("code.INVALID_REQUEST", { errors: error.message });
    vars.errors = problems.length ? problems.map(problemText).join(lang() === "zh" ? "；" : "; ") : t("problem.other");
  }
  if (has(`code.${code}`)) return t(`code.${code}`, vars);
  if (/^HTTP_\d+$/.test(code)) return t("code.HTTP_ERROR");
  return lang() === "en" && error.message ? error.message : t("code.UNKNOWN_CODE", { code });
}

export function card(title, ...body) {
  return h("section", { class: "card" }, title ? h("h2", {}, title) : null, ...body);
}

export function field(label, input, hint) {
  const kind = input?.tagName === "SELECT" ? "field field-select" : "field"; // phones give selects a whole line
  return h("label", { class: kind }, h("span", { class: "label" }, label), input, hint ? h("small", { class: "hint" }, hint) : null);
}

export function kv(rows) {
  return h("dl", { class: "kv" }, rows.filter(Boolean).map(([k, v, id]) =>
    [h("dt", {}, k), h("dd", id ? { testid: id } : {}, v)]));
}

// ─── formatting ───────────────────────────────────────────────────────────────────────────

const locale = () => (lang() === "zh" ? "zh-CN" : "en-US");
export const num = (n) => (n === null || n === undefined || n === "" ? "—" : Number(n).toLocaleString(locale()));
/** Settlement units are fen: 100 per yuan. */
export const yuan = (fen) => (fen === null || fen === undefined ? "—"
  : `¥${(Number(fen) / 100).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
export const pct = (bps) => `${(Number(bps) / 100).toLocaleString(locale(), { maximumFractionDigits: 2 })}%`;
export const short = (a) => (a && a.length > 14 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a || "—");
export function when(unix) {
  if (!unix) return "—";
  return new Date(Number(unix) * 1000).toLocaleString(locale(), { dateStyle: "short", timeStyle: "medium" });
}
export function copyable(value, label) {
  return h("code", { class: "mono", title: value }, label || short(value));
}

/** Debounce: live quotes wait for the typing to pause. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

/** A button that says why it is disabled: the reason shows beside it and as its tooltip. */
export function gate(button, testid) {
  const why = h("small", { class: "why", testid: testid || `${button.dataset.testid || "button"}-why`, hidden: true });
  why.id = `why-${Math.random().toString(36).slice(2)}`;
  button.setAttribute("aria-describedby", why.id);
  const set = (reason) => {
    button.disabled = Boolean(reason);
    button.title = reason || "";
    why.textContent = reason || "";
    why.hidden = !reason;
  };
  return { why, set };
}

/** Today's date (YYYY-MM-DD) in China time, UTC+8: the day statements count in. */
export function chinaToday(now = Date.now()) {
  return new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

export function badge(state) {
  return h("span", { class: `badge ${state}`, testid: "state" }, t(`state.${state}`));
}

export function toast(message, kind = "info") {
  const el = h("div", { class: `toast ${kind}`, role: "status" }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
