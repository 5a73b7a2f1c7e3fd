// The one way the dashboard talks to the hub: JSON in and out, the CSRF token on every
// state-changing request, RFC 9457 problem bodies turned into errors a person can read.

const LOGIN_PAGE = '/login.html';
const SAFE_METHODS = new Set(['GET', 'HEAD']);

let csrfToken = null;

/** Remembers the token from the session answer; sent as X-CSRF-Token from then on. */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** An API failure; `detail` is the hub's sentence for people, `status` 0 means unreachable. */
export class ApiError extends Error {
  constructor(status, detail, title = '') {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.title = title;
  }
}

export function goToLogin() {
  window.location.assign(LOGIN_PAGE);
}

/**
 * Calls the API. Resolves to the parsed JSON body (or null for 204).
 * A 401 sends the browser to the login page unless `options.on401` is 'throw'.
 */
export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (!SAFE_METHODS.has(method) && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'The hub cannot be reached. Check that it is running and that the network is up.');
  }
  if (response.status === 401 && options.on401 !== 'throw') {
    goToLogin();
    // Keep callers waiting: the page is going away.
    return new Promise(() => {});
  }
  if (!response.ok) {
    throw await problem(response);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function problem(response) {
  let detail = '';
  let title = '';
  try {
    const body = await response.json();
    detail = typeof body.detail === 'string' ? body.detail : '';
    title = typeof body.title === 'string' ? body.title : '';
  } catch (e) {
    // Not a problem body (a proxy's HTML page, say): fall back to the status line below.
  }
  if (!detail) {
    detail = `The hub answered ${response.status} ${response.statusText || title}`.trim();
  }
  return new ApiError(response.status, detail, title);
}

export const api = {
  session: () => request('GET', '/api/v1/session', undefined, { on401: 'throw' }),
  login: (username, password) =>
    request('POST', '/api/v1/session', { username, password }, { on401: 'throw' }),
  logout: () => request('DELETE', '/api/v1/session', undefined, { on401: 'throw' }),
  hosts: () => request('GET', '/api/v1/hosts'),
  host: (id) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}`),
  addHost: (name) => request('POST', '/api/v1/hosts', { name }),
  deleteHost: (id) => request('DELETE', `/api/v1/hosts/${encodeURIComponent(id)}`),
};
