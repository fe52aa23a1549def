// The merchant page's voucher products: listing one (name, terms, face value, price, stock,
// validity as a fixed date or N days, per-user limit, what happens to an unused voucher's
// value), pausing, resuming and restocking them (scope `vouchers`), and the sales, redemptions
// and breakage per day as charts (chart.js).
import { api } from "./api.js";
import { barChart } from "./chart.js";
import { t } from "./i18n.js";
import { empty, errorBox, field, fill, gate, h, loading, num, yuan } from "./ui.js";
import { validityText } from "./voucher-format.js";
/** @import { Answer } from "./api-types.js" */

const REFRESH_MS = 10_000;

/** Yuan as typed ("12.5") → fen (1250), or NaN. */
export function fen(text) {
  const value = String(text).trim();
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return Number.NaN;
  const [whole, part = ""] = value.split(".");
  return Number(whole) * 100 + Number(part.padEnd(2, "0"));
}

/** A date input's YYYY-MM-DD as the unix time of its end (23:59:59 China time). */
export function endOfDay(isoDate) {
  return Math.floor(Date.parse(`${isoDate}T23:59:59+08:00`) / 1000);
}

/**
 * @param {{ products: HTMLElement, sales: HTMLElement }} parts
 * @param {(p: string) => string} path
 * @param {() => Record<string, string>} headers
 * @param {(scope: string) => boolean} can
 */
