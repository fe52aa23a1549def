// The wallet page's history card: the user's swaps, rejections, gifts, issues and redemptions
// from the index, a page at a time.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { card, empty, errorBox, errorText, fill, h, loading, num, short, when } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

/** The card; sets `page.loadHistory`. */
export function historyCard(page) {
  const { state } = page;
  const box = h("div", { testid: "history" });

  async function loadHistory(cursor, minBlock = 0) {
    if (!cursor) fill(box, loading());
    try {
      /** @type {import("./api.js").Query} */
      const query = { cursor, limit: 20 };
      if (minBlock > 0) query.minBlock = minBlock; // the page must include our own swap
      /** @type {Answer<"GET /history/{address}">} */
      const result = await api.get(`/history/${state.address}`, query);
      const items = result.items.map(historyRow);
      const list = cursor ? box.querySelector("ul") : h("ul", { class: "list" });
      list.append(...items);
      const more = result.nextCursor ? h("button", { type: "button", class: "link", testid: "more", onclick: (e) => { e.target.remove(); loadHistory(result.nextCursor); } }, t("history.more")) : null;
      if (!cursor) fill(box, result.items.length ? list : empty(t("history.none")), more);
      else if (more) box.append(more);
    } catch (error) {
      fill(box, errorBox(error, () => loadHistory()));
    }
  }

  page.loadHistory = loadHistory;
  return card(t("history.title"), box);
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

/** History gives a rejected order's stable code in `reason` (and `reasonMessage`); show it. */
function reasonCode(reason) {
  if (!reason) return undefined;
  return /^[A-Z_]+$/.test(reason) ? reason : undefined;
}
