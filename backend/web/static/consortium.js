// The consortium page: members and the M-of-N threshold, merchants, and proposals with the
// calls they would make, who has approved or voted to cancel them, and until when they are
// open (read live from the governance contract). Votes shown are the ones that count now: a
// membership or threshold change voids earlier votes, so the counts may drop to 0. Below them,
// the onboarding review (reviewers), the consortium's risk rules and every merchant's
// interceptions (once a reviewer signed in there), and the application form with its status
// lookup (applicants).
import { api } from "./api.js";
import { applyCard, reviewCard } from "./consortium-onboarding.js";
import { t } from "./i18n.js";
import { riskSection } from "./merchant-risk.js";
import { card, copyable, empty, errorBox, fill, h, loading, num, short, when, yuan } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

export function render(root) {
  const top = h("div", { class: "stack" });
  const risk = h("div", { testid: "consortium-risk" }, h("p", { class: "muted small" }, t("risk.consortiumSignIn")));
  /** @param {(() => Record<string, string>) | null} headers */
  const onSession = (headers) => headers
    ? riskSection(risk, (p) => `/consortium${p}`, headers, () => true, { own: "consortium", held: false, help: "risk.consortiumHelp" })
    : fill(risk, h("p", { class: "muted small" }, t("risk.consortiumSignIn")));
  fill(root, h("div", { class: "stack" }, top, reviewCard(() => load(), onSession), card(t("risk.consortiumTitle"), risk), applyCard()));

  async function load() {
    fill(top, loading(t("consortium.title")));
    /** @type {Answer<"GET /web/consortium">} */
    let c;
    try {
      c = await api.get("/web/consortium");
    } catch (error) {
      fill(top, errorBox(error, load));
      return;
    }
    fill(top,
      h("div", { class: "tiles" },
        tile(t("consortium.members"), num(c.members.length), "members-count"),
        tile(t("consortium.threshold"), `${c.threshold} / ${c.members.length}`, "threshold"),
        tile(t("consortium.cancelThreshold"), `${c.cancelThreshold} / ${c.members.length}`, "cancel-threshold"),
        tile(t("consortium.votingPeriod"), t("consortium.days", { n: num(c.votingPeriod / 86400) }), "voting-period"),
        tile(t("consortium.merchants"), num(c.merchants.length)),
        tile(t("consortium.open"), num(c.openProposals), "open-count")),
      card(t("consortium.members"), h("ul", { class: "list", testid: "members" }, c.members.map((m, i) =>
        h("li", { class: "list-item" }, h("span", { class: "pill" }, `#${i + 1}`), copyable(m, m))))),
      card(t("consortium.merchants"), c.merchants.length ? h("div", { class: "scroll" }, h("table", { class: "table", testid: "consortium-merchants" },
        h("thead", {}, h("tr", {}, h("th", {}, t("col.program")), h("th", {}, t("col.status")), h("th", { class: "num" }, t("col.pointValue")), h("th", {}, t("col.admin")), h("th", {}, t("col.issuers")))),
        h("tbody", {}, c.merchants.map((m) => h("tr", {}, h("td", {}, m.name, " ", h("small", {}, m.symbol)), h("td", {}, t(`status.${m.status}`)), h("td", { class: "num" }, yuan(m.pointValue)), h("td", {}, copyable(m.admin)), h("td", { testid: "issuers" }, m.issuers.map((a) => copyable(a))))))))
        : empty(t("wallet.noPrograms"))),
      card(t("consortium.proposals"), c.proposals.length ? h("div", { class: "stack", testid: "proposals" }, c.proposals.map((p) => proposal(p, c)))
        : empty(t("consortium.noProposals"))),
      h("small", { class: "muted" }, t("wallet.asOf", { block: c.blockNumber })));
  }

  function proposal(p, c) {
    return h("article", { class: `proposal ${p.state}`, testid: `proposal-${p.id}` },
      h("header", {}, h("strong", {}, `#${p.id} `, p.description || t("consortium.untitled")), " ", h("span", { class: `badge ${p.state}` }, t(`proposal.${p.state}`))),
      h("p", { class: "muted small" }, t("consortium.proposedBy", { who: short(p.proposer) }), p.createdBlock ? ` · ${t("orders.block")} ${num(p.createdBlock)}` : "",
        p.state === "open" || p.state === "expired"
          ? [" · ", h("span", { testid: "deadline" }, t(p.state === "expired" ? "consortium.expiredAt" : "consortium.openUntil", { when: when(p.deadline) }))]
          : null),
      h("div", { class: "votes" },
        h("meter", { min: 0, max: c.threshold, value: Math.min(p.approvals, c.threshold) }),
        h("span", { testid: "approvals" }, t("consortium.approvals", { n: p.approvals, m: c.threshold })),
        p.cancelVotes ? h("span", { class: "muted", testid: "cancel-votes" }, " · ", t("consortium.cancelVotes", { n: p.cancelVotes, m: c.cancelThreshold })) : null),
      h("ul", { class: "voters" }, p.votes.map((v) => h("li", { class: v.approved ? "yes" : "no" }, v.approved ? "✓ " : "· ", short(v.member), v.cancel ? ` (${t("consortium.votedCancel")})` : ""))),
      h("details", {}, h("summary", {}, t("consortium.calls", { n: p.calls.length })),
        h("ol", { class: "calls" }, p.calls.map((call) => h("li", {},
          h("code", { class: "mono" }, `${call.targetName || short(call.target)}.${call.function || call.data.slice(0, 10)}`),
          call.function ? h("pre", { class: "mono small" }, JSON.stringify(call.args, null, 1)) : null)))));
  }

  function tile(label, value, id) {
    return h("div", { class: "tile" }, h("span", { class: "label" }, label), h("strong", id ? { testid: id } : {}, value));
  }

  load();
  return () => {};
}
