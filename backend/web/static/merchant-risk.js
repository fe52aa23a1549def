// The merchant page's risk card (issue 18.6): the rules that apply to this merchant's orders and
// gifts (its own, and the consortium's defaults, read only), adding and retiring its own (risk
// scope), the requests held for its review with release / refuse buttons (risk scope), and the
// interceptions per day and rule.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { empty, errorBox, field, fill, h, loading, num, short } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

const KINDS = ["velocity_address", "velocity_member", "amount", "cooling", "blocklist"];
const ACTIONS = ["hold", "refuse"];

/** What a rule says, in words: each kind reads its own numbers.
 * @param {Answer<"GET /merchants/{token}/risk/rules">[number]} rule */
function ruleText(rule) {
  if (rule.kind === "amount") return t("risk.says.amount", { amount: num(rule.maxAmount) });
  if (rule.kind === "cooling") return t("risk.says.cooling", { seconds: num(rule.windowSeconds) });
  if (rule.kind === "blocklist") return t("risk.says.blocklist", { count: num(rule.addresses.length) });
  return t("risk.says.velocity", { count: num(rule.maxCount), seconds: num(rule.windowSeconds) });
}

/** The card on the merchant page (its rules and the consortium's, its held requests) and, with
 * `{ own: "consortium", held: false }` and a path under /consortium, on the consortium page (the
 * defaults, and every merchant's interceptions; reviewing stays with the merchants).
 * @param {HTMLElement} part @param {(p: string) => string} path @param {() => Record<string, string>} headers @param {(scope: string) => boolean} can
 * @param {{ own?: "merchant" | "consortium", held?: boolean, help?: string }} [options] */
