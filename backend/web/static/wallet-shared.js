// What the wallet page's cards share: the connected session they all read and the loaders one
// card calls on another (a settled swap refreshes the balances and the history, a balance
// refresh re-prices the quote). wallet.js builds it; each wallet-*.js card fills in its own.
import { errorText, short } from "./ui.js";
/** @import { Answer, BalanceItem, MerchantInfo } from "./api-types.js" */

/** States after which an order or a signed request no longer changes. */
export const FINAL = new Set(["settled", "rejected", "done", "failed"]);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The person's sentence for a rejection or failure reason ({code, message}). */
export function reasonText(reason) {
  if (!reason) return "";
  return errorText({ code: reason.code, message: reason.message });
}

/** A token's program symbol, or its shortened address when no program lists it. */
export function symbolOf(page, token) {
  return page.state.merchants.find((m) => m.token === token)?.symbol ?? short(token);
}

/**
 * The session every card reads.
 * @typedef {Object} WalletState
 * @property {string | null} address the connected account
 * @property {Answer<"GET /orders/domain">} info the EIP-712 domain and chain id orders are signed for
 * @property {MerchantInfo[]} merchants
 * @property {Object<string, BalanceItem>} [balances] by token, once loaded
 * @property {number} [counter] the cancel-all counter new orders are signed with
 * @property {number} slippage basis points, remembered in localStorage
 * @property {boolean} alive false once the page is left: loops stop
 */

/**
 * The connected page: the session, and each card's loader for the others.
 * @typedef {Object} WalletPage
 * @property {WalletState} state
 * @property {(minBlock?: number) => Promise<void>} loadBalances
 * @property {() => Promise<void>} loadOrders
 * @property {() => Promise<void>} loadCounter
 * @property {(cursor?: string | null, minBlock?: number) => Promise<void>} loadHistory
 * @property {(() => Promise<void>) | undefined} refreshQuote set once the swap form exists
 * @property {() => Promise<void>} [loadExpiry] points expiring soon (wallet-expiry.js)
 * @property {() => Promise<void>} [loadShop] the voucher shop (wallet-vouchers.js)
 * @property {() => Promise<void>} [loadVouchers] the user's vouchers (wallet-vouchers.js)
 */
