// How the voucher pages write a voucher's days: shared by the wallet and the merchant page.
import { t } from "./i18n.js";
import { num } from "./ui.js";

/** A unix time or an ISO date as the day it falls on in China time (UTC+8), YYYY-MM-DD. */
export function day(value) {
  if (value === null || value === undefined || value === "" || value === 0) return "—";
  if (typeof value === "string" && !/^\d+$/.test(value)) return value.slice(0, 10);
  return new Date(Number(value) * 1000 + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

/** How long a product's vouchers stay valid: a fixed date or N days from the purchase. */
export function validityText(product) {
  if (product.validUntil) return t("voucher.validUntil", { date: day(product.validUntil) });
  return t("voucher.validDays", { n: num(product.validDays) });
}
