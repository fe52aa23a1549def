// The merchant page's webhook section: the endpoints (read), registering one and rotating its
// secret (webhooks scope; the secret is shown once, here, and never again), and each
// endpoint's deliveries with their attempts, with a replay button.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { empty, errorBox, field, fill, h, loading } from "./ui.js";
/** @import { Answer } from "./api-types.js" */

const EVENT_TYPES = ["points.issued", "points.redeemed", "swap.out", "swap.in", "order.rejected", "risk.intercepted"];

/** @param {HTMLElement} part @param {(p: string) => string} path @param {() => Record<string, string>} headers @param {(scope: string) => boolean} can */
export function webhooksSection(part, path, headers, can) {
  const list = h("div", { testid: "webhooks-list" });
  const secretBox = h("div", { testid: "webhooks-secret" });

  function showSecret(answer) {
    fill(secretBox, h("p", { class: "state ok" }, t("webhooks.secretOnce"), " ", h("code", { class: "mono", testid: "webhooks-secret-value" }, answer.secret)));
  }

  async function load() {
    if (!list.childElementCount) fill(list, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/webhooks">} */
      const endpoints = await api.get(path("/webhooks"), null, headers());
      if (!endpoints.length) { fill(list, empty(t("webhooks.none"))); return; }
      fill(list, h("ul", { class: "stack" }, endpoints.map((e) => h("li", {},
        h("span", { class: "mono small" }, e.url), " ", h("small", { class: "muted" }, e.eventTypes.map((k) => t(`webhooks.type.${k}`)).join(" · ")), " ",
        can("webhooks") ? h("button", { type: "button", class: "link", onclick: () => rotate(e.id) }, t("webhooks.rotate")) : null, " ",
        h("button", { type: "button", class: "link", onclick: (ev) => deliveries(e.id, ev.target.parentElement) }, t("webhooks.deliveries"))))));
    } catch (error) {
      fill(list, errorBox(error, load));
    }
  }

  async function rotate(id) {
    try {
      showSecret(await api.post(path(`/webhooks/${id}/rotate`), {}, headers()));
    } catch (error) {
      fill(secretBox, errorBox(error));
    }
  }

  async function deliveries(id, where) {
    const box = h("div", {}, loading());
    where.append(box);
    try {
      /** @type {Answer<"GET /merchants/{token}/webhooks/{endpoint_id}/deliveries">} */
      const rows = await api.get(path(`/webhooks/${id}/deliveries`), null, headers());
      if (!rows.length) { fill(box, empty(t("webhooks.noDeliveries"))); return; }
      fill(box, h("table", { class: "table small" }, h("tbody", {}, rows.map((d) => h("tr", {},
        h("td", { class: "mono" }, d.eventId), h("td", {}, t(`webhooks.type.${d.type}`)), h("td", {}, t(`webhooks.state.${d.state}`)),
        h("td", {}, t("webhooks.attempts", { count: d.attempts.length, last: d.attempts.length ? String(d.attempts[d.attempts.length - 1].statusCode ?? d.attempts[d.attempts.length - 1].error) : "—" })),
        h("td", {}, can("webhooks") ? h("button", { type: "button", class: "link", onclick: () => replay(d.id, box) }, t("webhooks.replay")) : null))))));
    } catch (error) {
      fill(box, errorBox(error));
    }
  }

  async function replay(id, box) {
    try {
      /** @type {Answer<"POST /merchants/{token}/webhooks/deliveries/{delivery_id}/replay">} */
      const outcome = await api.post(path(`/webhooks/deliveries/${id}/replay`), {}, headers());
      box.append(h("p", { class: outcome.ok ? "state ok" : "state error" }, outcome.ok ? t("webhooks.replayed") : t("webhooks.replayFailed", { error: String(outcome.statusCode ?? outcome.error) })));
    } catch (error) {
      box.append(errorBox(error));
    }
  }

  function form() {
    const url = h("input", { type: "url", name: "url", placeholder: "https://", testid: "webhooks-url" });
    const boxes = EVENT_TYPES.map((kind) => h("input", { type: "checkbox", name: kind, checked: kind === "points.issued" }));
    async function onSubmit(event) {
      event.preventDefault();
      const eventTypes = EVENT_TYPES.filter((_, i) => boxes[i].checked);
      try {
        showSecret(await api.post(path("/webhooks"), { url: url.value.trim(), eventTypes }, headers()));
        load();
      } catch (error) {
        fill(secretBox, errorBox(error));
      }
    }
    return h("form", { class: "form", onsubmit: onSubmit },
      h("p", { class: "muted small" }, t("webhooks.help")),
      field(t("webhooks.url"), url),
      h("div", { class: "row" }, EVENT_TYPES.map((kind, i) => h("label", {}, boxes[i], " ", t(`webhooks.type.${kind}`)))),
      h("div", { class: "row buttons" }, h("button", { type: "submit", class: "primary", testid: "webhooks-add" }, t("webhooks.add"))));
  }

  fill(part, can("webhooks") ? form() : null, secretBox, list);
  load();
}
