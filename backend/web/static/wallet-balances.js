// The wallet page's balances card: the points the user holds in each program and their value,
// as of the indexer's block; after a swap or gift it waits for the block that settled it.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { card, errorBox, fill, h, loading, num, yuan } from "./ui.js";
import { sleep } from "./wallet-shared.js";
/** @import { Answer } from "./api-types.js" */

/** The card; sets `page.loadBalances`. */
export function balancesCard(page) {
  const { state } = page;
  const box = h("div", { testid: "balances" });

  async function loadBalances(minBlock = 0) {
    if (!box.childElementCount) fill(box, loading());
    try {
      /** @type {Answer<"GET /balances/{address}">} */
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
      fill(box,
        h("table", { class: "table" }, h("thead", {}, h("tr", {}, h("th", {}, t("col.program")), h("th", { class: "num" }, t("col.points")), h("th", { class: "num" }, t("col.value")))),
          h("tbody", {}, rows),
          h("tfoot", {}, h("tr", {}, h("th", {}, t("col.total")), h("th"), h("th", { class: "num", testid: "total-value" }, yuan(data.totalValue))))),
        h("small", { class: "muted" }, t("wallet.asOf", { block: data.asOfBlock ?? "—" })));
      if (page.refreshQuote) page.refreshQuote();
    } catch (error) {
      fill(box, errorBox(error, () => loadBalances()));
    }
  }

  page.loadBalances = loadBalances;
  return card(t("wallet.balances"), box);
}
