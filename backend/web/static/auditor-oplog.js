// The auditor page's operation-log card (issue 18.4): the backend recomputes the hash chain of
// every merchant and consortium action it logged and says whether it is intact (with its
// length and head hash, which an auditor keeps to notice a truncated tail next time) or where
// the first broken link is and why (a gap: a row deleted; prev_hash: reordered or replaced;
// hash: edited). `tongdui oplog verify` runs the same check from a shell.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { card, copyable, errorBox, fill, h, kv, loading, num, short } from "./ui.js";

export function opLogAuditCard() {
  const box = h("div", { testid: "audit-oplog" });
  const section = card(t("oplog.title"), box);
  (async () => {
    fill(box, loading());
    try {
      const v = await api.get("/audit/oplog/verify");
      fill(box, v.ok
        ? kv([[t("oplog.state"), t("oplog.intact")], [t("oplog.entries"), num(v.entries)], [t("oplog.head"), copyable(v.headHash, short(v.headHash))]])
        : kv([[t("oplog.state"), t("oplog.broken", { seq: String(v.brokenAt) })], [t("oplog.reason"), t(`oplog.reason.${v.reason}`)], [t("oplog.entries"), num(v.entries)]]));
    } catch (error) { fill(box, errorBox(error)); }
  })();
  return section;
}
