// What the wallet page's cards share: the connected session they all read and the loaders one
// card calls on another (a settled swap refreshes the balances and the history, a balance
// refresh re-prices the quote). wallet.js builds it; each wallet-*.js card fills in its own.
import { errorText, short } from "./ui.js";

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
 * The connected page: the session every card reads, and each card's loader for the others.
 * @typedef {Object} WalletPage
 * @property {Object} state the session: address, info (GET /orders/domain), merchants,
 *   balances by token, counter, slippage, alive (false once the page is left)
 * @property {(minBlock?: number) => Promise<void>} loadBalances
 * @property {() => Promise<void>} loadOrders
 * @property {() => Promise<void>} loadCounter
 * @property {(cursor?: string | null, minBlock?: number) => Promise<void>} loadHistory
 * @property {(() => Promise<void>) | undefined} refreshQuote set once the swap form exists
 */
