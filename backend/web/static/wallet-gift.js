// The wallet page's gift card: send points to another address with a signed EIP-3009
// transferWithAuthorization (the relayer pays the gas), then watch it settle.
import { api } from "./api.js";
import { giftTypedData, randomBytes32, unixNow } from "./eip712.js";
import { t } from "./i18n.js";
import * as wallet from "./provider.js";
import { badge, card, errorBox, field, fill, h, num, short } from "./ui.js";
import { FINAL, reasonText, sleep } from "./wallet-shared.js";
/** @import { Answer } from "./api-types.js" */

const ZERO_ADDRESS = /^0x0{40}$/i;

/** The card, for a connected session. */
export function giftCard(page) {
  const { state } = page;
  const box = h("div");

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
        /** @type {Answer<"POST /gifts">} */
        const answer = await api.post("/gifts", { token: merchant.token, ...transfer, value: String(value), validAfter: "0", validBefore: String(transfer.validBefore), signature });
        fill(result, h("p", { class: "state loading", testid: "gift-sent" }, t("gift.received", { value: num(value), symbol: merchant.symbol, to: short(transfer.to) }), " ", badge(answer.state)));
        amount.value = "";
        watchGift(answer, result, merchant, value, transfer.to);
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(box, h("form", { class: "form", onsubmit: onSubmit, testid: "gift-form" },
      h("div", { class: "row" }, field(t("gift.token"), token), field(t("gift.amount"), amount)),
      field(t("gift.to"), to), h("button", { type: "submit", class: "primary" }, t("gift.sign")), result));
  }

  async function watchGift(answer, result, merchant, value, to) {
    const hash = answer.requestHash;
    for (let i = 0; i < 60 && state.alive; i++) {
      await sleep(700);
      /** @type {Answer<"GET /gifts/{request_hash}">} */
      let now;
      try { now = await api.get(`/gifts/${hash}`); } catch { return; } // the status is unreadable for now: keep the 202 answer
      if (FINAL.has(now.state)) {
        const vars = { value: num(value), symbol: merchant.symbol, to: short(to) };
        fill(result, now.state === "done"
          ? h("p", { class: "state ok", testid: "gift-final" }, t("gift.sent", vars), " ", badge(now.state))
          : h("p", { class: "state error", role: "alert", testid: "gift-final" }, badge(now.state), " ", t("gift.failed", vars), " ", reasonText(now.reason)));
        page.loadBalances(now.blockNumber || 0).then(() => page.loadHistory(null, now.blockNumber || 0));
        return;
      }
    }
  }

  giftForm();
  return card(t("gift.title"), box);
}
