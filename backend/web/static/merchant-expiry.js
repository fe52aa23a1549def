// The merchant page's expiry rule (SPEC16 §1): points issued now stay valid for N months,
// rounded up to the end of the month, quarter, half-year or year; 0 months = never expire.
// Read with `read`, changed with `value` (it is a term of the program, like its point value).
import { api } from "./api.js";
import { t } from "./i18n.js";
import { errorBox, field, fill, gate, h, kv, loading, num } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

export const ROUNDINGS = [1, 3, 6, 12];

/** The rule in words: "24 months, rounded up to the end of the quarter" or "never expire". */
export function ruleText(rule) {
  if (!rule.validityMonths) return t("rule.never");
  return t("rule.text", { months: num(rule.validityMonths), rounding: t(`rule.rounding.${rule.roundingMonths}`) });
}

/**
 * @param {HTMLElement} part
 * @param {(p: string) => string} path
 * @param {() => Record<string, string>} headers
 * @param {boolean} canChange
 */
export function expiryRuleSection(part, path, headers, canChange) {
  const current = h("div", { testid: "rule-current" });
  const note = h("div", { testid: "rule-result" });

  async function load() {
    if (!current.childElementCount) fill(current, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/expiry-rule">} */
      const rule = await api.get(path("/expiry-rule"), null, headers());
      fill(current, kv([[t("rule.current"), ruleText(rule), "rule-text"], rule.currentLastDay ? [t("rule.issuedNow"), t("rule.lastDay", { date: rule.currentLastDay }), "rule-last-day"] : null]));
      // the form starts from the rule in force, unless the merchant already began editing it
      // (a slow first answer must not overwrite what was typed meanwhile)
      if (canChange && !edited) { months.value = String(rule.validityMonths); rounding.value = String(rule.roundingMonths || 1); }
    } catch (error) {
      fill(current, errorBox(error, load));
    }
  }

  const months = h("input", { name: "validityMonths", type: "number", min: "0", max: "1200", step: "1", inputmode: "numeric", testid: "rule-months" });
  const rounding = h("select", { name: "roundingMonths", testid: "rule-rounding" }, ROUNDINGS.map((r) => h("option", { value: String(r) }, t(`rule.rounding.${r}`))));
  let edited = false;
  for (const input of [months, rounding]) input.addEventListener("input", () => { edited = true; });
  const submit = h("button", { type: "submit", class: "primary", testid: "rule-save" }, t("rule.save"));
  const submitGate = gate(submit, "rule-why");

  async function onSubmit(event) {
    event.preventDefault();
    const body = { validityMonths: Number(months.value || 0), roundingMonths: Number(rounding.value) };
    if (!Number.isInteger(body.validityMonths) || body.validityMonths < 0) { fill(note, h("p", { class: "state error" }, t("rule.why.months"))); return; }
    submitGate.set(t("merchant.why.sending"));
    fill(note, loading(t("merchant.sending")));
    try {
      /** @type {Answer<"PUT /merchants/{token}/expiry-rule">} */
      const rule = await api.put(path("/expiry-rule"), body, headers());
      fill(note, h("p", { class: "state ok", testid: "rule-saved" }, t("rule.saved", { rule: ruleText(rule) })));
      edited = false;
      load();
    } catch (error) {
      fill(note, errorBox(error));
    } finally {
      submitGate.set(null);
    }
  }

  fill(part, h("p", { class: "muted small" }, t("rule.help")), current,
    canChange ? h("form", { class: "form", onsubmit: onSubmit, testid: "rule-form" },
      h("div", { class: "row" }, field(t("rule.months"), months, t("rule.monthsHint")), field(t("rule.roundingLabel"), rounding)),
      h("div", { class: "row buttons" }, submit, submitGate.why), note) : null);
  load();
}
