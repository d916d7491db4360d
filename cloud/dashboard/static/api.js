// Talking to the dashboard's JSON API (docs/dashboard.md): GET /dashboard/api/<name>?area=…, the session
// cookie sent along; an answer that is not 2xx becomes an ApiError with the server's error code, a
// request that never got an answer a NetworkError.

export const API_ROOT = "/dashboard/api/";
export const LOGOUT_URL = "/dashboard/logout";
export const LOGIN_URL = "/dashboard/login";

/** The server answered with an error: `status` (401, 403, 404 …) and its `code` (forbidden_area …). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

/** No answer at all (the server is down, the network is gone): the page keeps what it shows. */
export class NetworkError extends Error {}

/** The JSON of GET /dashboard/api/<name> with `params` (null and undefined values left out). */
export async function getJson(name, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") query.set(key, value);
  }
  const url = API_ROOT + name + (query.toString() ? `?${query}` : "");
  let reply;
  try {
    reply = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
  } catch (error) {
    throw new NetworkError(String(error));
  }
  if (!reply.ok) throw await apiError(reply);
  try {
    return await reply.json();
  } catch (error) {
    throw new NetworkError(`unreadable answer from ${name}: ${error}`);
  }
}

async function apiError(reply) {
  let body = {};
  try {
    body = await reply.json();
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  if (reply.status >= 500) {
    return new NetworkError(`HTTP ${reply.status}`);
  }
  return new ApiError(reply.status, body.error, body.message);
}

/** Sign out: POST /dashboard/logout with the session's CSRF token; resolves when the server has answered. */
export async function logout(csrfToken) {
  await fetch(LOGOUT_URL, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrfToken },
  });
}
