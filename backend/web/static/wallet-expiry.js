// The wallet page's "points expiring" card: each program's points by the day they expire
// ("1,200 SKYM expire on 2027-03-31"), earliest first, as GET /accounts/{a}/expiry lists the
// holder's buckets; those the API marks soon (90 days) stand out, expired ones not yet swept are
// said so, and points that never expire are not listed.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { card, empty, errorBox, fill, h, loading, num } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

/** The card; sets `page.loadExpiry`. */
export function expiryCard(page) {
  const { state } = page;
  const box = h("div", { testid: "expiry" });

  async function load() {
    if (!box.childElementCount) fill(box, loading());
    try {
      /** @type {Answer<"GET /accounts/{address}/expiry">} */
      const buckets = await api.get(`/accounts/${state.address}/expiry`);
      const dated = buckets.filter((b) => b.amount > 0 && b.expiresAt);
      if (!dated.length) { fill(box, empty(t("expiry.none"))); return; }
      fill(box, h("ul", { class: "expiry-list" }, dated.map((b) => {
        const soon = !b.expired && b.soon;
        const vars = { amount: num(b.amount), symbol: b.symbol, date: b.expiresAt };
        return h("li", { class: b.expired ? "expired" : soon ? "soon" : "", testid: `expiry-${b.symbol}-${b.key}` },
          t(b.expired ? "expiry.expiredLine" : "expiry.line", vars),
          soon ? h("span", { class: "badge open" }, t("expiry.soon")) : null,
          b.expired ? h("span", { class: "badge expired" }, t("state.expired")) : null);
      })), h("small", { class: "muted" }, t("expiry.fifo")));
    } catch (error) {
      fill(box, errorBox(error, load));
    }
  }

  page.loadExpiry = load;
  return card(t("expiry.title"), box);
}
