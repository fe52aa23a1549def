// The consortium page's onboarding review (issue 18.5). Reviewers sign in with a consortium key
// (tdc_…, sessionStorage only), list the applications, approve one (the backend proposes its
// admission with the reviewer's member key; the votes then happen on chain, and the card shows
// the proposal's id and votes from the index; a reviewer of each member can vote on it, and
// execute it once it has passed) or reject it with a reason. A business applies
// and looks its status up with the reference it was given once (the apply card, public).
import { api } from "./api.js";
import { t } from "./i18n.js";
import { card, copyable, empty, errorBox, field, fill, h, kv, loading, num, short } from "./ui.js";
/** @import { Answer, ApplicationStatus, ApplicationView, ProposalProgress } from "./api-types.js" */

const KEY = "tongdui.consortiumKey";
const FIELDS = ["companyName", "licenceNumber", "contactName", "contactEmail", "contactPhone", "programName", "symbol", "admin", "issuanceCap", "pointValue"];

/** The reviewers' card: sign in, then the applications with their actions; `onReviewed` runs
 * after an approval (the page reloads its proposals: the approval made one); `onSession` hears
 * the signed-in key's headers (null when signed out), for the page's other reviewer cards.
 * @param {() => void} [onReviewed] @param {(headers: (() => Record<string, string>) | null) => void} [onSession] */
