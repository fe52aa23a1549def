// The wallet page's swap card: a live quote as the user types, the signed SwapOrder
// (eth_signTypedData_v4), and the order watched until it settles or is rejected.
import { api } from "./api.js";
import { randomNonce, swapOrderTypedData, unixNow } from "./eip712.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { badge, card, copyable, debounce, errorBox, errorText, field, fill, gate, h, kv, loading, num, pct, toast, yuan } from "./ui.js";
import { orderSteps, shownState } from "./wallet-orders.js";
import { FINAL, reasonText, sleep, symbolOf } from "./wallet-shared.js";
/** @import { Answer } from "./api-types.js" */

const SLIPPAGES = [10, 50, 100, 300];
const ORDER_LIFETIME = 30 * 60; // seconds a signed order stays valid

/** The card, for a connected session; sets `page.refreshQuote`. */
export function swapCard(page) {
  const { state } = page;
  const form = h("div");
  const watch = h("div", { testid: "order-watch" });

  function swapForm() {
    const options = () => state.merchants.filter((m) => m.status === "active").map((m) => h("option", { value: m.token }, `${m.symbol} · ${m.name}`));
    const from = h("select", { name: "from", testid: "swap-from" }, options());
    const to = h("select", { name: "to", testid: "swap-to" }, options());
    if (to.options.length > 1) to.selectedIndex = 1;
    const amount = h("input", { name: "amount", type: "number", min: "1", step: "1", inputmode: "numeric", placeholder: "1000", testid: "swap-amount" });
    const slippage = h("select", { name: "slippage", testid: "slippage" }, SLIPPAGES.map((bps) => h("option", { value: bps, selected: bps === state.slippage }, pct(bps))));
    const quoteBox = h("div", { class: "quote", testid: "quote" }, h("p", { class: "muted" }, t("swap.enterAmount")));
    const submit = h("button", { type: "submit", class: "primary", testid: "swap-submit", disabled: true }, t("swap.sign"));
    const submitGate = gate(submit, "swap-why");
    const maxButton = h("button", { type: "button", class: "link", onclick: () => { amount.value = state.balances?.[from.value]?.points ?? 0; refresh(); } }, t("swap.max"));
    let current = null;
    let seq = 0;

    async function refresh() {
      const n = Number(amount.value);
      current = null;
      if (from.value === to.value) { submitGate.set(t("code.SAME_TOKEN")); fill(quoteBox, h("p", { class: "state error" }, t("code.SAME_TOKEN"))); return; }
      if (!amount.value || !Number.isInteger(n) || n <= 0) { submitGate.set(t("swap.why.amount")); fill(quoteBox, h("p", { class: "muted" }, t("swap.enterAmount"))); return; }
      const mine = ++seq;
      submitGate.set(t("swap.why.quoting"));
      fill(quoteBox, loading(t("swap.quote")));
      try {
        /** @type {Answer<"GET /quote">} */
        const q = await api.get("/quote", { from: from.value, to: to.value, amount: n });
        if (mine !== seq) return;
        const bps = Number(slippage.value);
        const minOut = Math.floor((q.amountOut * (10000 - bps)) / 10000);
        const held = state.balances?.[from.value]?.points ?? 0;
        const toM = state.merchants.find((m) => m.token === to.value);
        const fromM = state.merchants.find((m) => m.token === from.value);
        current = { quote: q, minOut, fromM, toM };
        const tooSmall = q.grossValue < q.minOrderValue;
        const warn = n > held ? h("p", { class: "state error", testid: "quote-warning" }, t("swap.notEnough", { held: num(held), symbol: fromM?.symbol }))
          : tooSmall ? h("p", { class: "state error", testid: "quote-warning" }, errorText({ code: "ORDER_VALUE_TOO_LOW" })) : null;
        // the API splits its fee into the fee proper and rounding dust; nothing is computed here
        const split = q.rounding !== null && q.rounding !== undefined;
        const costPct = q.grossValue > 0 ? `${((q.fee / q.grossValue) * 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%` : "—";
        fill(quoteBox,
          kv([
            [t("swap.youReceive"), h("strong", {}, `${num(q.amountOut)} ${toM?.symbol ?? ""}`), "quote-out"],
            [t("swap.grossValue"), yuan(q.grossValue)],
            split ? [t("swap.feeCharged"), `${yuan(q.feeCharged)} (${pct(q.feeBps)}, ${t("swap.feeRoundedUp")})`, "quote-fee"]
              : [t("swap.feeAndRounding"), `${yuan(q.fee)}`, "quote-fee"],
            split ? [h("span", { title: t("swap.roundingHint", { symbol: toM?.symbol ?? "" }) }, t("swap.rounding")),
              h("span", {}, yuan(q.rounding), q.rounding > 0 ? h("small", { class: "muted block" }, t("swap.roundingHint", { symbol: toM?.symbol ?? "" })) : null), "quote-rounding"] : null,
            split && q.rounding > 0 ? ["", h("small", { class: "muted" }, t("swap.cost", { amount: yuan(q.fee), pct: costPct })), "quote-cost"] : null,
            [t("swap.minReceived"), `${num(minOut)} ${toM?.symbol ?? ""}`, "quote-min"],
            [t("swap.rate"), `1 ${fromM?.symbol} = ${yuan(q.fromPointValue)} · 1 ${toM?.symbol} = ${yuan(q.toPointValue)}`],
          ]), losslessHint(q, held, fromM, toM), warn);
        submitGate.set(n > held ? t("swap.why.notEnough") : tooSmall ? errorText({ code: "ORDER_VALUE_TOO_LOW" }) : minOut <= 0 ? t("swap.why.minZero") : null);
      } catch (error) {
        if (mine !== seq) return;
        // a refused amount (too small, a suspended program) is the user's to change: say what,
        // not "something went wrong"; a server or network failure keeps the retry box
        const userFixable = error.status >= 400 && error.status < 500;
        fill(quoteBox, userFixable ? h("p", { class: "state error", role: "alert", testid: "quote-refused" }, errorText(error)) : errorBox(error, refresh));
        submitGate.set(t("swap.why.quoteFailed"));
      }
    }

    /** The nearest amount the API found that loses nothing (or least) to rounding, with a
     * one-click way to use it; one the user can afford comes first. */
    function losslessHint(q, held, fromM, toM) {
      const options = q.losslessAmounts;
      const pick = options.find((o) => o.amountIn <= held) || options[0];
      if (!pick) return null;
      const vars = { amount: num(pick.amountIn), from: fromM?.symbol ?? "", out: num(pick.amountOut), to: toM?.symbol ?? "", rounding: yuan(pick.rounding) };
      return h("p", { class: "hint-line", testid: "lossless" }, t(pick.rounding === 0 ? "swap.lossless" : "swap.lessLoss", vars), " ",
        h("button", { type: "button", class: "secondary small", testid: "lossless-use", onclick: () => { amount.value = String(pick.amountIn); refresh(); } }, t("swap.useAmount", { amount: num(pick.amountIn) })));
    }
    const later = debounce(refresh, 250);
    page.refreshQuote = refresh;
    amount.addEventListener("input", later);
    for (const el of [from, to]) el.addEventListener("change", refresh);
    slippage.addEventListener("change", () => { state.slippage = Number(slippage.value); localStorage.setItem("tongdui.slippage", slippage.value); refresh(); });

    async function onSubmit(event) {
      event.preventDefault();
      if (!current) return;
      submitGate.set(t("swap.why.busy"));
      const order = {
        owner: state.address, fromToken: from.value, toToken: to.value, amountIn: String(current.quote.amountIn),
        minAmountOut: String(current.minOut), nonce: String(randomNonce()),
        deadline: String(unixNow() + ORDER_LIFETIME), counter: String(state.counter ?? 0),
      };
      fill(watch, h("p", { class: "state loading", testid: "signing" }, t("swap.signing")));
      try {
        const signature = await wallet.signTypedData(state.address, swapOrderTypedData(state.info, order));
        fill(watch, loading(t("swap.submitting")));
        /** @type {Answer<"POST /orders">} */
        const accepted = await api.post("/orders", { ...order, signature, chainId: state.info.chainId, verifyingContract: state.info.exchange });
        amount.value = "";
        refresh();
        watchOrder(accepted.orderHash);
        page.loadOrders();
      } catch (error) {
        fill(watch, errorBox(error));
        submitGate.set(null);
      }
    }

    fill(form, h("form", { class: "form", onsubmit: onSubmit, testid: "swap-form" },
      h("div", { class: "row" }, field(t("swap.from"), from), h("button", { type: "button", class: "swap-dir", title: t("swap.reverse"), onclick: () => { [from.value, to.value] = [to.value, from.value]; refresh(); } }, "⇄"), field(t("swap.to"), to)),
      h("div", { class: "row" }, field(t("swap.amount"), amount, maxButton), field(t("swap.slippage"), slippage)),
      quoteBox, h("div", { class: "row buttons" }, submit, submitGate.why)));
    submitGate.set(t("swap.why.amount"));
  }

  async function watchOrder(hash) {
    const box = h("div", { class: "order-status" });
    fill(watch, box);
    /** @type {Answer<"GET /orders/{order_hash}"> | undefined} */
    let order;
    for (let i = 0; state.alive; i++) {
      try {
        order = await api.get(`/orders/${hash}`);
      } catch (error) {
        fill(box, errorBox(error));
        if (error.status && error.status !== 404) return;
      }
      if (order) fill(box, orderCard(order));
      if (order && FINAL.has(order.state)) break;
      await sleep(Math.min(500 + i * 100, 2000));
    }
    if (!order) return;
    page.loadOrders();
    if (order.state === "settled") toast(t("swap.settledToast"), "ok");
    // a rejection is on chain too (OrderRejected): the history shows it once indexed
    if (order.blockNumber) page.loadBalances(order.blockNumber).then(() => page.loadHistory(null, order.blockNumber));
  }

  function orderCard(order) {
    const sym = (token) => symbolOf(page, token);
    const shown = shownState(order);
    return h("div", { class: `order ${shown}`, testid: "order" },
      h("ol", { class: "steps", testid: "steps" }, orderSteps(order).map(([s, done]) => h("li", { class: `${done ? "done" : ""} ${s}` }, t(`state.${s}`)))),
      h("p", {}, badge(shown), " ", `${num(order.amountIn)} ${sym(order.fromToken)} → `,
        order.amountOut != null ? `${num(order.amountOut)} ${sym(order.toToken)}` : `≥ ${num(order.minAmountOut)} ${sym(order.toToken)}`),
      order.reason && shown === "cancelled" ? h("p", { class: "state note", testid: "cancel-note" }, reasonText(order.reason)) : null,
      order.reason && shown !== "cancelled" ? h("p", { class: "state error", role: "alert", testid: "reject-reason" }, h("strong", {}, t("orders.reason")), " ", reasonText(order.reason)) : null,
      kv([
        [t("orders.hash"), copyable(order.orderHash)],
        order.txHash ? [t("orders.tx"), copyable(order.txHash)] : null,
        order.blockNumber ? [t("orders.block"), num(order.blockNumber)] : null,
        order.fee != null ? [t("swap.fee"), yuan(order.fee)] : null,
      ]));
  }

  swapForm();
  return card(t("swap.title"), form, watch);
}
