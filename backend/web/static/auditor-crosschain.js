// The auditor page's cross-chain card (issue 17): each swap's two legs, this chain's lock and
// the other chain's, with the hashlock they share, so an auditor of either consortium sees its
// own leg and can look up the matching lock on the other chain (by lock id, or by hashlock in
// the other side's HtlcLocked events). Hidden on an instance without a bridge.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { card, copyable, empty, fill, h, num, short } from "./ui.js";

export function crossChainAuditCard() {
  const box = h("div", { testid: "audit-crosschain" });
  const section = card(t("xc.audit.title"), box);
  section.hidden = true;
  (async () => {
    let answer;
    try { answer = await api.get("/crosschain/swaps"); } catch { return; } // no bridge here
    section.hidden = false;
    if (!answer.swaps.length) { fill(box, empty(t("xc.audit.none"))); return; }
    const leg = (l) => h("td", {}, `${t("wallet.chain", { id: l.chainId })} · ${num(l.amount)} · `, copyable(l.lockId, short(l.lockId)), " ", t(`xc.leg.${l.state}`));
    fill(box, h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, t("xc.hashlock")), h("th", {}, t("xc.legA", { chain: "A" })), h("th", {}, t("xc.legB", { chain: "B" })))),
      h("tbody", {}, answer.swaps.map((s) => h("tr", { testid: "audit-xc-swap" },
        h("td", {}, String(s.id)), h("td", {}, copyable(s.hashlock, short(s.hashlock))), leg(s.legs.A), leg(s.legs.B))))));
  })();
  return section;
}
