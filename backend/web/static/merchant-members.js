// The merchant page's back-office forms (issue 18): CRM members (link a member id to a wallet,
// issue by member id, erase a member's link on request) and bulk issuance (upload a CSV or JSON
// file, follow its progress, download its per-row results). Member ids go in bodies only.
import { api, ApiError } from "./api.js";
import { t } from "./i18n.js";
import { errorBox, field, fill, h, loading, num } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

/** @typedef {{ path: (p: string) => string, headers: () => Record<string, string> }} Ctx */

const freshKey = () => `page-${Date.now()}-${Math.random().toString(16).slice(2)}`;

/** @param {Ctx} ctx @param {HTMLElement} into */
export function membersForm(ctx, into) {
  const member = h("input", { name: "memberId", autocomplete: "off", testid: "member-id" });
  const address = h("input", { name: "address", placeholder: "0x…", autocomplete: "off", spellcheck: "false", testid: "member-address" });
  const amount = h("input", { name: "amount", type: "number", min: "1", step: "1", inputmode: "numeric", testid: "member-amount" });
  const result = h("div", { testid: "member-result" });
  async function act(kind) {
    fill(result, loading(t("merchant.sending")));
    const memberId = member.value.trim();
    try {
      if (kind === "link") {
        /** @type {Answer<"POST /merchants/{token}/members">} */
        const answer = await api.post(ctx.path("/members"), { memberId, address: address.value.trim() }, ctx.headers());
        fill(result, h("p", { class: "state ok", testid: "member-done" }, t("members.linked", { who: answer.address })));
      } else if (kind === "issue") {
        /** @type {Answer<"POST /merchants/{token}/members/issue">} */
        const answer = await api.post(ctx.path("/members/issue"), { memberId, amount: Number(amount.value) }, { ...ctx.headers(), "Idempotency-Key": freshKey() });
        fill(result, h("p", { class: "state ok", testid: "member-done" }, t("merchant.issued1", { amount: num(answer.amount), who: answer.holder })));
      } else {
        /** @type {Answer<"POST /merchants/{token}/members/erase">} */
        const answer = await api.post(ctx.path("/members/erase"), { memberId }, ctx.headers());
        fill(result, h("p", { class: "state ok", testid: "member-done" }, t(answer.linksErased ? "members.erased" : "members.nothingToErase")));
      }
    } catch (error) {
      fill(result, errorBox(error));
    }
  }
  const button = (kind, label, cls = "secondary") => h("button", { type: "button", class: cls, onclick: () => act(kind), testid: `member-${kind}` }, t(label));
  fill(into,
    h("p", { class: "muted small" }, t("members.about")),
    h("div", { class: "form" }, field(t("members.memberId"), member), field(t("merchant.holder"), address), field(t("merchant.points"), amount),
      h("div", { class: "row buttons" }, button("link", "members.link", "primary"), button("issue", "members.issue"), button("erase", "members.erase")), result));
}

/** @param {Ctx} ctx @param {HTMLElement} into */
export function bulkForm(ctx, into) {
  const file = h("input", { type: "file", accept: ".csv,.json,text/csv,application/json", testid: "bulk-file" });
  const result = h("div", { testid: "bulk-result" });
  async function upload() {
    const chosen = file.files?.[0];
    if (!chosen) return;
    fill(result, loading(t("merchant.sending")));
    const format = chosen.name.toLowerCase().endsWith(".json") ? "json" : "csv";
    const response = await fetch(`${ctx.path("/bulk-issues")}?format=${format}`, {
      method: "POST", body: await chosen.text(),
      headers: { Accept: "application/json", "Content-Type": format === "json" ? "application/json" : "text/csv", "Idempotency-Key": freshKey(), ...ctx.headers() },
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const rows = (data?.details?.errors || []).slice(0, 50).map((e) => h("li", {}, t("bulk.rowError", { line: e.line, field: e.field, message: e.message })));
      fill(result, errorBox(new ApiError(response.status, data)), rows.length ? h("ul", { class: "small", testid: "bulk-errors" }, rows) : null);
      return;
    }
    follow(data.jobId);
  }
  async function follow(jobId) {
    try {
      /** @type {Answer<"GET /merchants/{token}/bulk-issues/{job_id}">} */
      const p = await api.get(ctx.path(`/bulk-issues/${jobId}`), null, ctx.headers());
      fill(result,
        h("p", { class: p.state === "done" ? "state ok" : "muted", testid: "bulk-progress" },
          t("bulk.progress", { issued: num(p.issued), failed: num(p.failed), total: num(p.total), skipped: num(p.skipped) })),
        h("button", { type: "button", class: "link", onclick: () => download(jobId), testid: "bulk-download" }, t("bulk.download")));
      if (p.state !== "done") setTimeout(() => follow(jobId), 1500);
    } catch (error) {
      fill(result, errorBox(error));
    }
  }
  async function download(jobId) {
    const response = await fetch(ctx.path(`/bulk-issues/${jobId}/rows.csv`), { headers: ctx.headers() });
    const link = h("a", { href: URL.createObjectURL(await response.blob()), download: `bulk-${jobId}.csv` });
    link.click();
  }
  fill(into,
    h("p", { class: "muted small" }, t("bulk.about")),
    h("div", { class: "form" }, field(t("bulk.file"), file),
      h("div", { class: "row buttons" }, h("button", { type: "button", class: "primary", onclick: upload, testid: "bulk-upload" }, t("bulk.upload"))), result));
}
