// Typed-data documents for the VoucherBook (SPEC16 §2): Purchase, VoucherGift and
// VoucherRedemption under the domain "Tongdui VoucherBook" v1, built from what
// GET /vouchers/eip712 says (the domain and the types), so no address or type is written here.
import { api } from "./api.js";
/** @import { Answer } from "./api-types.js" */

// EIP-712 fixes the type of each domain field; eth_signTypedData_v4 wants them listed
const DOMAIN_FIELD_TYPES = { name: "string", version: "string", chainId: "uint256", verifyingContract: "address", salt: "bytes32" };

/** @type {Promise<Answer<"GET /vouchers/eip712">> | undefined} */
let domainPromise;
/** The VoucherBook's EIP-712 domain and types (cached for the session). */
export function voucherDomain() {
  domainPromise ||= api.get("/vouchers/eip712").catch((e) => { domainPromise = undefined; throw e; });
  return domainPromise;
}

/**
 * The eth_signTypedData_v4 document of one voucher request; uints travel as decimal strings.
 * @param {{ domain?: Object<string, unknown>, types?: Object<string, {name: string, type: string}[]> }} info
 * @param {"Purchase" | "VoucherGift" | "VoucherRedemption"} primaryType
 * @param {Object<string, unknown>} fields
 */
export function voucherTypedData(info, primaryType, fields) {
  const fieldTypes = info.types[primaryType];
  const message = {};
  for (const { name, type } of fieldTypes) message[name] = type === "address" ? fields[name] : String(fields[name] ?? 0);
  const domainFields = Object.keys(info.domain).filter((name) => DOMAIN_FIELD_TYPES[name]).map((name) => ({ name, type: DOMAIN_FIELD_TYPES[name] }));
  return { types: { EIP712Domain: domainFields, [primaryType]: fieldTypes }, primaryType, domain: info.domain, message };
}

/** What the holder's QR code carries: the body the till posts to …/vouchers/redeem, as JSON. */
export function redemptionPayload(redemption, signature) {
  return JSON.stringify({ redemption: { voucherId: String(redemption.voucherId), holder: redemption.holder, deadline: String(redemption.deadline) }, signature });
}

/** The payload read back (pasted or scanned), or null when it is not a voucher code. */
export function parseRedemption(text) {
  let data;
  try { data = JSON.parse(String(text).trim()); } catch { return null; }
  const r = data?.redemption;
  if (!r || !/^\d+$/.test(String(r.voucherId)) || !/^0x[0-9a-fA-F]{40}$/.test(String(r.holder)) || !/^\d+$/.test(String(r.deadline))) return null;
  if (!/^0x[0-9a-fA-F]{130}$/.test(String(data.signature))) return null;
  return { redemption: { voucherId: String(r.voucherId), holder: String(r.holder), deadline: String(r.deadline) }, signature: String(data.signature) };
}
