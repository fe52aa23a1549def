// The wallet page's voucher cards: the shop (each merchant's products, priced in the program
// the user pays with, "¥20 more" when the points do not cover it, a signed Purchase and, for
// the cash part, the payment provider's page) and "My vouchers" (status, expiry, a QR code of a
// short-lived signed VoucherRedemption that turns to "used" when the till redeems it, gifting).
import { api } from "./api.js";
import { randomNonce, unixNow } from "./eip712.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { qrSvg } from "./qr.js";
import { badge, card, empty, errorBox, field, fill, gate, h, kv, loading, num, short, toast, yuan } from "./ui.js";
import { redemptionPayload, voucherDomain, voucherTypedData } from "./voucher-eip712.js";
import { day, validityText } from "./voucher-format.js";
import { FINAL, reasonText, sleep, symbolOf } from "./wallet-shared.js";
/** @import { Answer } from "./api-types.js" */

const PURCHASE_LIFETIME = 30 * 60; // seconds a signed Purchase stays valid
const CODE_LIFETIME = 120; // seconds a redemption code is valid (SPEC16: ~2 minutes)
const CODE_REFRESHES = 5; // codes signed in a row before the user is asked to tap again
const POLL_MS = 1500;
const PURCHASE_FINAL = new Set(["settled", "rejected", "refunded"]);

