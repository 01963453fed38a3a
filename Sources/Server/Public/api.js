// HTTP client: every call sends the session token (from POST /auth/login) as a Bearer token; errors
// become ApiError with the problem+json fields (detail, errors[].field/message, checks) so forms can
// show them. The API key itself is only ever sent once, to /auth/login, and never kept.
const TOKEN_KEY = "ta.token";

export function getToken() { return sessionStorage.getItem(TOKEN_KEY); }
export function setToken(token) { sessionStorage.setItem(TOKEN_KEY, token); }
export function clearToken() { sessionStorage.removeItem(TOKEN_KEY); }

export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || null;
    this.detail = problem.detail || problem.title || `The server answered ${status}.`;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.checks = Array.isArray(problem.checks) ? problem.checks : [];
    this.problem = problem;
  }
  get notFound() { return this.status === 404; }
}

let unauthorizedHandler = () => {};
export function onUnauthorized(handler) { unauthorizedHandler = handler; }

/** `api(path, {method, body, query})` → parsed JSON (null for 204). Throws ApiError. */
export async function api(path, options = {}) {
  const { method = "GET", body, query } = options;
  let url = path;
  if (query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
    }
    const text = params.toString();
    if (text) url += (url.includes("?") ? "&" : "?") + text;
  }
  const headers = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, { detail: "The server cannot be reached. Is it running?" });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { detail: text.slice(0, 200) }; }
  }
  if (response.status === 401) {
    unauthorizedHandler(data && data.detail);
    throw new ApiError(401, data || {});
  }
  if (!response.ok) throw new ApiError(response.status, data || {});
  return data;
}

/** Trades a one-time login code (`{code}`) or the API key (`{api_key}`) for a session token, kept
 *  in sessionStorage. Throws ApiError (401 when the code or key is not accepted). */
export async function login(credentials) {
  let response;
  try {
    response = await fetch("/auth/login", {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(credentials),
    });
  } catch (error) {
    throw new ApiError(0, { detail: "The server cannot be reached. Is it running?" });
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok || !data || typeof data.token !== "string") throw new ApiError(response.status, data || {});
  setToken(data.token);
  return data;
}

/** Ends the session on the server (best effort) and forgets it here. */
export async function logout() {
  const token = getToken();
  clearToken();
  if (!token) return;
  try {
    await fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  } catch { /* the session expires on its own */ }
}

export const get = (path, query) => api(path, { query });
export const post = (path, body) => api(path, { method: "POST", body: body === undefined ? {} : body });
export const patch = (path, body) => api(path, { method: "PATCH", body });
export const del = (path) => api(path, { method: "DELETE" });
export const enc = encodeURIComponent;
