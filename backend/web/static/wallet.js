// The wallet page: connect, then one card each (one module each) for balances, swap (quote →
// sign → submit → watch), orders and cancelling, gifting and history. Every signature is
// eth_signTypedData_v4 in the user's wallet. The cards share the session and each other's
// loaders through one `page` object (wallet-shared.js).
import { merchants, orderDomain } from "./api.js";
import { crossChainCard } from "./crosschain.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { card, errorBox, errorText, fill, h, loading, short, toast } from "./ui.js";
import { balancesCard } from "./wallet-balances.js";
import { expiryCard } from "./wallet-expiry.js";
import { giftCard } from "./wallet-gift.js";
import { historyCard } from "./wallet-history.js";
import { ordersCard } from "./wallet-orders.js";
import { programsCard } from "./wallet-programs.js";
import { swapCard } from "./wallet-swap.js";
import { myVouchersCard, shopCard } from "./wallet-vouchers.js";

export { orderSteps, shownState } from "./wallet-orders.js";
/** @import { WalletPage, WalletState } from "./wallet-shared.js" */

export function render(root) {
  /** @type {WalletState} */
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
    fill(top, card(t("wallet.title"), ...body), programsCard(state.merchants));
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

  // ─── connected: the cards, each filling in its loader on `page` ─────────────────────────
  function showWallet() {
    // each card below sets its loaders on `page` before any of them is called
    const page = /** @type {WalletPage} */ ({ state });
    const cards = [
      balancesCard(page),
      expiryCard(page), // issue 16: points expiring, the voucher shop and the user's vouchers
      swapCard(page),
      shopCard(page),
      myVouchersCard(page),
      crossChainCard({ state, loadBalances: () => page.loadBalances() }),
      ordersCard(page),
      giftCard(page),
      historyCard(page),
    ];
    fill(top,
      h("div", { class: "account" }, h("span", { class: "dot ok" }), t("wallet.connectedAs"), " ", h("code", { class: "mono", testid: "address", title: state.address }, short(state.address)), " · ", t("wallet.chain", { id: state.info.chainId })),
      ...cards);
    page.loadCounter();
    page.loadBalances();
    page.loadOrders();
    page.loadHistory();
    page.loadExpiry();
    page.loadShop();
    page.loadVouchers();
  }

  start();
  return () => { state.alive = false; unsubscribe(); };
}
