// The Tongdui API over fetch: JSON in and out, errors as {code, message, details}.
// Same origin: the pages are served by the API itself. The answers' shapes are the OpenAPI
// document's (api-types.js, generated from it): a page names the route it reads with
// `/** @type {Answer<"GET /merchants">} */` and `npx tsc -p tsconfig.json` checks every
// property it touches; nothing here guesses at a shape or probes for an endpoint.
/** @import { Answer, MerchantInfo } from "./api-types.js" */

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code || (status ? `HTTP_${status}` : "NETWORK");
    this.details = body?.details || {};
  }
}

/**
 * @typedef {Object<string, string | number | null | undefined>} Query
 * @typedef {Object<string, string>} Headers
 */

/**
 * One request; the answer's JSON (null for an empty body), or an ApiError.
 * @param {string} method
 * @param {string} path
 * @param {{ body?: object, query?: Query | null, headers?: Headers }} [options]
 * @returns {Promise<any>} typed by the caller's `Answer<route>`
 */
async function call(method, path, { body, query, headers } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
    const qs = params.toString();
    if (qs) url += `?${qs}`;
  }
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    throw new ApiError(0, { code: "NETWORK", message: String(error) });
  }
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { message: text }; }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const api = {
  /** @type {(path: string, query?: Query | null, headers?: Headers) => Promise<any>} */
  get: (path, query, headers) => call("GET", path, { query, headers }),
  /** @type {(path: string, body: object, headers?: Headers) => Promise<any>} */
  post: (path, body, headers) => call("POST", path, { body, headers }),
  /** @type {(path: string, body: object, headers?: Headers) => Promise<any>} */
  put: (path, body, headers) => call("PUT", path, { body, headers }),
  /** @type {(path: string, headers?: Headers) => Promise<any>} */
  del: (path, headers) => call("DELETE", path, { headers }),
};

/** @type {Promise<Answer<"GET /orders/domain">> | undefined} */
let domainPromise;
/** The EIP-712 domain, types and chain id the relayer expects (cached for the session). */
export function orderDomain() {
  domainPromise ||= api.get("/orders/domain").catch((e) => { domainPromise = undefined; throw e; });
  return domainPromise;
}

/** @type {MerchantInfo[] | undefined} */
let merchantsCache;
/** Every merchant with its points token, symbol and point value (refreshed on demand). */
export async function merchants(refresh = false) {
  if (!merchantsCache || refresh) {
    /** @type {Answer<"GET /merchants">} */
    const data = await api.get("/merchants");
    merchantsCache = data.merchants;
  }
  return merchantsCache;
}
