// Small DOM helpers shared by the pages: element building, states, formatting.
import { t, lang } from "./i18n.js";

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

/** A person's sentence for an API error: our translation of its code where we have one. */
export function errorText(error) {
  if (!error) return "";
  const code = error.code;
  if (code) {
    const key = `code.${code}`;
    const translated = t(key, error.details || {});
    if (translated !== key) return lang() === "en" && error.message ? error.message : translated;
  }
  if (code === "NETWORK") return t("code.NETWORK");
  return error.message || String(error);
}

export function card(title, ...body) {
  return h("section", { class: "card" }, title ? h("h2", {}, title) : null, ...body);
}

export function field(label, input, hint) {
  return h("label", { class: "field" }, h("span", { class: "label" }, label), input, hint ? h("small", { class: "hint" }, hint) : null);
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
  : "¥" + (Number(fen) / 100).toLocaleString(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
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

export function badge(state) {
  return h("span", { class: `badge ${state}`, testid: "state" }, t(`state.${state}`));
}

export function toast(message, kind = "info") {
  const el = h("div", { class: `toast ${kind}`, role: "status" }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