/** The shop card; sets `page.loadShop`. */
export function shopCard(page) {
  const { state } = page;
  const active = () => state.merchants.filter((m) => m.status === "active");
  const merchant = h("select", { name: "merchant", testid: "shop-merchant" },
    h("option", { value: "" }, t("shop.allMerchants")), active().map((m) => h("option", { value: m.symbol }, `${m.symbol} · ${m.name}`)));
  const payWith = h("select", { name: "payWith", testid: "shop-pay-with" }, active().map((m) => h("option", { value: m.symbol }, `${m.symbol} · ${m.name}`)));
  const list = h("div", { testid: "shop-products" });
  const symbolToken = (symbol) => state.merchants.find((m) => m.symbol === symbol)?.token;
  const nameOf = (token) => state.merchants.find((m) => m.token === token)?.name ?? short(token);
  let seq = 0;

  async function load() {
    const mine = ++seq;
    shownQuery = `${merchant.value}|${payWith.value}`;
    if (!list.childElementCount) fill(list, loading(t("shop.title")));
    try {
      /** @type {Answer<"GET /vouchers/products">} */
      const products = await api.get("/vouchers/products", { merchant: merchant.value, payWith: payWith.value });
      if (mine !== seq) return;
      if (!products.length) { fill(list, empty(t("shop.none"))); return; }
      fill(list, h("ul", { class: "products" }, products.map(productItem)));
    } catch (error) {
      if (mine === seq) fill(list, errorBox(error, load));
    }
  }

  function productItem(p) {
    const box = h("div", { class: "checkout" });
    const soldOut = p.stock <= 0;
    const button = h("button", { type: "button", class: "primary", testid: "buy", onclick: () => checkout(p, box, buttonGate) }, t("shop.buy"));
    const buttonGate = gate(button, "buy-why");
    buttonGate.set(p.paused ? t("shop.why.paused") : soldOut ? t("shop.why.soldOut") : null);
    const price = p.quote
      ? [h("strong", {}, `${num(p.quote.pointsIn)} ${payWith.value}`), p.quote.cashAmount > 0 ? ` + ${yuan(p.quote.cashAmount)}` : "", " ", h("small", { class: "muted" }, `(${yuan(p.price)})`)]
      : yuan(p.price);
    return h("li", { class: "product", testid: `product-${p.productId}`, "data-name": p.name },
      h("div", { class: "product-head" }, h("strong", { testid: "product-name" }, p.name), " ", h("small", { class: "muted" }, nameOf(p.merchant))),
      p.terms ? h("p", { class: "muted small" }, p.terms) : null,
      kv([
        [t("voucher.faceValue"), yuan(p.faceValue)],
        [t("shop.price"), h("span", {}, price), "product-price"],
        [t("voucher.validity"), validityText(p)],
        [t("shop.stock"), soldOut ? t("shop.soldOut") : num(p.stock), "product-stock"],
        p.perUserLimit ? [t("voucher.perUserLimit"), t("shop.perUser", { n: num(p.perUserLimit) })] : null,
        [t("voucher.breakage"), t(`voucher.breakage.${p.breakage}`)],
      ]),
      h("div", { class: "row buttons" }, button, buttonGate.why), box);
  }

  /** The quote for this holder: what their points cover and the cash for the rest. */
  async function checkout(p, box, buttonGate) {
    fill(box, loading(t("shop.quote")));
    const symbol = payWith.value;
    try {
      /** @type {Answer<"GET /vouchers/quote">} */
      const q = await api.get("/vouchers/quote", { productId: p.productId, payWith: symbol, owner: state.address });
      const sign = h("button", { type: "button", class: "primary", testid: "buy-sign", onclick: () => buy(p, q, symbol, box) }, q.cashAmount > 0 ? t("shop.signAndPay", { amount: yuan(q.cashAmount) }) : t("shop.sign"));
      fill(box,
        kv([
          [t("shop.payPoints"), `${num(q.pointsIn)} ${symbol}`, "checkout-points"],
          q.cashAmount > 0 ? [t("shop.payCash"), yuan(q.cashAmount), "checkout-cash"] : null,
          q.pointsAvailable !== null && q.pointsAvailable !== undefined ? [t("shop.youHave"), `${num(q.pointsAvailable)} ${symbol}`, "checkout-held"] : null,
        ]),
        q.cashAmount > 0 ? h("p", { class: "state note", testid: "cash-more" }, t("shop.cashMore", { amount: yuan(q.cashAmount), symbol })) : null,
        h("div", { class: "row buttons" }, sign, h("button", { type: "button", class: "link", onclick: () => fill(box) }, t("shop.cancel"))));
    } catch (error) {
      fill(box, errorBox(error, () => checkout(p, box, buttonGate)));
    }
  }

  async function buy(p, q, symbol, box) {
    const purchase = {
      owner: state.address, productId: String(p.productId), payToken: symbolToken(symbol), pointsIn: String(q.pointsIn),
      cashAmount: String(q.cashAmount), nonce: String(randomNonce()), deadline: String(unixNow() + PURCHASE_LIFETIME),
    };
    fill(box, h("p", { class: "state loading", testid: "signing" }, t("swap.signing")));
    try {
      const info = await voucherDomain();
      const signature = await wallet.signTypedData(state.address, voucherTypedData(info, "Purchase", purchase));
      fill(box, loading(t("swap.submitting")));
      /** @type {Answer<"POST /vouchers/purchases">} */
      const accepted = await api.post("/vouchers/purchases", { purchase, signature });
      watchPurchase(accepted.purchaseId, p, box);
    } catch (error) {
      fill(box, errorBox(error));
    }
  }

  /** Polls the purchase until it is final; for cash, the provider's pay page link meanwhile. */
  async function watchPurchase(purchaseId, p, box) {
    const status = h("div", { testid: "purchase" });
    fill(box, status);
    let shown = "";
    for (let i = 0; state.alive; i++) {
      /** @type {Answer<"GET /vouchers/purchases/{purchase_id}">} */
      let now;
      try { now = await api.get(`/vouchers/purchases/${purchaseId}`); } catch (error) {
        if (error.status && error.status !== 404) { fill(status, errorBox(error)); return; }
      }
      const key = now ? `${now.state}|${now.payment?.state ?? ""}|${now.payment?.payUrl ?? ""}` : "";
      if (now && key !== shown) { shown = key; fill(status, purchaseView(now, p)); }
      if (now && PURCHASE_FINAL.has(now.state)) {
        // the shop is not re-drawn: the purchase's outcome stays where the user looks
        if (now.state === "settled") { toast(t("shop.boughtToast", { name: p.name }), "ok"); page.loadVouchers?.(); }
        page.loadBalances(now.blockNumber || 0);
        page.loadExpiry?.();
        return;
      }
      await sleep(Math.min(500 + i * 100, 2000));
    }
  }

  function purchaseView(now, p) {
    const pay = now.payment;
    return h("div", { class: `order ${now.state}` },
      h("p", {}, badge(now.state), " ", p.name),
      now.state === "pending_cash" && pay?.payUrl
        ? h("p", {}, h("a", { class: "button primary", href: pay.payUrl, target: "_blank", rel: "noopener", testid: "pay-link" }, t("shop.payNow", { amount: yuan(pay.amount) })),
          h("small", { class: "muted block" }, t("shop.payHint")))
        : null,
      now.state === "pending_cash" && !pay?.payUrl ? h("p", { class: "state loading" }, t("shop.preparingPayment")) : null,
      now.state === "settled" ? h("p", { class: "state ok", testid: "purchase-done" }, t("shop.bought", { name: p.name })) : null,
      now.state === "refunded" ? h("p", { class: "state note", testid: "purchase-done" }, t("shop.refunded")) : null,
      now.state === "rejected" ? h("p", { class: "state error", role: "alert", testid: "purchase-done" }, t("shop.rejected"), " ", reasonText(now.reason)) : null);
  }

  // a change event that changes nothing (the same option picked again) keeps the open checkouts
  let shownQuery = "";
  const reload = () => { if (`${merchant.value}|${payWith.value}` !== shownQuery) load(); };
  for (const el of [merchant, payWith]) el.addEventListener("change", reload);
  page.loadShop = load;
  return card(t("shop.title"),
    h("p", { class: "muted small" }, t("shop.intro")),
    h("div", { class: "row" }, field(t("shop.merchant"), merchant), field(t("shop.payWith"), payWith)), list);
}

