// The wallet page's orders card: the user's recent orders, cancelling a pending one (a signed
// CancelNonces) or every order signed so far (a signed IncrementCounter), both gas-free.
import { api } from "./api.js";
import { cancelAllTypedData, cancelTypedData, unixNow } from "./eip712.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { badge, card, empty, errorBox, errorText, fill, h, loading, num, toast, when } from "./ui.js";
import { FINAL, reasonText, sleep, symbolOf } from "./wallet-shared.js";
/** @import { Answer } from "./api-types.js" */

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

/** The card; sets `page.loadOrders` and `page.loadCounter`. */
export function ordersCard(page) {
  const { state } = page;
  const box = h("div", { testid: "orders" });

  async function loadOrders() {
    if (!box.childElementCount) fill(box, loading());
    try {
      /** @type {Answer<"GET /orders">} */
      const data = await api.get("/orders", { owner: state.address });
      const orders = data.orders.slice(0, 20);
      if (!orders.length) { fill(box, empty(t("orders.none"))); return; }
      const sym = (token) => symbolOf(page, token);
      fill(box, h("ul", { class: "list" }, orders.map((o) => h("li", { class: "list-item", "data-order": o.orderHash },
        h("div", {}, badge(shownState(o)), " ", `${num(o.amountIn)} ${sym(o.fromToken)} → ${o.amountOut != null ? num(o.amountOut) : `≥ ${num(o.minAmountOut)}`} ${sym(o.toToken)}`,
          o.reason ? h("div", { class: "muted small" }, reasonText(o.reason)) : null),
        h("div", { class: "muted small" }, when(o.createdAt)),
        ["received", "submitted"].includes(o.state) ? h("button", { type: "button", class: "danger small", testid: "cancel-order", onclick: () => cancelOrder(o) }, t("orders.cancel")) : null))));
    } catch (error) {
      fill(box, errorBox(error, loadOrders));
    }
  }

  // The cancel-all counter orders are signed with (it moves after a cancel-all).
  async function loadCounter() {
    try {
      /** @type {Answer<"GET /counters/{owner}">} */
      const answer = await api.get(`/counters/${state.address}`);
      state.counter = answer.counter;
    } catch {
      state.counter = state.counter ?? 0;
    }
  }

  // A signed cancel-all (IncrementCounter): every order signed so far is void, gas-free.
  async function cancelAll() {
    try {
      await loadCounter();
      const typed = cancelAllTypedData(state.info, state.address, state.counter, unixNow() + 600);
      const signature = await wallet.signTypedData(state.address, typed);
      /** @type {Answer<"POST /cancel-all">} */
      const accepted = await api.post("/cancel-all", { ...typed.message, signature });
      toast(t("orders.cancelAllSent"), "ok");
      for (let i = 0; i < 20 && state.alive; i++) {
        await sleep(500);
        /** @type {Answer<"GET /cancel-all/{request_hash}"> | null} */
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
        /** @type {Answer<"GET /orders/{order_hash}"> | null} */
        const now = await api.get(`/orders/${order.orderHash}`).catch(() => null);
        if (!now || FINAL.has(now.state)) break;
      }
    } catch (error) {
      toast(errorText(error), "error");
    }
  }

  page.loadOrders = loadOrders;
  page.loadCounter = loadCounter;
  return card(t("orders.title"), box,
    h("p", { class: "muted small" }, t("orders.rejectedFinal")),
    h("button", { type: "button", class: "danger small", testid: "cancel-all", onclick: cancelAll }, t("orders.cancelAll")));
}
