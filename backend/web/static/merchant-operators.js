// The merchant page's operators and operation log (issue 18.4). Operators: the merchant's
// people, each with one role (admin, issuer, cashier, viewer) and its own keys; an admin key
// adds them, issues and revokes their keys (a new key is shown once, here). The log: every
// merchant write that passed authentication — who (operator, key, signer, client address),
// what, when and the result — newest first, with the hash chain's verification beside it.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { copyable, empty, errorBox, field, fill, h, kv, loading, num, short } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

const ROLES = ["admin", "issuer", "cashier", "viewer"];
const SHOWN_ENTRIES = 50;
const MAX_PAGES = 20; // 2,000 entries read at most to find the newest; older ones are in the API

/** @param {HTMLElement} part @param {(p: string) => string} path @param {() => Record<string, string>} headers @param {boolean} admin */
export function operatorsSection(part, path, headers, admin) {
  const list = h("div", { testid: "operators-list" });
  const keyBox = h("div", { testid: "operators-key" });

  function showKey(answer) {
    fill(keyBox, h("p", { class: "state ok" }, t("operators.keyOnce", { name: answer.operator.name }), " ",
      h("code", { class: "mono", testid: "operators-key-value" }, answer.key)));
  }

  async function load() {
    if (!list.childElementCount) fill(list, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/operators">} */
      const operators = await api.get(path("/operators"), null, headers());
      if (!operators.length) { fill(list, empty(t("operators.none"))); return; }
      fill(list, h("table", { class: "table small" },
        h("thead", {}, h("tr", {}, h("th", {}, t("operators.name")), h("th", {}, t("operators.role")), h("th", {}, t("operators.keys")), h("th", {}, ""))),
        h("tbody", {}, operators.map((o) => h("tr", { testid: `operator-${o.id}` },
          h("td", {}, o.name),
          h("td", {}, t(`role.${o.role}`), " ", h("small", { class: "muted" }, o.scopes.map((s) => t(`scope.${s}`)).join(" · "))),
          h("td", {}, o.keyPrefixes.length
            ? o.keyPrefixes.map((p) => h("span", { class: "mono small" }, `tdk_${p}_…`, " ",
              admin ? h("button", { type: "button", class: "link", testid: `revoke-${p}`, onclick: () => revoke(o.id, p) }, t("operators.revoke")) : null, " "))
            : h("small", { class: "muted" }, t("operators.noKeys"))),
          h("td", {}, admin ? h("button", { type: "button", class: "link", onclick: () => newKey(o.id) }, t("operators.newKey")) : null))))));
    } catch (error) {
      fill(list, errorBox(error, load));
    }
  }

  async function newKey(id) {
    try {
      showKey(await api.post(path(`/operators/${id}/keys`), {}, headers()));
      load();
    } catch (error) {
      fill(keyBox, errorBox(error));
    }
  }

  async function revoke(id, prefix) {
    try {
      await api.post(path(`/operators/${id}/keys/${prefix}/revoke`), {}, headers());
      fill(keyBox, h("p", { class: "state ok" }, t("operators.revoked", { prefix })));
      load();
    } catch (error) {
      fill(keyBox, errorBox(error));
    }
  }

  function form() {
    const name = h("input", { type: "text", name: "operatorName", maxlength: "100", required: true, testid: "operators-name" });
    const role = h("select", { name: "role", testid: "operators-role" }, ROLES.map((r) => h("option", { value: r, selected: r === "cashier" }, t(`role.${r}`))));
    async function onSubmit(event) {
      event.preventDefault();
      try {
        showKey(await api.post(path("/operators"), { name: name.value.trim(), role: role.value }, headers()));
        name.value = "";
        load();
      } catch (error) {
        fill(keyBox, errorBox(error));
      }
    }
    return h("form", { class: "form", onsubmit: onSubmit },
      h("p", { class: "muted small" }, t("operators.help")),
      h("div", { class: "grid2" }, field(t("operators.name"), name), field(t("operators.role"), role)),
      h("div", { class: "row buttons" }, h("button", { type: "submit", class: "primary", testid: "operators-add" }, t("operators.add"))));
  }

  fill(part, admin ? form() : h("p", { class: "muted small" }, t("operators.adminOnly")), keyBox, list);
  load();
}

/** @param {HTMLElement} part @param {(p: string) => string} path @param {() => Record<string, string>} headers */
export function opLogSection(part, path, headers) {
  const state = h("div", { testid: "oplog-state" });
  const rows = h("div", { testid: "oplog-entries" });

  async function load() {
    fill(rows, loading());
    try {
      /** @type {Answer<"GET /audit/oplog/verify">} */
      const v = await api.get("/audit/oplog/verify");
      fill(state, v.ok
        ? kv([[t("oplog.state"), t("oplog.intact")], [t("oplog.entries"), num(v.entries)], [t("oplog.head"), copyable(v.headHash, short(v.headHash))]])
        : kv([[t("oplog.state"), t("oplog.broken", { seq: String(v.brokenAt) })], [t("oplog.reason"), t(`oplog.reason.${v.reason}`)]]));
      /** @type {Answer<"GET /merchants/{token}/oplog">["entries"]} */
      let entries = [];
      let after = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        /** @type {Answer<"GET /merchants/{token}/oplog">} */
        const got = await api.get(path("/oplog"), { after, limit: 100 }, headers());
        entries = entries.concat(got.entries).slice(-SHOWN_ENTRIES);
        if (got.nextAfter === null || got.nextAfter === undefined) break;
        after = got.nextAfter;
      }
      if (!entries.length) { fill(rows, empty(t("oplog.none"))); return; }
      fill(rows, h("table", { class: "table small" },
        h("thead", {}, h("tr", {}, ["oplog.when", "oplog.who", "oplog.what", "oplog.result"].map((k) => h("th", {}, t(k))))),
        h("tbody", {}, entries.reverse().map((e) => h("tr", { testid: `oplog-${e.seq}` },
          h("td", { class: "small" }, new Date(e.at).toLocaleString()),
          h("td", { class: "small" }, e.actor.operator_name || t("oplog.merchantKey"), " ",
            h("small", { class: "muted mono" }, [e.actor.key_prefix ? `tdk_${e.actor.key_prefix}_…` : null, e.actor.client].filter(Boolean).join(" · "))),
          h("td", { class: "small" }, h("code", {}, e.action), " ", h("span", { class: "mono" }, short(e.target))),
          h("td", { class: "small" }, e.result.status === "ok"
            ? h("span", { class: "ok" }, t("oplog.ok"), e.result.tx_hash ? [" ", copyable(String(e.result.tx_hash), short(String(e.result.tx_hash)))] : null)
            : h("span", { class: "error" }, t("oplog.refused", { code: String(e.result.code ?? e.result.error ?? "") }))))))));
    } catch (error) {
      fill(rows, errorBox(error, load));
    }
  }

  fill(part, state, rows, h("div", { class: "row buttons" }, h("button", { type: "button", class: "link", onclick: load, testid: "oplog-refresh" }, t("oplog.refresh"))));
  load();
}