export function riskSection(part, path, headers, can, { own = "merchant", held: showHeld = true, help = "risk.help" } = {}) {
  const rules = h("div", { testid: "risk-rules" });
  const held = h("div", { testid: "risk-held" });
  const counts = h("div", { testid: "risk-counts" });
  const result = h("div", { testid: "risk-result" });

  async function loadRules() {
    if (!rules.childElementCount) fill(rules, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/risk/rules">} */
      const list = await api.get(path("/risk/rules"), null, headers());
      if (!list.length) { fill(rules, empty(t("risk.noRules"))); return; }
      fill(rules, h("ul", { class: "stack" }, list.map((r) => h("li", { testid: `risk-rule-${r.id}` },
        h("strong", {}, t(`risk.kind.${r.kind}`)), " · ", ruleText(r), " → ", t(`risk.action.${r.action}`), " ",
        h("small", { class: "muted" }, t(r.scope === own && own === "consortium" ? "risk.scope.consortiumOwn" : `risk.scope.${r.scope}`)), " ",
        can("risk") && r.scope === own ? h("button", { type: "button", class: "link", onclick: () => retire(r.id) }, t("risk.retire")) : null))));
    } catch (error) {
      fill(rules, errorBox(error, loadRules));
    }
  }

  async function retire(id) {
    try {
      await api.del(path(`/risk/rules/${id}`), headers());
      loadRules();
    } catch (error) {
      fill(result, errorBox(error));
    }
  }

  async function loadHeld() {
    if (!held.childElementCount) fill(held, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/risk/held">} */
      const list = await api.get(path("/risk/held"), null, headers());
      if (!list.length) { fill(held, empty(t("risk.noneHeld"))); return; }
      fill(held, h("table", { class: "table small" }, h("tbody", {}, list.map((r) => h("tr", { testid: "risk-held-row" },
        h("td", {}, t(`risk.subject.${r.subject}`)), h("td", { class: "mono", title: r.hash }, short(r.hash)), h("td", { class: "mono", title: r.owner }, short(r.owner)),
        h("td", { class: "num" }, num(r.amount)), h("td", {}, t(`code.${r.code}`)),
        h("td", {}, can("risk") ? [
          h("button", { type: "button", class: "secondary", testid: "risk-release", onclick: () => decide(r.hash, "release") }, t("risk.release")), " ",
          h("button", { type: "button", class: "link", testid: "risk-refuse", onclick: () => decide(r.hash, "refuse") }, t("risk.refuse"))] : null))))));
    } catch (error) {
      fill(held, errorBox(error, loadHeld));
    }
  }

  async function decide(hash, decision) {
    try {
      /** @type {Answer<"POST /merchants/{token}/risk/reviews">} */
      const done = await api.post(path("/risk/reviews"), { hash, decision }, headers());
      fill(result, h("p", { class: "state ok", testid: "risk-decided" }, t(`risk.decided.${done.decision}`, { hash: short(done.hash) })));
    } catch (error) {
      fill(result, errorBox(error));
    }
    loadHeld();
    loadCounts();
  }

  async function loadCounts() {
    try {
      /** @type {Answer<"GET /merchants/{token}/risk/interceptions">} */
      const rows = await api.get(path("/risk/interceptions"), { days: 30 }, headers());
      if (!rows.length) { fill(counts, empty(t("risk.noInterceptions"))); return; }
      fill(counts, h("table", { class: "table small" },
        h("thead", {}, h("tr", {}, [t("risk.day"), t("risk.rule"), t("risk.outcome"), t("risk.count")].map((c) => h("th", {}, c)))),
        h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, r.day), h("td", {}, `#${r.ruleId} ${t(`risk.kind.${r.kind}`)}`),
          h("td", {}, t(`risk.outcome.${r.outcome}`)), h("td", { class: "num" }, num(r.count)))))));
    } catch (error) {
      fill(counts, errorBox(error, loadCounts));
    }
  }

  function form() {
    const kind = h("select", { name: "kind", testid: "risk-kind" }, KINDS.map((k) => h("option", { value: k }, t(`risk.kind.${k}`))));
    const action = h("select", { name: "action", testid: "risk-action" }, ACTIONS.map((a) => h("option", { value: a }, t(`risk.action.${a}`))));
    const number = (name) => h("input", { name, type: "number", min: "0", step: "1", inputmode: "numeric", testid: `risk-${name}` });
    const maxCount = number("maxCount"), windowSeconds = number("windowSeconds"), maxAmount = number("maxAmount");
    const addresses = h("textarea", { name: "addresses", rows: "3", placeholder: "0x…", spellcheck: "false", testid: "risk-addresses" });
    async function onSubmit(event) {
      event.preventDefault();
      const body = {
        kind: kind.value, action: action.value, maxCount: Number(maxCount.value || 0), windowSeconds: Number(windowSeconds.value || 0),
        maxAmount: Number(maxAmount.value || 0), addresses: addresses.value.split(/[\s,]+/).filter(Boolean),
      };
      try {
        /** @type {Answer<"POST /merchants/{token}/risk/rules">} */
        const rule = await api.post(path("/risk/rules"), body, headers());
        fill(result, h("p", { class: "state ok", testid: "risk-added" }, t("risk.added", { id: rule.id })));
        loadRules();
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    return h("form", { class: "form", onsubmit: onSubmit },
      h("p", { class: "muted small" }, t(help)),
      h("div", { class: "row" }, field(t("risk.kindLabel"), kind), field(t("risk.actionLabel"), action)),
      h("div", { class: "row" }, field(t("risk.maxCount"), maxCount), field(t("risk.windowSeconds"), windowSeconds), field(t("risk.maxAmount"), maxAmount)),
      field(t("risk.addresses"), addresses),
      h("div", { class: "row buttons" }, h("button", { type: "submit", class: "primary", testid: "risk-add" }, t("risk.add"))));
  }

  fill(part, rules, can("risk") ? form() : null, result, showHeld ? [h("h3", {}, t("risk.heldTitle")), held] : null, h("h3", {}, t("risk.countsTitle")), counts);
  loadRules();
  if (showHeld) loadHeld();
  loadCounts();
}
