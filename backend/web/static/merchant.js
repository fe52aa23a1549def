// The merchant page: the merchant's API key (sessionStorage only, gone when the tab closes),
// then its program at a glance, issuing, redeeming with the holder's consent, the point value
// within governance's bounds, the settlement account, swaps in and out, and charts.
import { api, merchants } from "./api.js";
import { barChart, bucketByTime, lineChart } from "./chart.js";
import { lang, t } from "./i18n.js";
import { operatorsSection, opLogSection } from "./merchant-operators.js";
import { expiryRuleSection } from "./merchant-expiry.js";
import { redeemDesk } from "./merchant-redeem.js";
import { riskSection } from "./merchant-risk.js";
import { voucherProductsSection } from "./merchant-vouchers.js";
import { webhooksSection } from "./merchant-webhooks.js";
import { bulkForm, membersForm } from "./merchant-members.js";
import * as wallet from "./provider.js";
import { card, empty, errorBox, errorText, field, fill, gate, h, kv, loading, num, pct, short, toast, when, yuan } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

const KEY = "tongdui.merchantKey";
const TOKEN = "tongdui.merchantToken";
const ALL_SCOPES = ["issue", "redeem", "value", "funds", "read", "webhooks", "risk", "vouchers"];

export function render(root) {
  /** @type {{ alive: boolean, key?: string, token?: string, whoami?: Answer<"GET /merchants/{token}/key">, merchant?: Answer<"GET /merchants/{token}"> }} */
  const state = { alive: true };
  const top = h("div", { class: "stack" });
  fill(root, top);

  const headers = () => ({ Authorization: `Bearer ${state.key}` });
  const path = (p) => `/merchants/${state.token}${p}`;

  function showLogin(problem) {
    const input = h("input", { type: "password", name: "apiKey", autocomplete: "off", placeholder: "tdk_…", testid: "api-key" });
    async function onSubmit(event) {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      buttonGate.set(t("merchant.why.checking"));
      fill(note, loading(t("merchant.checking")));
      try {
        await login(key);
      } catch (error) {
        buttonGate.set(null);
        fill(note, errorBox(error));
      }
    }
    const button = h("button", { type: "submit", class: "primary", testid: "api-key-submit" }, t("merchant.signIn"));
    const buttonGate = gate(button, "api-key-why");
    const note = h("div", {}, problem);
    fill(top, card(t("merchant.title"), h("p", { class: "lead" }, t("merchant.intro")),
      h("form", { class: "form", onsubmit: onSubmit }, field(t("merchant.apiKey"), input, t("merchant.keyHint")), h("div", { class: "row buttons" }, button, buttonGate.why), note)));
  }

  /** The key names its merchant: ask each program whose key it is (403 for the others). */
  async function login(key) {
    const list = await merchants(true);
    const remembered = sessionStorage.getItem(TOKEN);
    const order = [...list].sort((a, b) => Number(b.token === remembered) - Number(a.token === remembered));
    let lastError;
    for (const m of order) {
      try {
        state.whoami = await api.get(`/merchants/${m.token}/key`, null, { Authorization: `Bearer ${key}` });
        state.key = key;
        state.token = m.token;
        sessionStorage.setItem(KEY, key);
        sessionStorage.setItem(TOKEN, m.token);
        showDashboard();
        return;
      } catch (error) {
        lastError = error;
        if (error.status === 401) break; // unknown or revoked everywhere
      }
    }
    throw lastError || new Error(t("merchant.noMerchants"));
  }

  function logout() {
    sessionStorage.removeItem(KEY);
    sessionStorage.removeItem(TOKEN);
    state.key = state.token = null;
    showLogin();
  }

  // ─── dashboard ──────────────────────────────────────────────────────────────────────────
  const parts = {};
  // the key's scopes (GET …/key answers any key of the merchant) decide which forms appear:
  // a form the key cannot use would only answer 403
  const can = (scope) => state.whoami.scopes.includes(scope);
  const pair = (...cards) => { const shown = cards.filter(Boolean); return shown.length > 1 ? h("div", { class: "grid2" }, shown) : shown[0] || null; };

  function showDashboard() {
    const who = state.whoami;
    for (const name of ["overview", "issue", "redeem", "value", "funds", "members", "bulk", "controls", "pricing", "charts", "swaps", "webhooks", "risk", "operators", "oplog", "vouchers", "voucherSales", "desk", "expiryRule"]) parts[name] = h("div", { testid: `merchant-${name}` });
    const limited = ALL_SCOPES.some((scope) => !can(scope));
    fill(top,
      h("div", { class: "account" }, h("span", { class: "dot ok" }), t("merchant.signedInAs"), " ", h("strong", { testid: "merchant-symbol" }, who.symbol), " · ",
        h("small", { class: "muted", testid: "merchant-scopes" }, t("merchant.scopes", { scopes: who.scopes.map((s) => t(`scope.${s}`)).join(lang() === "zh" ? "、" : ", ") })), " ",
        h("button", { type: "button", class: "link", onclick: logout, testid: "sign-out" }, t("merchant.signOut"))),
      who.operatorKeyHeld ? null : h("p", { class: "state error" }, t("merchant.noOperatorKey")),
      limited ? h("p", { class: "state note", testid: "merchant-limited" }, t("merchant.limited")) : null,
      card(t("merchant.overview"), parts.overview),
      pair(can("issue") && card(t("merchant.issue"), parts.issue), can("redeem") && card(t("merchant.redeem"), parts.redeem)),
      // issue 16: the redemption desk, vouchers for sale and their sales, the expiry rule
      pair(can("redeem") && card(t("desk.title"), parts.desk), can("read") && card(t("rule.title"), parts.expiryRule)),
      (can("vouchers") || can("read")) && card(t("mv.title"), parts.vouchers),
      (can("vouchers") || can("read")) && card(t("mv.salesTitle"), parts.voucherSales),
      pair((can("read") || can("value")) && card(t("merchant.pointValue"), parts.value), can("funds") && card(t("merchant.settlement"), parts.funds)),
      pair(can("issue") && card(t("members.title"), parts.members), can("issue") && card(t("bulk.title"), parts.bulk)),
      can("read") && card(t("merchant.controls"), parts.controls),
      can("read") && card(t("pricing.title"), parts.pricing),
      can("read") && card(t("merchant.charts"), parts.charts),
      can("read") && card(t("merchant.swaps"), parts.swaps),
      can("read") && card(t("merchant.webhooks"), parts.webhooks),
      can("read") && card(t("risk.title"), parts.risk),
      can("read") && card(t("merchant.operators"), parts.operators),
      can("read") && card(t("merchant.oplog"), parts.oplog));
    loadOverview();
    if (can("issue")) issueForm();
    if (can("redeem")) redeemForm();
    if (can("read") || can("value")) loadValue();
    if (can("funds")) fundsForm();
    if (can("issue")) { membersForm({ path, headers }, parts.members); bulkForm({ path, headers }, parts.bulk); }
    if (can("read")) { loadControls(); loadPricing(); loadSwaps(); webhooksSection(parts.webhooks, path, headers, can); riskSection(parts.risk, path, headers, can); }
    const vouchers = can("vouchers") || can("read") ? voucherProductsSection({ products: parts.vouchers, sales: parts.voucherSales }, path, headers, can) : null;
    if (can("redeem")) redeemDesk(parts.desk, path, headers, () => vouchers?.reload());
    if (can("read")) expiryRuleSection(parts.expiryRule, path, headers, ALL_SCOPES.every(can)); // an admin key changes it
    if (can("read")) { operatorsSection(parts.operators, path, headers, ALL_SCOPES.every(can)); opLogSection(parts.oplog, path, headers); }
  }

  // minBlock: after a write, no kept statistics older than its block (see the API's minBlock)
  const refreshAll = (minBlock = 0) => { loadOverview(minBlock); if (can("read")) { loadValue(); loadControls(); loadPricing(); loadSwaps(); } };

  // Issuer keys (all revoked when the operator key is rotated) and frozen accounts, with who
  // froze them: the merchant clears only its own freezes, the consortium only its own.
  async function loadControls() {
    if (!parts.controls.childElementCount) fill(parts.controls, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/controls">} */
      const c = await api.get(path("/controls"), null, headers());
      const who = (f) => [f.byMerchant ? t("merchant.frozenByMerchant") : null, f.byGovernance ? t("merchant.frozenByGovernance") : null].filter(Boolean).join(" · ");
      fill(parts.controls,
        h("h4", {}, t("merchant.issuers")),
        c.issuers.length ? h("ul", { class: "mono small", testid: "merchant-issuers" }, c.issuers.map((a) => h("li", {}, a))) : empty(t("merchant.noIssuers")),
        h("h4", {}, t("merchant.frozen")),
        c.frozen.length
          ? h("table", { class: "table", testid: "merchant-frozen" }, h("tbody", {}, c.frozen.map((f) => h("tr", {}, h("td", { class: "mono small" }, f.account), h("td", {}, who(f))))))
          : empty(t("merchant.noFrozen")));
    } catch (error) {
      fill(parts.controls, errorBox(error, loadControls));
    }
  }

  async function loadOverview(minBlock = 0) {
    if (!parts.overview.childElementCount) fill(parts.overview, loading());
    try {
      const query = minBlock > 0 ? { minBlock } : null;
      /** @type {[Answer<"GET /merchants/{token}">, Answer<"GET /merchants/{token}/stats"> | null]} */
      const [m, stats] = await Promise.all([api.get(path("")), api.get(path("/stats"), query).catch(() => null)]);
      state.merchant = m;
      fill(parts.overview, h("div", { class: "tiles" },
        tile(t("merchant.pointValue"), yuan(m.pointValue), "tile-value"),
        tile(t("merchant.settlementBalance"), yuan(m.settlementBalance), "tile-settlement"),
        tile(t("merchant.outstanding"), num(m.pointsOutstanding), "tile-outstanding", t("merchant.ofCap", { cap: num(m.issuanceCap) })),
        tile(t("merchant.feesEarned"), yuan(stats?.feesEarned ?? 0), "tile-fees", t("merchant.feeCredit", { credit: yuan(m.feeCredit) })),
        tile(t("merchant.swapsOut"), num(stats?.swapsOut ?? 0), "tile-out", yuan(stats?.valueOut ?? 0)),
        tile(t("merchant.swapsIn"), num(stats?.swapsIn ?? 0), "tile-in", yuan(stats?.valueIn ?? 0)),
        tile(t("merchant.issued"), num(stats?.pointsIssued ?? 0), "tile-issued", t("merchant.holders", { n: num(stats?.holders ?? 0) })),
        tile(t("merchant.redeemed"), num(stats?.pointsRedeemed ?? 0), "tile-redeemed")),
        h("small", { class: "muted" }, `${m.name} · ${t(`status.${m.status}`)} · ${t("wallet.asOf", { block: stats?.asOfBlock ?? "—" })}`));
    } catch (error) {
      fill(parts.overview, errorBox(error, loadOverview));
    }
  }

  function tile(label, value, id, sub) {
    return h("div", { class: "tile" }, h("span", { class: "label" }, label), h("strong", { testid: id }, value), sub ? h("small", { class: "muted" }, sub) : null);
  }

  function txNote(answer) {
    return answer.status === "mined" ? t("merchant.mined", { block: num(answer.blockNumber) }) : t("merchant.pending", { tx: short(answer.txHash) });
  }

  function issueForm() {
    const to = h("input", { name: "to", placeholder: "0x…", autocomplete: "off", spellcheck: "false", testid: "issue-to" });
    const amount = h("input", { name: "amount", type: "number", min: "1", step: "1", inputmode: "numeric", testid: "issue-amount" });
    const result = h("div", { testid: "issue-result" });
    async function onSubmit(event) {
      event.preventDefault();
      buttonGate.set(t("merchant.why.sending"));
      fill(result, loading(t("merchant.sending")));
      try {
        /** @type {Answer<"POST /merchants/{token}/issue">} */
        const answer = await api.post(path("/issue"), { to: to.value.trim(), amount: Number(amount.value) }, headers());
        fill(result, h("p", { class: "state ok", testid: "issue-done" }, t("merchant.issued1", { amount: num(answer.amount), who: short(answer.holder) }), " ", txNote(answer)));
        amount.value = "";
        setTimeout(() => refreshAll(answer.blockNumber || 0), 800);
      } catch (error) {
        fill(result, errorBox(error));
      } finally {
        buttonGate.set(null);
      }
    }
    const button = h("button", { type: "submit", class: "primary", testid: "issue-submit" }, t("merchant.issueButton"));
    const buttonGate = gate(button, "issue-why");
    fill(parts.issue, h("form", { class: "form", onsubmit: onSubmit }, field(t("merchant.holder"), to), field(t("merchant.points"), amount), h("div", { class: "row buttons" }, button, buttonGate.why), result));
  }

  function redeemForm() {
    const holder = h("input", { name: "holder", placeholder: "0x…", autocomplete: "off", spellcheck: "false", testid: "redeem-holder" });
    const amount = h("input", { name: "amount", type: "number", min: "1", step: "1", inputmode: "numeric", testid: "redeem-amount" });
    const signature = h("textarea", { name: "signature", rows: 2, placeholder: "0x…", spellcheck: "false", testid: "redeem-signature" });
    const result = h("div", { testid: "redeem-result" });
    let request = null;
    async function prepare() {
      fill(result, loading());
      try {
        const deadline = Math.floor(Date.now() / 1000) + 900;
        /** @type {Answer<"GET /merchants/{token}/redemption-request">} */
        const data = await api.get(path("/redemption-request"), { holder: holder.value.trim(), amount: Number(amount.value), deadline }, headers());
        request = { holder: holder.value.trim(), amount: Number(amount.value), deadline, typedData: data.typedData };
        fill(result, h("p", { class: "muted" }, t("merchant.consentAsk")),
          h("details", {}, h("summary", {}, t("merchant.consentDoc")), h("pre", { class: "mono small" }, JSON.stringify(data.typedData, null, 2))),
          wallet.hasWallet() ? h("button", { type: "button", class: "secondary", onclick: signHere }, t("merchant.signHere")) : null);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    async function signHere() {
      try {
        const account = await wallet.connect();
        signature.value = await wallet.signTypedData(account, request.typedData);
      } catch (error) {
        toast(errorText(error), "error");
      }
    }
    async function submit(event) {
      event.preventDefault();
      if (!request) { prepare(); return; }
      fill(result, loading(t("merchant.sending")));
      try {
        /** @type {Answer<"POST /merchants/{token}/redeem">} */
        const answer = await api.post(path("/redeem"), { holder: request.holder, amount: request.amount, deadline: request.deadline, signature: signature.value.trim() }, headers());
        fill(result, h("p", { class: "state ok" }, t("merchant.redeemed1", { amount: num(answer.amount), who: short(answer.holder) }), " ", txNote(answer)));
        request = null;
        signature.value = "";
        setTimeout(() => refreshAll(answer.blockNumber || 0), 800);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    for (const el of [holder, amount]) el.addEventListener("input", () => { request = null; });
    fill(parts.redeem, h("form", { class: "form", onsubmit: submit },
      h("p", { class: "muted small" }, t("merchant.redeemHelp")),
      field(t("merchant.holder"), holder), field(t("merchant.points"), amount),
      h("button", { type: "button", class: "secondary", onclick: prepare }, t("merchant.prepareConsent")),
      field(t("merchant.holderSignature"), signature),
      h("button", { type: "submit", class: "primary" }, t("merchant.redeemButton")), result));
  }

  async function loadValue() {
    if (!parts.value.childElementCount) fill(parts.value, loading());
    if (!can("read")) { fill(parts.value, valueForm(null)); return; }
    try {
      /** @type {Answer<"GET /merchants/{token}/point-value">} */
      const b = await api.get(path("/point-value"), null, headers());
      fill(parts.value, kv([
        [t("merchant.current"), `${yuan(b.pointValue)} (${num(b.pointValue)} ${t("merchant.fen")})`, "value-current"],
        [t("merchant.allowed"), `${num(b.minAllowedValue)} – ${num(b.maxAllowedValue)} ${t("merchant.fen")} (±${pct(b.maxValueStepBps)})`, "value-bounds"],
        [t("merchant.interval"), t("merchant.seconds", { n: num(b.minValueInterval) })],
        [t("merchant.nextChange"), b.canChangeNow ? t("merchant.now") : when(b.nextChangeAllowedAt)],
      ]), can("value") ? valueForm(b) : null);
    } catch (error) {
      fill(parts.value, errorBox(error, loadValue));
    }
  }

  /** The new-value form; `b` (governance's bounds) is null for a key that cannot read them. */
  function valueForm(b) {
    const input = h("input", { type: "number", name: "value", min: b?.minAllowedValue, max: b?.maxAllowedValue, step: "1", value: b?.pointValue, testid: "value-input" });
    const result = h("div", { testid: "value-result" });
    async function onSubmit(event) {
      event.preventDefault();
      fill(result, loading(t("merchant.sending")));
      try {
        /** @type {Answer<"PUT /merchants/{token}/point-value">} */
        const answer = await api.put(path("/point-value"), { value: Number(input.value) }, headers());
        fill(result, h("p", { class: "state ok" }, t("merchant.valueSet", { old: yuan(answer.oldValue), now: yuan(answer.newValue) }), " ", txNote(answer)));
        setTimeout(() => { loadValue(); loadOverview(); }, 800);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    const button = h("button", { type: "submit", class: "primary", testid: "value-submit" }, t("merchant.setValue"));
    const buttonGate = gate(button, "value-why");
    buttonGate.set(b && !b.canChangeNow ? t("merchant.why.tooSoon", { when: when(b.nextChangeAllowedAt) }) : null);
    return h("form", { class: "form", onsubmit: onSubmit }, field(t("merchant.newValue"), input), h("div", { class: "row buttons" }, button, buttonGate.why), result);
  }

  function fundsForm() {
    const amount = h("input", { type: "number", name: "amount", min: "0.01", step: "0.01", inputmode: "decimal", testid: "funds-amount" });
    const result = h("div", { testid: "funds-result" });
    async function move(kind) {
      const fen = Math.round(Number(amount.value) * 100);
      if (!(fen > 0)) { fill(result, h("p", { class: "state error" }, t("code.ZERO_AMOUNT"))); return; }
      fill(result, loading(t("merchant.sending")));
      try {
        /** @type {Answer<"POST /merchants/{token}/deposit" | "POST /merchants/{token}/withdraw">} */
        const answer = await api.post(path(`/${kind}`), { amount: fen }, headers());
        fill(result, h("p", { class: "state ok", testid: "funds-done" }, t(`merchant.${kind}Done`, { amount: yuan(answer.amount), balance: yuan(answer.settlementBalance) }), " ", txNote(answer)));
        setTimeout(loadOverview, 500);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(parts.funds, h("form", { class: "form", onsubmit: (e) => e.preventDefault() },
      h("p", { class: "muted small" }, t("merchant.settlementHelp")),
      field(t("merchant.amountYuan"), amount),
      h("div", { class: "row buttons" }, h("button", { type: "button", class: "primary", testid: "funds-deposit", onclick: () => move("deposit") }, t("merchant.deposit")),
        h("button", { type: "button", class: "secondary", testid: "funds-withdraw", onclick: () => move("withdraw") }, t("merchant.withdraw"))), result));
  }

  async function loadSwaps() {
    if (!parts.swaps.childElementCount) fill(parts.swaps, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/swaps">} */
      const page = await api.get(path("/swaps"), { limit: 200 }, headers());
      const items = page.items;
      drawCharts(items);
      if (!items.length) { fill(parts.swaps, empty(t("merchant.noSwaps"))); return; }
      const list = await merchants();
      const sym = (token) => list.find((m) => m.token === token)?.symbol ?? short(token);
      fill(parts.swaps, h("div", { class: "scroll" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, h("th", {}, t("col.time")), h("th", {}, t("col.direction")), h("th", {}, t("col.swap")), h("th", { class: "num" }, t("col.value")), h("th", { class: "num" }, t("col.yourFee")))),
        h("tbody", {}, items.slice(0, 50).map((s) => h("tr", {},
          h("td", {}, when(s.timestamp)), h("td", {}, h("span", { class: `pill ${s.direction}` }, t(`merchant.dir.${s.direction}`))),
          h("td", {}, `${num(s.amountIn)} ${sym(s.fromToken)} → ${num(s.amountOut)} ${sym(s.toToken)}`),
          h("td", { class: "num" }, yuan(s.grossValue)), h("td", { class: "num" }, yuan(s.merchantFee))))))));
    } catch (error) {
      fill(parts.swaps, errorBox(error, loadSwaps));
      fill(parts.charts, empty(t("merchant.noSwaps")));
    }
  }

  // The pricing assistant: the index's daily value and flows, the suggested value with its
  // reasons, and "Accept" = the same PUT point-value as the form (one signed change).
  async function loadPricing() {
    if (!parts.pricing.childElementCount) fill(parts.pricing, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/pricing/suggestion">} */
      const s = await api.get(path("/pricing/suggestion"), null, headers());
      const labels = s.series.map((d) => new Date(d.day * 1000).toISOString().slice(5, 10));
      const fmt = (fen) => yuan(fen).replace(/\.00$/, "");
      const shown = (key, value) => (key === "at" ? when(value) : /Bps$/.test(key) ? pct(value) : ["inflow", "outflow", "net"].includes(key) ? yuan(value) : num(value));
      const params = (p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === null ? "—" : shown(k, v)]));
      const result = h("div", { testid: "pricing-result" });
      const changes = s.suggestedValue !== s.currentValue;
      async function accept() {
        fill(result, loading(t("merchant.sending")));
        try {
          /** @type {Answer<"PUT /merchants/{token}/point-value">} */
          const answer = await api.put(path("/point-value"), { value: s.suggestedValue }, headers());
          fill(result, h("p", { class: "state ok" }, t("merchant.valueSet", { old: yuan(answer.oldValue), now: yuan(answer.newValue) }), " ", txNote(answer)));
          setTimeout(() => { loadValue(); loadPricing(); loadOverview(); }, 800);
        } catch (error) {
          fill(result, errorBox(error));
        }
      }
      const button = h("button", { type: "button", class: "primary", onclick: accept, testid: "pricing-accept" }, t("pricing.accept"));
      const buttonGate = gate(button, "pricing-why");
      buttonGate.set(changes && !s.canAcceptNow ? t("merchant.why.tooSoon", { when: when(s.nextChangeAllowedAt) }) : null);
      fill(parts.pricing,
        h("div", { class: "grid2" },
          lineChart({ title: t("pricing.chartValue"), labels, format: num, series: [{ name: t("pricing.value"), values: s.series.map((d) => d.pointValue), color: "#8250df" }] }),
          barChart({ title: t("pricing.chartFlows"), labels, format: fmt, series: [
            { name: t("pricing.inflow"), values: s.series.map((d) => d.inflow), color: "#1f6feb" },
            { name: t("pricing.outflow"), values: s.series.map((d) => d.outflow) }] })),
        kv([
          [t("pricing.current"), `${yuan(s.currentValue)} (${num(s.currentValue)} ${t("merchant.fen")})`, "pricing-current"],
          [t("pricing.suggested"), `${yuan(s.suggestedValue)} (${num(s.suggestedValue)} ${t("merchant.fen")}, ${s.changeBps >= 0 ? "+" : ""}${pct(s.changeBps)})`, "pricing-suggested"],
          [t("pricing.cover"), s.coverRatioBps === null ? t("pricing.coverNone") : pct(s.coverRatioBps)],
        ]),
        h("p", { class: "muted" }, t("pricing.chainSays", { min: num(s.bounds.minAllowedValue), max: num(s.bounds.maxAllowedValue) })),
        h("h4", {}, t("pricing.reasons")),
        h("ul", { testid: "pricing-reasons" }, s.reasons.map((r) => h("li", { "data-code": r.code }, t(`pricing.reason.${r.code}`, params(r.params))))),
        !changes ? h("p", { class: "state note" }, t("pricing.keep")) : can("value") ? h("div", { class: "row buttons" }, button, buttonGate.why) : null,
        result);
    } catch (error) {
      fill(parts.pricing, errorBox(error, loadPricing));
    }
  }

  function drawCharts(items) {
    if (!items.length) { fill(parts.charts, empty(t("merchant.noChart"))); return; }
    const { labels, buckets } = bucketByTime(items, (s) => s.timestamp);
    const sum = (bucket, dir, f) => bucket.filter((s) => s.direction === dir).reduce((a, s) => a + f(s), 0);
    let running = 0;
    const fees = buckets.map((b) => (running += b.reduce((a, s) => a + s.merchantFee, 0)));
    const fmt = (fen) => yuan(fen).replace(/\.00$/, "");
    fill(parts.charts, h("div", { class: "grid2" },
      barChart({ title: t("merchant.chartVolume"), labels, format: fmt, series: [
        { name: t("merchant.dir.out"), values: buckets.map((b) => sum(b, "out", (s) => s.grossValue)) },
        { name: t("merchant.dir.in"), values: buckets.map((b) => sum(b, "in", (s) => s.paidToTarget)), color: "#1f6feb" }] }),
      lineChart({ title: t("merchant.chartFees"), labels, format: fmt, series: [{ name: t("merchant.feesEarned"), values: fees, color: "#2da44e" }] })));
  }

  const saved = sessionStorage.getItem(KEY);
  if (saved) {
    fill(top, loading(t("merchant.checking")));
    login(saved).catch((error) => { sessionStorage.removeItem(KEY); showLogin(errorBox(error)); });
  } else {
    showLogin();
  }
  return () => { state.alive = false; };
}