/** The "My vouchers" card; sets `page.loadVouchers`. */
export function myVouchersCard(page) {
  const { state } = page;
  const list = h("div", { testid: "my-vouchers" });
  /** @type {Map<string, HTMLElement>} voucherId → its open area (code or gift form) */
  const open = new Map();
  /** @type {Map<string, string>} voucherId → the status last shown */
  const statuses = new Map();

  async function fetchVouchers() {
    /** @type {Answer<"GET /accounts/{address}/vouchers">} */
    const vouchers = await api.get(`/accounts/${state.address}/vouchers`);
    return vouchers;
  }

  async function load() {
    if (!list.childElementCount) fill(list, loading());
    try {
      const vouchers = await fetchVouchers();
      for (const v of vouchers) statuses.set(String(v.voucherId), v.status);
      if (!vouchers.length) { fill(list, empty(t("vouchers.none"))); return; }
      fill(list, h("ul", { class: "vouchers" }, vouchers.map(voucherItem)));
    } catch (error) {
      fill(list, errorBox(error, load));
    }
  }

  function voucherItem(v) {
    const id = String(v.voucherId);
    const area = open.get(id) || h("div", { class: "voucher-area" });
    open.set(id, area);
    const isActive = v.status === "active";
    return h("li", { class: `voucher ${v.status}`, testid: `voucher-${id}`, "data-name": v.name },
      h("div", { class: "product-head" }, h("strong", {}, v.name), " ", badge(v.status), " ", h("small", { class: "muted" }, symbolOf(page, v.merchant))),
      h("p", { class: "muted small", testid: "voucher-expiry" }, v.status === "redeemed" ? t("vouchers.usedOn") : t("vouchers.expires", { date: day(v.expiresAt) })),
      isActive ? h("div", { class: "row buttons" },
        h("button", { type: "button", class: "primary", testid: "voucher-show", onclick: () => showCode(v, area) }, t("vouchers.show")),
        h("button", { type: "button", class: "secondary", testid: "voucher-gift", onclick: () => giftForm(v, area) }, t("vouchers.gift"))) : null,
      area);
  }

  /** The QR code of a signed VoucherRedemption, re-signed before it lapses, until used. */
  async function showCode(v, area) {
    const id = String(v.voucherId);
    area.dataset.session = String(Math.random());
    const session = area.dataset.session;
    const alive = () => state.alive && area.isConnected && area.dataset.session === session;
    const codeBox = h("div", { class: "qr-box", testid: "voucher-code" });
    const countdown = h("small", { class: "muted", testid: "voucher-countdown" });
    const payloadText = h("code", { class: "mono small payload", testid: "voucher-payload" });
    fill(area, codeBox, countdown,
      h("details", {}, h("summary", {}, t("vouchers.payload")), payloadText),
      h("button", { type: "button", class: "link", onclick: () => { area.dataset.session = ""; fill(area); } }, t("vouchers.hide")));
    let deadline = 0;
    let signed = 0;
    let status = "active";
    for (let tick = 0; alive(); tick++) {
      const left = deadline - unixNow();
      if (left < 15) {
        if (signed >= CODE_REFRESHES) {
          fill(codeBox, h("button", { type: "button", class: "primary", testid: "voucher-again", onclick: () => showCode(v, area) }, t("vouchers.showAgain")));
          countdown.textContent = "";
          return;
        }
        try {
          deadline = unixNow() + CODE_LIFETIME;
          const redemption = { voucherId: id, holder: state.address, deadline: String(deadline) };
          const info = await voucherDomain();
          fill(codeBox, h("p", { class: "state loading" }, t("vouchers.signing")));
          const signature = await wallet.signTypedData(state.address, voucherTypedData(info, "VoucherRedemption", redemption));
          if (!alive()) return;
          const payload = redemptionPayload(redemption, signature);
          fill(codeBox, await qrSvg(payload, { label: t("vouchers.codeFor", { name: v.name }) }));
          payloadText.textContent = payload;
          signed++;
        } catch (error) {
          fill(codeBox, errorBox(error, () => showCode(v, area)));
          return;
        }
      }
      countdown.textContent = t("vouchers.countdown", { seconds: Math.max(0, deadline - unixNow()) });
      if (tick % 2 === 0) {
        try {
          const now = (await fetchVouchers()).find((x) => String(x.voucherId) === id);
          status = now ? now.status : "gone";
        } catch { /* the list is unreadable for a moment: keep the code */ }
        if (status !== "active") break;
      }
      await sleep(POLL_MS / 2);
    }
    if (!alive() && status === "active") return;
    fill(area, h("p", { class: status === "redeemed" ? "state ok" : "state note", testid: "voucher-used" }, status === "redeemed" ? t("vouchers.used", { name: v.name }) : t("vouchers.notActive")));
    statuses.set(id, status);
    open.delete(id);
    setTimeout(load, 2500);
  }

  function giftForm(v, area) {
    area.dataset.session = "";
    const to = h("input", { name: "to", placeholder: "0x…", autocomplete: "off", spellcheck: "false", testid: "voucher-gift-to" });
    const result = h("div", { testid: "voucher-gift-result" });
    async function onSubmit(event) {
      event.preventDefault();
      const address = to.value.trim();
      if (!/^0x[0-9a-fA-F]{40}$/.test(address)) { fill(result, h("p", { class: "state error" }, t("gift.badAddress"))); return; }
      if (address.toLowerCase() === state.address.toLowerCase()) { fill(result, h("p", { class: "state error" }, t("vouchers.giftSelf"))); return; }
      const gift = { from: state.address, to: address, voucherId: String(v.voucherId), nonce: String(randomNonce()), deadline: String(unixNow() + 3600) };
      fill(result, h("p", { class: "state loading" }, t("swap.signing")));
      try {
        const info = await voucherDomain();
        const signature = await wallet.signTypedData(state.address, voucherTypedData(info, "VoucherGift", gift));
        /** @type {Answer<"POST /vouchers/gifts">} */
        const answer = await api.post("/vouchers/gifts", { gift, signature });
        fill(result, h("p", { class: "state loading" }, t("vouchers.giftSent", { to: short(address) }), " ", badge(answer.state)));
        let now = answer;
        for (let i = 0; i < 90 && state.alive && !FINAL.has(now.state); i++) {
          await sleep(Math.min(500 + i * 100, 2000));
          /** @type {Answer<"GET /vouchers/gifts/{request_hash}">} */
          const read = await api.get(`/vouchers/gifts/${answer.requestHash}`).catch(() => null);
          if (read) now = read;
        }
        if (now.state === "done") {
          fill(area, h("p", { class: "state ok", testid: "voucher-gift-done" }, t("vouchers.gifted", { name: v.name, to: short(address) })));
          open.delete(String(v.voucherId));
          setTimeout(load, 2500);
        } else if (FINAL.has(now.state)) {
          fill(result, h("p", { class: "state error", role: "alert", testid: "voucher-gift-failed" }, badge(now.state), " ", reasonText(now.reason)));
        }
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(area, h("form", { class: "form", onsubmit: onSubmit, testid: "voucher-gift-form" },
      field(t("gift.to"), to), h("div", { class: "row buttons" }, h("button", { type: "submit", class: "primary", testid: "voucher-gift-sign" }, t("vouchers.giftSign"))), result));
  }

  page.loadVouchers = load;
  return card(t("vouchers.title"), list);
}