export function voucherProductsSection(parts, path, headers, can) {
  const list = h("div", { testid: "voucher-products" });
  const result = h("div", { testid: "voucher-product-result" });

  async function load() {
    if (!list.childElementCount) fill(list, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/vouchers/products">} */
      const products = await api.get(path("/vouchers/products"), null, headers());
      if (!products.length) { fill(list, empty(t("mv.none"))); return; }
      fill(list, h("div", { class: "table-scroll" }, h("table", { class: "table small" },
        h("thead", {}, h("tr", {}, [t("mv.name"), t("shop.price"), t("shop.stock"), t("mv.sold"), t("mv.redeemed"), t("mv.expired"), t("col.status"), ""].map((c) => h("th", {}, c)))),
        h("tbody", {}, products.map(row)))));
    } catch (error) {
      fill(list, errorBox(error, load));
    }
  }

  function row(p) {
    const stock = h("input", { type: "number", min: "1", step: "1", inputmode: "numeric", class: "narrow", "aria-label": t("mv.addStock"), testid: "mv-stock-amount" });
    return h("tr", { testid: `mv-product-${p.productId}`, "data-name": p.name },
      h("td", {}, h("strong", {}, p.name), h("small", { class: "muted block" }, `${t("voucher.faceValue")} ${yuan(p.faceValue)} · ${validityText(p)}`)),
      h("td", { class: "num" }, yuan(p.price)),
      h("td", { class: "num", testid: "mv-stock" }, num(p.stock)),
      h("td", { class: "num", testid: "mv-sold" }, num(p.sold)),
      h("td", { class: "num", testid: "mv-redeemed" }, num(p.redeemed)),
      h("td", { class: "num" }, num(p.expired)),
      h("td", { testid: "mv-status" }, p.paused ? t("mv.paused") : t("mv.onSale")),
      h("td", {}, can("vouchers") ? [
        h("button", { type: "button", class: "link", testid: p.paused ? "mv-resume" : "mv-pause", onclick: () => act(p, p.paused ? "resume" : "pause", {}) }, p.paused ? t("mv.resume") : t("mv.pause")),
        h("span", { class: "inline" }, stock, h("button", { type: "button", class: "link", testid: "mv-add-stock", onclick: () => act(p, "stock", { amount: Number(stock.value) }) }, t("mv.addStock")))] : null));
  }

  async function act(p, action, body) {
    if (action === "stock" && !(Number.isInteger(body.amount) && body.amount > 0)) { fill(result, h("p", { class: "state error" }, t("mv.stockPositive"))); return; }
    fill(result, loading(t("merchant.sending")));
    try {
      await api.post(path(`/vouchers/products/${p.productId}/${action}`), body, headers());
      fill(result, h("p", { class: "state ok", testid: "mv-done" }, t(`mv.done.${action}`, { name: p.name, amount: num(body.amount) })));
      load();
    } catch (error) {
      fill(result, errorBox(error));
    }
  }

  function form() {
    const name = h("input", { name: "name", maxlength: "80", testid: "mv-name" });
    const terms = h("textarea", { name: "terms", rows: 2, maxlength: "1000", testid: "mv-terms" });
    const faceValue = h("input", { name: "faceValue", inputmode: "decimal", placeholder: "20.00", testid: "mv-face" });
    const price = h("input", { name: "price", inputmode: "decimal", placeholder: "18.00", testid: "mv-price" });
    const stock = h("input", { name: "stock", type: "number", min: "1", step: "1", inputmode: "numeric", testid: "mv-stock-initial" });
    const limit = h("input", { name: "perUserLimit", type: "number", min: "0", step: "1", inputmode: "numeric", value: "0", testid: "mv-limit" });
    const validKind = h("select", { name: "validKind", testid: "mv-valid-kind" }, h("option", { value: "days" }, t("mv.validDaysKind")), h("option", { value: "date" }, t("mv.validDateKind")));
    const validDays = h("input", { name: "validDays", type: "number", min: "1", step: "1", inputmode: "numeric", value: "30", testid: "mv-valid-days" });
    const validUntil = h("input", { name: "validUntil", type: "date", testid: "mv-valid-until", hidden: true });
    const saleEnds = h("input", { name: "saleEndsAt", type: "date", testid: "mv-sale-ends" });
    const breakage = h("select", { name: "breakage", testid: "mv-breakage" }, h("option", { value: "0" }, t("voucher.breakage.0")), h("option", { value: "1" }, t("voucher.breakage.1")));
    const submit = h("button", { type: "submit", class: "primary", testid: "mv-list" }, t("mv.list"));
    const submitGate = gate(submit, "mv-list-why");
    const note = h("div", { testid: "mv-list-result" });
    validKind.addEventListener("change", () => { validDays.hidden = validKind.value !== "days"; validUntil.hidden = validKind.value !== "date"; });

    async function onSubmit(event) {
      event.preventDefault();
      const body = {
        name: name.value.trim(), terms: terms.value.trim(), faceValue: fen(faceValue.value), price: fen(price.value),
        stock: Number(stock.value), perUserLimit: Number(limit.value || 0), breakage: Number(breakage.value),
        validDays: validKind.value === "days" ? Number(validDays.value) : 0,
        validUntil: validKind.value === "date" && validUntil.value ? endOfDay(validUntil.value) : 0,
        saleEndsAt: saleEnds.value ? endOfDay(saleEnds.value) : 0,
      };
      const problem = !body.name ? t("mv.why.name") : !(body.faceValue > 0) || !(body.price > 0) ? t("mv.why.money")
        : !(Number.isInteger(body.stock) && body.stock > 0) ? t("mv.stockPositive")
        : !(body.validDays > 0) && !(body.validUntil > 0) ? t("mv.why.validity") : null;
      if (problem) { fill(note, h("p", { class: "state error", testid: "mv-form-error" }, problem)); return; }
      submitGate.set(t("merchant.why.sending"));
      fill(note, loading(t("merchant.sending")));
      try {
        /** @type {Answer<"POST /merchants/{token}/vouchers/products">} */
        const answer = await api.post(path("/vouchers/products"), body, headers());
        fill(note, h("p", { class: "state ok", testid: "mv-listed" }, t("mv.listed", { name: body.name, id: answer.productId ?? "—" })));
        for (const el of [name, terms, faceValue, price, stock]) el.value = "";
        load();
      } catch (error) {
        fill(note, errorBox(error));
      } finally {
        submitGate.set(null);
      }
    }
    return h("form", { class: "form", onsubmit: onSubmit, testid: "mv-form" },
      h("h4", {}, t("mv.new")),
      field(t("mv.name"), name), field(t("mv.terms"), terms, t("mv.termsHint")),
      h("div", { class: "row" }, field(t("voucher.faceValue"), faceValue, t("merchant.amountYuan")), field(t("shop.price"), price, t("mv.priceHint"))),
      h("div", { class: "row" }, field(t("shop.stock"), stock), field(t("voucher.perUserLimit"), limit, t("mv.limitHint"))),
      h("div", { class: "row" }, field(t("voucher.validity"), validKind), field(t("mv.validFor"), h("span", {}, validDays, validUntil))),
      h("div", { class: "row" }, field(t("mv.saleEnds"), saleEnds, t("mv.saleEndsHint")), field(t("voucher.breakage"), breakage)),
      h("div", { class: "row buttons" }, submit, submitGate.why), note);
  }

  async function loadSales() {
    if (!parts.sales.childElementCount) fill(parts.sales, loading());
    try {
      /** @type {Answer<"GET /merchants/{token}/vouchers/sales">} */
      const sales = await api.get(path("/vouchers/sales"), { period: "day" }, headers());
      const days = sales.points;
      if (!days.length) { fill(parts.sales, empty(t("mv.noSales"))); return; }
      const labels = days.map((d) => d.day.slice(5, 10));
      const fmt = (v) => yuan(v).replace(/\.00$/, "");
      fill(parts.sales, h("div", { class: "grid2", testid: "mv-charts" },
        barChart({ title: t("mv.chartCounts"), labels, format: (v) => num(Math.round(v)), series: [
          { name: t("mv.sales"), values: days.map((d) => d.sales) },
          { name: t("mv.redemptions"), values: days.map((d) => d.redemptions), color: "#1f6feb" }] }),
        barChart({ title: t("mv.chartValue"), labels, format: fmt, series: [
          { name: t("mv.salesValue"), values: days.map((d) => d.salesValue), color: "#2da44e" },
          { name: t("mv.breakageValue"), values: days.map((d) => d.breakageValue), color: "#bf8700" }] })));
    } catch (error) {
      fill(parts.sales, errorBox(error, loadSales));
    }
  }

  fill(parts.products, can("vouchers") ? form() : null, result, list);
  load();
  loadSales();
  // sales happen in the wallets: the counts follow them while the page is open
  // (not while a stock amount is being typed in the table)
  const typing = () => [...list.querySelectorAll("input")].some((el) => el.value || el === document.activeElement);
  const timer = setInterval(() => {
    if (!list.isConnected) { clearInterval(timer); return; }
    if (!typing()) load();
    loadSales();
  }, REFRESH_MS);
  return { reload: () => { load(); loadSales(); } };
}
