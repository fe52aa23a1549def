// The auditor page: the latest audit report (invariants and findings), the attestations
// auditors published on chain, the history digest (the report's, each attestation's, and one
// recomputed at the head on request), and clearing statements to download as JSON or CSV.
import { api, merchants } from "./api.js";
import { crossChainAuditCard } from "./auditor-crosschain.js";
import { opLogAuditCard } from "./auditor-oplog.js";
import { has, t } from "./i18n.js";
import { card, chinaToday, copyable, empty, errorBox, field, fill, h, kv, loading, num, short, when } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

export function render(root) {
  const report = h("div", { testid: "audit-results" });
  const attestations = h("div", { testid: "attestations" });
  const digest = h("div", { testid: "digest" });
  const statements = h("div", { testid: "statements" });
  fill(root, h("div", { class: "stack" },
    h("p", { class: "lead" }, t("auditor.intro")),
    card(t("auditor.results"), report),
    card(t("auditor.digestTitle"), digest),
    card(t("auditor.attestations"), attestations),
    card(t("auditor.statements"), statements),
    opLogAuditCard(),
    crossChainAuditCard()));

  async function loadReport() {
    fill(report, loading());
    try {
      /** @type {Answer<"GET /audit/latest">} */
      const r = await api.get("/audit/latest");
      const invariants = Object.entries(r.invariants);
      // the whole run's verdict (the index included): what the CLI's exit code said
      const passed = r.passed === true;
      const findings = [...r.findings, ...(r.database?.findings || [])];
      fill(report,
        h("p", {}, h("span", { class: `badge ${passed ? "settled" : "rejected"}`, testid: "audit-verdict" }, passed ? t("auditor.pass") : t("auditor.fail")), " ",
          t("auditor.range", { from: num(r.fromBlock), to: num(r.toBlock), events: num(r.events) })),
        h("ul", { class: "checks" }, invariants.map(([name, inv]) => h("li", { class: inv.ok ? "yes" : "no", title: inv.statement },
          `${inv.ok ? "✓" : "✗"} ${name}: ${has(`check.${name}`) ? t(`check.${name}`) : inv.statement} (${num(inv.checks)})`))),
        kv([
          [t("auditor.digest"), copyable(r.historyDigest, short(r.historyDigest))],
          [t("auditor.reportHash"), copyable(r.reportHash, short(r.reportHash))],
          r.attestationId ? [t("auditor.attested"), h("span", {}, `#${r.attestationId} `, r.attestedBy ? copyable(r.attestedBy) : null)] : null,
        ]),
        findings.length ? h("ul", { class: "findings", testid: "audit-findings" }, findings.slice(0, 20).map((f) => h("li", { class: "state error" }, [f.where, f.key, f.field].filter(Boolean).join(" "), ": ", f.message))) : null);
      state.report = r;
    } catch (error) {
      fill(report, error.status === 404 ? empty(t("auditor.noResults")) : errorBox(error, loadReport));
    }
  }
  const state = {};

  async function loadAttestations() {
    fill(attestations, loading());
    try {
      /** @type {Answer<"GET /audit/attestations">} */
      const data = await api.get("/audit/attestations");
      const items = [...data.attestations].reverse();
      if (!items.length) { fill(attestations, empty(t("auditor.noAttestations"))); return; }
      const latest = new Set(data.latestPerAuditor.map((a) => a.id));
      fill(attestations, h("div", { class: "scroll" }, h("table", { class: "table" },
        h("thead", {}, h("tr", {}, h("th", {}, "#"), h("th", {}, t("auditor.auditor")), h("th", { class: "num" }, t("orders.block")), h("th", {}, t("auditor.blockHash")), h("th", {}, t("auditor.digest")), h("th", {}, t("col.time")))),
        h("tbody", {}, items.map((a) => h("tr", {}, h("td", {}, a.id, latest.has(a.id) ? h("sup", { title: t("auditor.latestOf") }, " ★") : null),
          h("td", {}, copyable(a.auditor)), h("td", { class: "num" }, num(a.blockNumber)),
          h("td", {}, copyable(a.blockHash, short(a.blockHash))),
          h("td", {}, copyable(a.historyDigest, short(a.historyDigest))), h("td", {}, when(a.postedAt))))))));
    } catch (error) {
      fill(attestations, errorBox(error, loadAttestations));
    }
  }

  function showDigest() {
    const out = h("div");
    const block = h("input", { type: "number", min: "0", step: "1", placeholder: t("auditor.head"), testid: "digest-block" });
    async function compute(event) {
      event.preventDefault();
      fill(out, loading(t("auditor.replaying")));
      try {
        /** @type {Answer<"GET /audit/digest">} */
        const d = await api.get("/audit/digest", { block: block.value });
        const same = state.report && state.report.toBlock === d.blockNumber;
        fill(out, kv([
          [t("orders.block"), num(d.blockNumber)],
          [t("auditor.blockHash"), copyable(d.blockHash, short(d.blockHash))],
          [t("auditor.events"), num(d.events)],
          [t("auditor.digest"), h("code", { class: "mono", testid: "digest-value" }, d.historyDigest)],
          same ? [t("auditor.vsReport"), d.historyDigest === state.report.historyDigest ? `✓ ${t("auditor.matches")}` : `✗ ${t("auditor.differs")}`] : null,
        ]));
      } catch (error) {
        fill(out, errorBox(error));
      }
    }
    fill(digest, h("p", { class: "muted small" }, t("auditor.digestHelp")),
      h("form", { class: "form", onsubmit: compute }, h("div", { class: "row" }, field(t("auditor.atBlock"), block),
        h("button", { type: "submit", class: "secondary", testid: "digest-compute", style: "align-self:flex-end" }, t("auditor.compute")))), out);
  }

  async function showStatements() {
    fill(statements, loading());
    let list;
    try {
      list = await merchants();
    } catch (error) {
      fill(statements, errorBox(error, showStatements));
      return;
    }
    const today = chinaToday(); // statements count days in UTC+8
    const from = h("input", { type: "date", testid: "statement-from" });
    const to = h("input", { type: "date", max: today, testid: "statement-to" });
    const result = h("div");
    const query = () => {
      const q = new URLSearchParams();
      if (from.value) q.set("fromDate", from.value);
      if (to.value) q.set("toDate", to.value);
      const s = q.toString();
      return s ? `?${s}` : "";
    };
    const rows = [{ label: t("auditor.consortiumStatement"), path: "/statements", name: "consortium" },
      ...list.map((m) => ({ label: `${m.name} · ${m.symbol}`, path: `/statements/${m.symbol}`, name: m.symbol }))];
    async function download(row, kind) {
      fill(result, loading());
      try {
        /** @type {Answer<"GET /statements">} */
        const data = await api.get(row.path + query());
        const text = kind === "csv" ? toCsv(data) : JSON.stringify(data, null, 2);
        const blob = new Blob([text], { type: kind === "csv" ? "text/csv" : "application/json" });
        const link = h("a", { href: URL.createObjectURL(blob), download: `tongdui-statement-${row.name}-${data.period.fromBlock}-${data.period.toBlock}.${kind}` });
        document.body.append(link);
        link.click();
        link.remove();
        fill(result, h("p", { class: "state ok", testid: "statement-done" }, t("auditor.downloaded", { name: row.label, from: num(data.period.fromBlock), to: num(data.period.toBlock) }),
          data.figures ? ` · ${data.figures.reconciles ? "✓" : "✗"} ${t("auditor.reconciles")}` : ""));
      } catch (error) {
        fill(result, errorBox(error));
      }
    }
    fill(statements, h("p", { class: "muted small" }, t("auditor.statementHelp")),
      h("div", { class: "row" }, field(t("auditor.fromDate"), from), field(t("auditor.toDate"), to)),
      h("ul", { class: "list" }, rows.map((row) => h("li", { class: "list-item" }, h("span", { class: "grow" }, row.label),
        h("span", { class: "button-group" },
          h("button", { type: "button", class: "secondary small", testid: `statement-json-${row.name}`, onclick: () => download(row, "json") }, t("auditor.download", { kind: "JSON" })),
          h("button", { type: "button", class: "secondary small", testid: `statement-csv-${row.name}`, onclick: () => download(row, "csv") }, t("auditor.download", { kind: "CSV" })))))),
      result);
  }

  loadReport();
  loadAttestations();
  showDigest();
  showStatements();
  return () => {};
}

/** A statement flattened to `field,value` lines (nested names joined by dots). */
function toCsv(data) {
  const lines = ["field,value"];
  const walk = (value, prefix) => {
    if (value && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else {
      const text = value === null || value === undefined ? "" : String(value);
      lines.push(`${prefix},${/[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text}`);
    }
  };
  walk(data, "");
  return `${lines.join("\n")}\n`;
}
