// Client of the Mysfits HTTP API (docs/api.md).
// Every call has a deadline, so an API that never answers ends in a visible error rather than
// an endless spinner. POSTs carry no body and no custom header: they stay CORS "simple
// requests" and need no preflight.

const kDefaultApiBase = "http://127.0.0.1:8080";
const kTimeoutMs = 8000;

export class ApiError extends Error {
  // code: the API's error code ("not_found", ...), "unreachable", "timeout" or "bad_response".
  constructor(message, {status = 0, code = "unreachable"} = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

// The API base: `?api=URL` in the page address, else config.js, else the local default.
// Throws ApiError for anything that is not an http(s) address.
export function resolveApiBase(search, config, pageHref) {
  const override = new URLSearchParams(search).get("api");
  const raw = override || config?.apiBase || kDefaultApiBase;
  let url;
  try {
    url = new URL(raw, pageHref);
  } catch {
    throw new ApiError(`"${raw}" is not a valid API address.`, {code: "config"});
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ApiError(`"${raw}" is not an http(s) API address.`, {code: "config"});
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

export function createApi(base, {fetchImpl = globalThis.fetch.bind(globalThis),
                                  timeoutMs = kTimeoutMs} = {}) {
  async function request(method, path) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let response;
      try {
        response = await fetchImpl(`${base}${path}`, {method, signal: controller.signal});
      } catch {
        if (controller.signal.aborted) {
          throw new ApiError(`The Mysfits API at ${base} did not answer in time.`, {code: "timeout"});
        }
        throw new ApiError(`The Mysfits API at ${base} cannot be reached.`);
      }
      let body = null;
      try {
        body = await response.json();
      } catch {
        // Not JSON (a proxy's HTML error page, say): reported below with the status.
      }
      if (!response.ok) {
        const detail = typeof body?.message === "string" ? `: ${body.message}` : ".";
        throw new ApiError(`The Mysfits API answered ${response.status}${detail}`, {
          status: response.status,
          code: typeof body?.error === "string" ? body.error : "http",
        });
      }
      if (body === null || typeof body !== "object") {
        throw new ApiError(`The Mysfits API at ${base} sent an answer that is not JSON.`, {
          status: response.status,
          code: "bad_response",
        });
      }
      return body;
    } finally {
      clearTimeout(timer);
    }
  }

  const mysfitPath = (id) => `/mysfits/${encodeURIComponent(id)}`;

  return {
    base,
    // query: {filter: "GoodEvil" | "LawChaos", value} or null for every mysfit.
    async list(query = null) {
      const search = query
        ? `?${new URLSearchParams({filter: query.filter, value: query.value})}`
        : "";
      const body = await request("GET", `/mysfits${search}`);
      if (!Array.isArray(body.mysfits)) {
        throw new ApiError("The Mysfits API sent a list without mysfits.", {code: "bad_response"});
      }
      return body.mysfits;
    },
    get: (id) => request("GET", mysfitPath(id)),
    // Resolves to the stored number of likes after this one.
    async like(id) {
      const body = await request("POST", `${mysfitPath(id)}/like`);
      if (!Number.isInteger(body.likes)) {
        throw new ApiError("The Mysfits API did not say how many likes there are now.", {
          code: "bad_response",
        });
      }
      return body.likes;
    },
    adopt: (id) => request("POST", `${mysfitPath(id)}/adopt`),
  };
}
