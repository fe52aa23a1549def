// The Tongdui API over fetch: JSON in and out, errors as {code, message, details}.
// Same origin: the pages are served by the API itself.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code || (status ? `HTTP_${status}` : "NETWORK");
    this.details = body?.details || {};
  }
}

async function call(method, path, { body, query, headers } = {}) {
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") params.set(k, v);
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
  get: (path, query, headers) => call("GET", path, { query, headers }),
  post: (path, body, headers) => call("POST", path, { body, headers }),
  put: (path, body, headers) => call("PUT", path, { body, headers }),
  /** True when the API answers `path` (used to adapt to optional endpoints). */
  async has(path) {
    try { await call("GET", path); return true; } catch (e) { return e.status !== 404; }
  },
};

/** The EIP-712 domain, types and chain id the relayer expects (cached for the session). */
let domainPromise;
export function orderDomain() {
  domainPromise ||= api.get("/orders/domain").catch((e) => { domainPromise = undefined; throw e; });
  return domainPromise;
}

let merchantsCache;
/** Every merchant with its points token, symbol and point value (refreshed on demand). */
export async function merchants(refresh = false) {
  if (!merchantsCache || refresh) {
    const data = await api.get("/merchants");
    merchantsCache = Array.isArray(data) ? data : data.merchants || data.items || [];
  }
  return merchantsCache;
}
