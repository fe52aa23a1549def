// The auditor page: the latest audit results (checks passed or failed), attestations published
// on chain with their history digests, and per-merchant statements to download.
import { api, merchants } from "./api.js";
import { t } from "./i18n.js";
import { card, copyable, empty, errorBox, fill, h, loading, num, short, when } from "./ui.js";

/** The audit API is optional (an operator may run audits elsewhere): 404 means "not here". */
async function optional(path, query) {
  try {
    return await api.get(path, query);
  } catch (error) {
    if (error.status === 404 && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

export function render(root) {
  const results = h("div", { testid: "audit-results" });
  const attestations = h("div", { testid: "attestations" });
  const statements = h("div", { testid: "statements" });
  fill(root, h("div", { class: "stack" },
    h("p", { class: "lead" }, t("auditor.intro")),
    card(t("auditor.results"), results),
    card(t("auditor.attestations"), attestations),
    card(t("auditor.statements"), statements)));

  async function loadResults() {
    fill(results, loading());
    try {
      const data = await optional("/audit/results", { limit: 10 });
      const items = data ? data.results || data.items || (Array.isArray(data) ? data : [data]) : [];
      if (!items.length) { fill(results, empty(data ? t("auditor.noResults") : t("auditor.noAuditApi"))); return; }
      fill(results, h("ul", { class: "list" }, items.map(resultRow)));
    } catch (error) {
      fill(results, errorBox(error, loadResults));
    }
  }

  function resultRow(r) {
    const ok = r.ok ?? r.passed ?? (r.status ? r.status === "pass" || r.status === "ok" : !(r.findings?.length));
    const findings = r.findings || r.failures || [];
    return h("li", { class: "list-item column" },
      h("div", {}, h("span", { class: `badge ${ok ? "settled" : "rejected"}` }, ok ? t("auditor.pass") : t("auditor.fail")), " ",
        t("auditor.upTo", { block: num(r.blockNumber ?? r.toBlock ?? r.block) }), " · ", when(r.createdAt ?? r.timestamp ?? r.auditedAt)),
      r.historyDigest ? h("div", { class: "small" }, t("auditor.digest"), " ", copyable(r.historyDigest, r.historyDigest)) : null,
      r.checks ? h("ul", { class: "checks" }, (Array.isArray(r.checks) ? r.checks : Object.entries(r.checks).map(([name, v]) => ({ name, ok: v === true || v?.ok })))
        .map((c) => h("li", { class: c.ok === false || c.passed === false ? "no" : "yes" }, (c.ok === false || c.passed === false ? "✗ " : "✓ ") + (c.name || c.check || c.id)))) : null,
      findings.length ? h("ul", { class: "findings" }, findings.slice(0, 10).map((f) => h("li", { class: "state error" }, f.message || f.code || JSON.stringify(f)))) : null);
  }

  async function loadAttestations() {
    fill(attestations, loading());
    try {
      const data = await api.get("/web/attestations");
      if (!data.attestations.length) { fill(attestations, empty(t("auditor.noAttestations"))); return; }
      fill(attestations, h("div", { class: "scroll" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, t("auditor.auditor")), h("th", { class: "num" }, t("orders.block")), h("th", {}, t("auditor.digest")), h("th", {}, t("col.time")))),
        h("tbody", {}, data.attestations.map((a) => h("tr", {}, h("td", {}, a.id), h("td", {}, copyable(a.auditor)), h("td", { class: "num" }, num(a.blockNumber)),
          h("td", {}, copyable(a.historyDigest, short(a.historyDigest))), h("td", {}, when(a.postedAt))))))));
    } catch (error) {
      fill(attestations, errorBox(error, loadAttestations));
    }
  }

  async function loadStatements() {
    fill(statements, loading());
    try {
      const list = await merchants();
      const data = await optional("/audit/statements");
      const items = data ? data.statements || data.items || (Array.isArray(data) ? data : []) : [];
      const rows = items.length
        ? items.map((s) => h("li", { class: "list-item" }, h("span", { class: "grow" }, `${s.symbol || short(s.token)} · ${s.period || `${when(s.since)} – ${when(s.until)}`}`),
          links(s)))
        : list.map((m) => h("li", { class: "list-item" }, h("span", { class: "grow" }, m.name, " ", h("small", {}, m.symbol)),
          h("a", { class: "button secondary small", href: `/merchants/${m.token}/stats`, download: `tongdui-${m.symbol}-stats.json` }, t("auditor.download", { kind: "JSON" }))));
      fill(statements, data ? null : h("p", { class: "muted small" }, t("auditor.statsFallback")), h("ul", { class: "list" }, rows));
    } catch (error) {
      fill(statements, errorBox(error, loadStatements));
    }
  }

  function links(s) {
    const out = [];
    for (const [kind, href] of Object.entries(s.links || { JSON: s.url || s.href }).filter(([, v]) => v)) {
      out.push(h("a", { class: "button secondary small", href, download: "" }, t("auditor.download", { kind })));
    }
    return out;
  }

  loadResults();
  loadAttestations();
  loadStatements();
  return () => {};
}
