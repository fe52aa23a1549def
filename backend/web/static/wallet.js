// The wallet page: connect, balances, swap (quote → sign → submit → watch), orders and
// cancelling, gifting, history. Every signature is eth_signTypedData_v4 in the user's wallet.
import { crossChainCard } from "./crosschain.js";
import { api, merchants, orderDomain } from "./api.js";
import { cancelAllTypedData, cancelTypedData, giftTypedData, randomBytes32, randomNonce, swapOrderTypedData, unixNow } from "./eip712.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { badge, card, copyable, debounce, empty, errorBox, errorText, field, fill, gate, h, kv, loading, num, pct, short, toast, when, yuan } from "./ui.js";

const FINAL = new Set(["settled", "rejected", "done", "failed"]);
const ZERO_ADDRESS = /^0x0{40}$/i;

/** What the user sees: an order voided by the owner's cancellation is "cancelled", not a
 * rejection (the API keeps state "rejected" with reason ORDER_CANCELLED). */
export function shownState(order) {
  return order.state === "rejected" && order.reason?.code === "ORDER_CANCELLED" ? "cancelled" : order.state;
}

/** The steps an order went through, and the one it waits for: a step it skipped (an order
 * voided in the queue never reached the chain) is not shown as done. */
export function orderSteps(order) {
  const shown = shownState(order);
  const onChain = Boolean(order.txHash || order.blockNumber) || ["submitted", "settled"].includes(order.state);
  if (shown === "received") return [["received", true], ["submitted", false], ["settled", false]];
  if (shown === "submitted") return [["received", true], ["submitted", true], ["settled", false]];
  return [["received", true], ...(onChain ? [["submitted", true]] : []), [shown, true]];
}
const SLIPPAGES = [10, 50, 100, 300];
const ORDER_LIFETIME = 30 * 60; // seconds a signed order stays valid
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function render(root) {
  const state = { address: null, info: null, merchants: [], alive: true, slippage: Number(localStorage.getItem("tongdui.slippage") || 50) };
  const top = h("div", { class: "stack" });
  fill(root, top);

  async function start() {
    fill(top, loading(t("wallet.title")));
    try {
      [state.info, state.merchants] = await Promise.all([orderDomain(), merchants(true)]);
    } catch (error) {
      fill(top, errorBox(error, start));
      return;
    }
    showConnect();
  }

  function showConnect(problem) {
    const body = [h("p", { class: "lead" }, t("wallet.intro"))];
    if (!wallet.hasWallet()) body.push(h("p", { class: "state error", testid: "no-wallet" }, t("wallet.noWallet")));
    else body.push(h("button", { type: "button", class: "primary", testid: "connect", onclick: connect }, t("wallet.connect")));
    if (problem) body.push(problem);
    fill(top, card(t("wallet.title"), ...body), marketsCard());
  }

  async function connect() {
    try {
      const address = await wallet.connect();
      const chain = await wallet.chainId();
      if (chain !== state.info.chainId) {
        showConnect(h("div", { class: "state error", role: "alert", testid: "wrong-chain" },
          t("wallet.wrongChain", { have: chain, want: state.info.chainId }), " ",
          h("button", { type: "button", class: "link", onclick: () => wallet.switchChain(state.info.chainId).then(connect, (e) => toast(errorText(e), "error")) }, t("wallet.switch"))));
        return;
      }
      state.address = address;
      showWallet();
    } catch (error) {
      showConnect(errorBox(error));
    }
  }

  const unsubscribe = wallet.onChange(() => { if (state.address) { state.address = null; connect(); } });

  function marketsCard() {
    return card(t("wallet.programs"), state.merchants.length
      ? h("table", { class: "table" }, h("thead", {}, h("tr", {}, h("th", {}, t("col.program")), h("th", { class: "num" }, t("col.pointValue")), h("th", {}, t("col.status")))),
        h("tbody", {}, state.merchants.map((m) => h("tr", {}, h("td", {}, m.name, " ", h("small", {}, m.symbol)), h("td", { class: "num" }, yuan(m.pointValue)), h("td", {}, t(`status.${m.status}`))))))
      : empty(t("wallet.noPrograms")));
  }

  // ─── connected ──────────────────────────────────────────────────────────────────────────
  const parts = {};
  function showWallet() {
    parts.balances = h("div", { testid: "balances" });
    parts.swap = h("div");
    parts.watch = h("div", { testid: "order-watch" });
    parts.orders = h("div", { testid: "orders" });
    parts.gift = h("div");
    parts.history = h("div", { testid: "history" });
    fill(top,
      h("div", { class: "account" }, h("span", { class: "dot ok" }), t("wallet.connectedAs"), " ", h("code", { class: "mono", testid: "address", title: state.address }, short(state.address)), " · ", t("wallet.chain", { id: state.info.chainId })),
      card(t("wallet.balances"), parts.balances),
      card(t("swap.title"), parts.swap, parts.watch),
      crossChainCard({ state, loadBalances }),
      card(t("orders.title"), parts.orders,
        h("p", { class: "muted small" }, t("orders.rejectedFinal")),
        h("button", { type: "button", class: "danger small", testid: "cancel-all", onclick: cancelAll }, t("orders.cancelAll"))),
      card(t("gift.title"), parts.gift),
      card(t("history.title"), parts.history));
    loadCounter();
    loadBalances();
    swapForm();
    loadOrders();
    giftForm();
    loadHistory();
  }

  async function loadBalances(minBlock = 0) {
    if (!parts.balances.childElementCount) fill(parts.balances, loading());
    try {
      let data;
      for (let i = 0; ; i++) {
        // minBlock: the server serves no kept answer older than the block we wait for
        data = await api.get(`/balances/${state.address}`, minBlock > 0 ? { minBlock } : null);
        if (minBlock <= 0 || (data.asOfBlock ?? 0) >= minBlock || i >= 20 || !state.alive) break;
        await sleep(500); // the indexer has not reached the settlement block yet
      }
      state.balances = Object.fromEntries(data.balances.map((b) => [b.token, b]));
      const rows = state.merchants.map((m) => {
        const held = state.balances[m.token];
        return h("tr", { "data-symbol": m.symbol }, h("td", {}, m.name, " ", h("small", {}, m.symbol)),
          h("td", { class: "num", testid: `points-${m.symbol}` }, num(held?.points ?? 0)),
          h("td", { class: "num" }, yuan(held?.value ?? 0)));
      });
      fill(parts.balances,
        h("table", { class: "table" }, h("thead", {}, h("tr", {}, h("th", {}, t("col.program")), h("th", { class: "num" }, t("col.points")), h("th", { class: "num" }, t("col.value")))),
          h("tbody", {}, rows),
          h("tfoot", {}, h("tr", {}, h("th", {}, t("col.total")), h("th"), h("th", { class: "num", testid: "total-value" }, yuan(data.totalValue))))),
        h("small", { class: "muted" }, t("wallet.asOf", { block: data.asOfBlock ?? "—" })));
      if (parts.refreshQuote) parts.refreshQuote();
    } catch (error) {
      fill(parts.balances, errorBox(error, () => loadBalances()));
    }
  }

  // ─── swap ───────────────────────────────────────────────────────────────────────────────
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
        const q = await api.get("/quote", { from: from.value, to: to.value, amount: n });
        if (mine !== seq) return;
        const bps = Number(slippage.value);
        const minOut = Math.floor((q.amountOut * (10000 - bps)) / 10000);
        const held = state.balances?.[from.value]?.points ?? 0;
        const toM = state.merchants.find((m) => m.token === to.value);
        const fromM = state.merchants.find((m) => m.token === from.value);
        current = { quote: q, minOut, fromM, toM };
        const tooSmall = q.grossValue < (q.minOrderValue ?? 0);
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
      const options = q.losslessAmounts || [];
      const pick = options.find((o) => o.amountIn <= held) || options[0];
      if (!pick) return null;
      const vars = { amount: num(pick.amountIn), from: fromM?.symbol ?? "", out: num(pick.amountOut), to: toM?.symbol ?? "", rounding: yuan(pick.rounding) };
      return h("p", { class: "hint-line", testid: "lossless" }, t(pick.rounding === 0 ? "swap.lossless" : "swap.lessLoss", vars), " ",
        h("button", { type: "button", class: "secondary small", testid: "lossless-use", onclick: () => { amount.value = String(pick.amountIn); refresh(); } }, t("swap.useAmount", { amount: num(pick.amountIn) })));
    }
    const later = debounce(refresh, 250);
    parts.refreshQuote = refresh;
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
      fill(parts.watch, h("p", { class: "state loading", testid: "signing" }, t("swap.signing")));
      try {
        const signature = await wallet.signTypedData(state.address, swapOrderTypedData(state.info, order));
        fill(parts.watch, loading(t("swap.submitting")));
        const accepted = await api.post("/orders", { ...order, signature, chainId: state.info.chainId, verifyingContract: state.info.exchange });
        amount.value = "";
        refresh();
        watchOrder(accepted.orderHash, current);
        loadOrders();
      } catch (error) {
        fill(parts.watch, errorBox(error));
        submitGate.set(null);
      }
    }

    fill(parts.swap, h("form", { class: "form", onsubmit: onSubmit, testid: "swap-form" },
      h("div", { class: "row" }, field(t("swap.from"), from), h("button", { type: "button", class: "swap-dir", title: t("swap.reverse"), onclick: () => { [from.value, to.value] = [to.value, from.value]; refresh(); } }, "⇄"), field(t("swap.to"), to)),
      h("div", { class: "row" }, field(t("swap.amount"), amount, maxButton), field(t("swap.slippage"), slippage)),
      quoteBox, h("div", { class: "row buttons" }, submit, submitGate.why)));
    submitGate.set(t("swap.why.amount"));
  }

  async function watchOrder(hash, context) {
    const box = h("div", { class: "order-status" });
    fill(parts.watch, box);
    let order;
    for (let i = 0; state.alive; i++) {
      try {
        order = await api.get(`/orders/${hash}`);
      } catch (error) {
        fill(box, errorBox(error));
        if (error.status && error.status !== 404) return;
      }
      if (order) fill(box, orderCard(order, context));
      if (order && FINAL.has(order.state)) break;
      await sleep(Math.min(500 + i * 100, 2000));
    }
    if (!order) return;
    loadOrders();
    if (order.state === "settled") toast(t("swap.settledToast"), "ok");
    // a rejection is on chain too (OrderRejected): the history shows it once indexed
    if (order.blockNumber) loadBalances(order.blockNumber).then(() => loadHistory(null, order.blockNumber));
  }

  function reasonText(reason) {
    if (!reason) return "";
    return errorText({ code: reason.code, message: reason.message });
  }

  function orderCard(order, context) {
    const sym = (token) => state.merchants.find((m) => m.token === token)?.symbol ?? short(token);
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

  // ─── orders (pending ones can be cancelled) ─────────────────────────────────────────────
  async function loadOrders() {
    if (!parts.orders.childElementCount) fill(parts.orders, loading());
    try {
      const data = await api.get("/orders", { owner: state.address });
      const orders = (data.orders || data.items || data).slice(0, 20);
      if (!orders.length) { fill(parts.orders, empty(t("orders.none"))); return; }
      const sym = (token) => state.merchants.find((m) => m.token === token)?.symbol ?? short(token);
      fill(parts.orders, h("ul", { class: "list" }, orders.map((o) => h("li", { class: "list-item", "data-order": o.orderHash },
        h("div", {}, badge(shownState(o)), " ", `${num(o.amountIn)} ${sym(o.fromToken)} → ${o.amountOut != null ? num(o.amountOut) : "≥ " + num(o.minAmountOut)} ${sym(o.toToken)}`,
          o.reason ? h("div", { class: "muted small" }, reasonText(o.reason)) : null),
        h("div", { class: "muted small" }, when(o.createdAt)),
        ["received", "submitted"].includes(o.state) ? h("button", { type: "button", class: "danger small", testid: "cancel-order", onclick: () => cancelOrder(o) }, t("orders.cancel")) : null))));
    } catch (error) {
      fill(parts.orders, errorBox(error, loadOrders));
    }
  }

  // The cancel-all counter orders are signed with (it moves after a cancel-all).
  async function loadCounter() {
    try {
      state.counter = (await api.get(`/counters/${state.address}`)).counter;
    } catch (error) {
      state.counter = state.counter ?? 0;
    }
  }

  // A signed cancel-all (IncrementCounter): every order signed so far is void, gas-free.
  async function cancelAll() {
    try {
      await loadCounter();
      const typed = cancelAllTypedData(state.info, state.address, state.counter, unixNow() + 600);
      const signature = await wallet.signTypedData(state.address, typed);
      const accepted = await api.post("/cancel-all", { ...typed.message, signature });
      toast(t("orders.cancelAllSent"), "ok");
      for (let i = 0; i < 20 && state.alive; i++) {
        await sleep(500);
        const now = await api.get(`/cancel-all/${accepted.requestHash}`).catch(() => null);
        if (!now || FINAL.has(now.state)) break;
      }
      await loadCounter();
      await loadOrders();
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  async function cancelOrder(order) {
    try {
      const deadline = unixNow() + 600;
      const typed = cancelTypedData(state.info, state.address, order.nonce, deadline);
      const signature = await wallet.signTypedData(state.address, typed);
      await api.post("/cancellations", { ...typed.message, signature });
      toast(t("orders.cancelSent"), "ok");
      for (let i = 0; i < 20 && state.alive; i++) {
        await sleep(500);
        await loadOrders();
        const now = await api.get(`/orders/${order.orderHash}`).catch(() => null);
        if (!now || FINAL.has(now.state)) break;
      }
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  // ─── gift ───────────────────────────────────────────────────────────────────────────────
  function giftForm() {
    const token = h("select", { name: "token", testid: "gift-token" }, state.merchants.map((m) => h("option", { value: m.token }, `${m.symbol} · ${m.name}`)));
    const to = h("input", { name: "to", placeholder: "0x…", autocomplete: "off", spellcheck: "false", testid: "gift-to" });
    const amount = h("input", { name: "value", type: "number", min: "1", step: "1", inputmode: "numeric", testid: "gift-amount" });
    const result = h("div", { testid: "gift-result" });
    async function onSubmit(event) {
      event.preventDefault();
      if (!/^0x[0-9a-fA-F]{40}$/.test(to.value.trim())) { fill(result, h("p", { class: "state error", testid: "gift-error" }, t("gift.badAddress"))); return; }
      if (ZERO_ADDRESS.test(to.value.trim())) { fill(result, h("p", { class: "state error", testid: "gift-error" }, t("gift.zeroAddress"))); return; }
      const value = Number(amount.value);
      if (!Number.isInteger(value) || value <= 0) { fill(result, h("p", { class: "state error", testid: "gift-error" }, t("code.ZERO_AMOUNT"))); return; }
      const merchant = state.merchants.find((m) => m.token === token.value);
      const transfer = { from: state.address, to: to.value.trim(), value, validAfter: 0, validBefore: unixNow() + 3600, nonce: randomBytes32() };
      fill(result, h("p", { class: "state loading" }, t("swap.signing")));
      try {
        const signature = await wallet.signTypedData(state.address, giftTypedData(state.info, merchant, transfer));
        const answer = await api.post("/gifts", { token: merchant.token, ...transfer, value: String(value), validAfter: "0", validBefore: String(transfer.validBefore), signature });
        fill(result, h("p", { class: "state loading", testid: "gift-sent" }, t("gift.received", { value: num(value), symbol: merchant.symbol, to: short(transfer.to) }), " ", badge(answer.state || "received")));
        amount.value = "";
        watchGift(answer, result, merchant, value, transfer.to);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(parts.gift, h("form", { class: "form", onsubmit: onSubmit, testid: "gift-form" },
      h("div", { class: "row" }, field(t("gift.token"), token), field(t("gift.amount"), amount)),
      field(t("gift.to"), to), h("button", { type: "submit", class: "primary" }, t("gift.sign")), result));
  }

  async function watchGift(answer, box, merchant, value, to) {
    const hash = answer.requestHash;
    if (!hash) return;
    for (let i = 0; i < 60 && state.alive; i++) {
      await sleep(700);
      let now;
      try { now = await api.get(`/gifts/${hash}`); } catch { return; } // no status route: keep the 202 answer
      if (FINAL.has(now.state)) {
        const vars = { value: num(value), symbol: merchant.symbol, to: short(to) };
        fill(box, now.state === "done"
          ? h("p", { class: "state ok", testid: "gift-final" }, t("gift.sent", vars), " ", badge(now.state))
          : h("p", { class: "state error", role: "alert", testid: "gift-final" }, badge(now.state), " ", t("gift.failed", vars), " ", reasonText(now.reason)));
        loadBalances(now.blockNumber || 0).then(() => loadHistory(null, now.blockNumber || 0));
        return;
      }
    }
  }

  // ─── history ────────────────────────────────────────────────────────────────────────────
  async function loadHistory(cursor, minBlock = 0) {
    if (!cursor) fill(parts.history, loading());
    try {
      const query = { cursor, limit: 20 };
      if (minBlock > 0) query.minBlock = minBlock; // the page must include our own swap
      const page = await api.get(`/history/${state.address}`, query);
      const items = page.items.map(historyRow);
      const list = cursor ? parts.history.querySelector("ul") : h("ul", { class: "list" });
      list.append(...items);
      const more = page.nextCursor ? h("button", { type: "button", class: "link", testid: "more", onclick: (e) => { e.target.remove(); loadHistory(page.nextCursor); } }, t("history.more")) : null;
      if (!cursor) fill(parts.history, page.items.length ? list : empty(t("history.none")), more);
      else if (more) parts.history.append(more);
    } catch (error) {
      fill(parts.history, errorBox(error, () => loadHistory()));
    }
  }

  function historyRow(item) {
    let text;
    const s = item.swap || {};
    if (item.kind === "swap") text = t("history.swap", { inn: num(s.amountIn), from: s.fromSymbol, out: num(s.amountOut), to: s.toSymbol });
    else if (item.kind === "rejected") text = t("history.rejected", { reason: errorText({ code: reasonCode(s.reason) || s.reason || "UNKNOWN_ERROR", message: s.reasonMessage }) });
    else if (item.kind === "transfer") text = t(item.direction === "in" ? "history.giftIn" : "history.giftOut", { amount: num(item.amount), symbol: item.symbol, who: short(item.counterparty) });
    else text = t(`history.${item.kind}`, { amount: num(item.amount), symbol: item.symbol });
    return h("li", { class: `list-item kind-${item.kind}` }, h("span", { class: `pill ${item.kind}` }, t(`kind.${item.kind}`)), h("span", { class: "grow" }, text), h("span", { class: "muted small" }, when(item.timestamp)));
  }

  start();
  return () => { state.alive = false; unsubscribe(); };
}

/** History gives a rejected order's stable code in `reason` (and `reasonMessage`); show it. */
function reasonCode(reason) {
  if (!reason) return undefined;
  return /^[A-Z_]+$/.test(reason) ? reason : undefined;
}