export function reviewCard(onReviewed, onSession) {
  const box = h("div", { testid: "onboarding-review" });
  const section = card(t("onboarding.title"), box);
  /** @type {{ key: string | null, me?: Answer<"GET /consortium/key">, voted?: { id: number, approvals: number, state: string, tries: number } }} */
  const state = { key: sessionStorage.getItem(KEY) };
  const headers = () => ({ Authorization: `Bearer ${state.key}` });

  function showLogin(problem) {
    const input = h("input", { type: "password", name: "consortiumKey", autocomplete: "off", placeholder: "tdc_…", testid: "consortium-key" });
    const note = h("div", {}, problem ? errorBox(problem) : null);
    async function onSubmit(event) {
      event.preventDefault();
      if (!input.value.trim()) return;
      state.key = input.value.trim();
      fill(note, loading());
      await signIn();
    }
    fill(box, h("p", { class: "muted small" }, t("onboarding.signInIntro")),
      h("form", { class: "form", onsubmit: onSubmit }, field(t("onboarding.key"), input),
        h("div", { class: "row buttons" }, h("button", { type: "submit", class: "primary", testid: "consortium-key-submit" }, t("onboarding.signIn"))), note));
  }

  async function signIn() {
    try {
      state.me = await api.get("/consortium/key", null, headers());
      sessionStorage.setItem(KEY, state.key || "");
      onSession?.(headers);
      await showList();
    } catch (error) {
      sessionStorage.removeItem(KEY);
      state.key = null;
      onSession?.(null);
      showLogin(error);
    }
  }

  function signOut() {
    sessionStorage.removeItem(KEY);
    state.key = null;
    onSession?.(null);
    showLogin();
  }

  async function showList() {
    fill(box, loading(t("onboarding.title")));
    /** @type {Answer<"GET /consortium/applications">} */
    let list;
    try {
      list = await api.get("/consortium/applications", null, headers());
    } catch (error) {
      if (error.status === 401) { signOut(); return; }
      fill(box, errorBox(error, showList));
      return;
    }
    const me = state.me;
    fill(box,
      h("p", { class: "muted small row" }, h("span", { testid: "reviewer" }, t("onboarding.signedInAs", { who: me?.label || me?.prefix || "", member: short(me?.member || "") })), " ",
        h("button", { type: "button", class: "link", onclick: signOut, testid: "consortium-sign-out" }, t("onboarding.signOut")), " ",
        h("button", { type: "button", class: "link", onclick: showList, testid: "onboarding-refresh" }, t("onboarding.refresh"))),
      list.applications.length ? h("div", { class: "stack", testid: "applications" }, list.applications.map(application)) : empty(t("onboarding.none")));
    // a proposal just made, or a vote just cast, is not in the index yet: look again shortly
    // while the card is shown (a vote: until the index shows it, at most ten times)
    const waiting = state.voted;
    const stale = waiting && list.applications.some((a) => a.proposal?.id === waiting.id && a.proposal.approvals === waiting.approvals && a.proposal.state === waiting.state);
    if (stale) waiting.tries += 1;
    if (!stale || waiting.tries > 10) state.voted = undefined;
    if ((stale && state.voted) || list.applications.some((a) => a.proposal?.state === "unindexed")) setTimeout(() => { if (box.isConnected && state.key) showList(); }, 1500);
  }

  /** @param {ApplicationView} a */
  function application(a) {
    const result = h("div", { testid: "review-result" });
    const reason = h("input", { name: "reason", autocomplete: "off", testid: "reject-reason" });
    async function review(kind) {
      if (kind === "reject" && !reason.value.trim()) { fill(result, h("p", { class: "state error" }, t("onboarding.reasonNeeded"))); return; }
      fill(result, loading(t("merchant.sending")));
      try {
        await api.post(`/consortium/applications/${a.id}/${kind}`, kind === "reject" ? { reason: reason.value.trim() } : {}, headers());
        if (kind === "approve") onReviewed?.();
        await showList();
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    return h("article", { class: `proposal ${a.status}`, testid: `application-${a.id}` },
      h("header", {}, h("strong", {}, `#${a.id} `, a.programName, " ", h("small", {}, a.symbol)), " ",
        h("span", { class: `badge ${a.status}`, testid: "application-status" }, t(`onboarding.status.${a.status}`))),
      kv([
        [t("onboarding.field.companyName"), a.companyName],
        [t("onboarding.field.licenceNumber"), h("code", { class: "mono" }, a.licenceNumber)],
        [t("onboarding.contact"), `${a.contactName} · ${a.contactEmail}${a.contactPhone ? ` · ${a.contactPhone}` : ""}`],
        [t("onboarding.field.admin"), copyable(a.admin)],
        [t("onboarding.field.issuanceCap"), num(a.issuanceCap)],
        [t("onboarding.field.pointValue"), num(a.pointValue)],
        a.reviewer ? [t("onboarding.reviewedBy"), `${a.reviewer} (${short(a.reviewerMember || "")})`] : null,
        a.reason ? [t("onboarding.reason"), h("span", { testid: "application-reason" }, a.reason)] : null,
        a.proposal ? [t("onboarding.proposal"), proposalLine(a.proposal)] : null,
      ]),
      a.proposal?.state === "open" ? votes(a.proposal, result) : null,
      a.status === "pending"
        ? h("div", { class: "form" },
          h("div", { class: "row buttons" }, h("button", { type: "button", class: "primary", onclick: () => review("approve"), testid: "approve" }, t("onboarding.approve"))),
          field(t("onboarding.reason"), reason),
          h("div", { class: "row buttons" }, h("button", { type: "button", class: "secondary", onclick: () => review("reject"), testid: "reject" }, t("onboarding.reject"))),
          result)
        : null);
  }

  /** The proposal's votes, sent with the signed-in reviewer's member key.
   * @param {ProposalProgress} p @param {HTMLElement} result */
  function votes(p, result) {
    const out = h("div", { testid: "vote-result" });
    async function send(kind) {
      fill(out, loading(t("merchant.sending")));
      try {
        await api.post(`/consortium/proposals/${p.id}/${kind}`, {}, headers());
        state.voted = { id: p.id, approvals: p.approvals, state: p.state, tries: 0 };
        onReviewed?.();
        await showList();
      } catch (error) {
        fill(out, errorBox(error));
      }
    }
    const passed = p.approvals >= p.threshold;
    return h("div", { class: "form" }, result,
      h("div", { class: "row buttons" },
        h("button", { type: "button", class: passed ? "secondary" : "primary", onclick: () => send("approve"), testid: "vote-approve" }, t("onboarding.voteApprove")),
        passed ? h("button", { type: "button", class: "primary", onclick: () => send("execute"), testid: "vote-execute" }, t("onboarding.execute")) : null),
      out);
  }

  if (state.key) signIn(); else showLogin();
  return section;
}

/** @param {ProposalProgress} p */
function proposalLine(p) {
  return h("span", { testid: "application-proposal" },
    t("onboarding.proposalLine", { id: p.id, state: t(`proposal.${p.state}`), n: p.approvals, m: p.threshold }));
}

/** The applicants' card: the application form, and a status lookup by reference. */
export function applyCard() {
  const inputs = Object.fromEntries(FIELDS.map((name) => [name, h("input", {
    name, autocomplete: "off", testid: `apply-${name}`,
    ...(name === "issuanceCap" || name === "pointValue" ? { type: "number", min: "1", step: "1", inputmode: "numeric" } : {}),
    ...(name === "contactEmail" ? { type: "email" } : {}),
    ...(name === "admin" ? { placeholder: "0x…", spellcheck: "false" } : {}),
  })]));
  const marks = Object.fromEntries(FIELDS.map((name) => [name, h("small", { class: "hint error", testid: `apply-problem-${name}`, hidden: true })]));
  const filed = h("div", { testid: "apply-result" });
  async function submit(event) {
    event.preventDefault();
    for (const mark of Object.values(marks)) { mark.hidden = true; mark.textContent = ""; }
    const body = Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value.trim()]));
    body.issuanceCap = Number(body.issuanceCap || 0);
    body.pointValue = Number(body.pointValue || 0);
    fill(filed, loading(t("merchant.sending")));
    try {
      /** @type {Answer<"POST /onboarding/applications">} */
      const answer = await api.post("/onboarding/applications", body);
      fill(filed, h("div", { class: "state ok" }, h("p", {}, t("onboarding.filed", { id: answer.id })), h("code", { class: "mono", testid: "apply-reference" }, answer.reference)));
      reference.value = answer.reference;
    } catch (error) {
      const problems = Array.isArray(error.details?.problems) ? error.details.problems : [];
      for (const p of problems) {
        const mark = marks[p.field];
        if (mark) { mark.textContent = t(p.type === "taken" ? "onboarding.problem.taken" : `onboarding.problem.${p.field}`); mark.hidden = false; }
      }
      fill(filed, errorBox(error));
    }
  }
  const reference = h("input", { name: "reference", autocomplete: "off", placeholder: "tdr_…", testid: "status-reference" });
  const seen = h("div", { testid: "status-result" });
  async function lookUp(event) {
    event.preventDefault();
    if (!reference.value.trim()) return;
    fill(seen, loading());
    try {
      /** @type {Answer<"GET /onboarding/applications/{reference}">} */
      const s = await api.get(`/onboarding/applications/${encodeURIComponent(reference.value.trim())}`);
      fill(seen, statusView(s));
    } catch (error) {
      fill(seen, errorBox(error));
    }
  }
  return card(t("onboarding.applyTitle"),
    h("p", { class: "muted small" }, t("onboarding.applyIntro")),
    h("form", { class: "form", onsubmit: submit, testid: "apply-form" },
      FIELDS.map((name) => field(t(`onboarding.field.${name}`), inputs[name], marks[name])),
      h("div", { class: "row buttons" }, h("button", { type: "submit", class: "primary", testid: "apply-submit" }, t("onboarding.submit"))), filed),
    h("h3", {}, t("onboarding.statusTitle")),
    h("form", { class: "form", onsubmit: lookUp }, field(t("onboarding.reference"), reference),
      h("div", { class: "row buttons" }, h("button", { type: "submit", class: "secondary", testid: "status-check" }, t("onboarding.check"))), seen));
}

/** @param {ApplicationStatus} s */
function statusView(s) {
  const line = s.status === "rejected" ? t("onboarding.seen.rejected", { id: s.id, reason: s.reason || "" })
    : s.status === "approved" && s.proposal ? t("onboarding.seen.approved", { id: s.id, proposal: s.proposal.id, state: t(`proposal.${s.proposal.state}`), n: s.proposal.approvals, m: s.proposal.threshold })
      : t("onboarding.seen.pending", { id: s.id, program: s.programName });
  return h("p", { class: `state ${s.status}`, testid: "status-line" }, h("span", { class: `badge ${s.status}`, testid: "status-badge" }, t(`onboarding.status.${s.status}`)), " ", line);
}
