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
  constructor(status, detail, title = '', problem = {}) {
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.title = title;
    // The whole problem body: extension members such as totpRequired tell callers what to do.
    this.problem = problem;
  }
}

const ACCOUNT_PAGE = '/account.html';

/** To the sign-in page, which comes back here afterwards (deep links survive a sign-in). */
export function goToLogin() {
  const here = window.location.pathname + window.location.search;
  window.location.assign(here === '/' ? LOGIN_PAGE : `${LOGIN_PAGE}?next=${encodeURIComponent(here)}`);
}

/** Where the sign-in page goes next: the page that sent it there, if it is one of ours. */
export function afterLogin() {
  const next = new URLSearchParams(window.location.search).get('next') || '/';
  // Only a path on this origin: "//evil.example" or "https://…" would be an open redirect.
  return /^\/(?![\/\\])/.test(next) && !next.startsWith('/login.html') ? next : '/';
}

/**
 * Calls the API. Resolves to the parsed JSON body (or null for 204).
 * A 401 sends the browser to the login page unless `options.on401` is 'throw'.
 */
export async function request(method, path, body, options = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal: options.signal };
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
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The hub cannot be reached. Check that it is running and that the network is up.');
  }
  if (response.status === 401 && options.on401 !== 'throw') {
    goToLogin();
    // Keep callers waiting: the page is going away.
    return new Promise(() => {});
  }
  if (!response.ok) {
    const error = await problem(response);
    if (error.problem.totpEnrolmentRequired && window.location.pathname !== ACCOUNT_PAGE) {
      // The hub requires two-factor sign-in for this user: nothing works until it is set up.
      window.location.assign(ACCOUNT_PAGE);
      return new Promise(() => {});
    }
    throw error;
  }
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

async function problem(response) {
  let detail = '';
  let title = '';
  let body = {};
  try {
    body = (await response.json()) || {};
    detail = typeof body.detail === 'string' ? body.detail : '';
    title = typeof body.title === 'string' ? body.title : '';
  } catch (e) {
    // Not a problem body (a proxy's HTML page, say): fall back to the status line below.
  }
  if (!detail) {
    detail = `The hub answered ${response.status} ${response.statusText || title}`.trim();
  }
  return new ApiError(response.status, detail, title, typeof body === 'object' ? body : {});
}

export const api = {
  session: () => request('GET', '/api/v1/session', undefined, { on401: 'throw' }),
  /** `second` = { code } or { recoveryCode } for users with two-factor sign-in. */
  login: (username, password, second = {}) =>
    request('POST', '/api/v1/session', { username, password, ...second }, { on401: 'throw' }),
  totpStatus: () => request('GET', '/api/v1/session/totp'),
  totpBegin: () => request('POST', '/api/v1/session/totp', {}),
  totpConfirm: (code) => request('POST', '/api/v1/session/totp/confirm', { code }),
  totpDisable: (proof) => request('DELETE', '/api/v1/session/totp', proof),
  logout: () => request('DELETE', '/api/v1/session', undefined, { on401: 'throw' }),
  hosts: () => request('GET', '/api/v1/hosts'),
  host: (id) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}`),
  addHost: (name) => request('POST', '/api/v1/hosts', { name }),
  deleteHost: (id) => request('DELETE', `/api/v1/hosts/${encodeURIComponent(id)}`),
  renameHost: (id, name, tags) => request('PATCH', `/api/v1/hosts/${encodeURIComponent(id)}`, tags === undefined ? { name } : { name, tags }),
  rotateKey: (id) => request('POST', `/api/v1/hosts/${encodeURIComponent(id)}/key`),
  catalogue: () => request('GET', '/api/v1/metrics'),
  users: () => request('GET', '/api/v1/users'),
  addUser: (user) => request('POST', '/api/v1/users', user),
  changeUser: (id, change) => request('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, change),
  deleteUser: (id) => request('DELETE', `/api/v1/users/${encodeURIComponent(id)}`),
  changePassword: (currentPassword, newPassword) => request('POST', '/api/v1/session/password', { currentPassword, newPassword }),
  tokens: () => request('GET', '/api/v1/tokens'),
  addToken: (token) => request('POST', '/api/v1/tokens', token),
  revokeToken: (id) => request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`),
  /** A page of the audit log; `query` = { user, action, target, from, to, page, size } (all optional). */
  audit: (query) => request('GET', `/api/v1/audit?${params(query)}`),
  series: (id, init) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}/series`, undefined, init),
  /** Chart series; `query` = { names: [...], from, to, step? } (from/to epoch ms). */
  metrics: (id, query, init) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}/metrics?${params(query)}`, undefined, init),
  /** A page of raw samples; `query` = { from, to, page, size, sort, names? }. */
  commands: (id) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}/commands?limit=50`),
  power: (id, action, whenOffline) => request('POST', `/api/v1/hosts/${encodeURIComponent(id)}/power`, { action, whenOffline }),
  wake: (id, body) => request('POST', `/api/v1/hosts/${encodeURIComponent(id)}/wake`, body),
  wol: (id) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}/wol`),
  wakeable: () => request('GET', '/api/v1/power/wakeable'),
  history: (id, query, init) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}/history?${params(query)}`, undefined, init),
  // Alerts (docs/alerts.md)
  alerts: (query) => request('GET', `/api/v1/alerts?${params(query || {})}`),
  alertSummary: () => request('GET', '/api/v1/alerts/summary'),
  ackAlert: (id, comment) => request('POST', `/api/v1/alerts/${encodeURIComponent(id)}/ack`, { comment }),
  alertRules: () => request('GET', '/api/v1/alert-rules'),
  alertMetrics: () => request('GET', '/api/v1/alert-metrics'),
  saveRule: (id, rule) => (id ? request('PUT', `/api/v1/alert-rules/${encodeURIComponent(id)}`, rule) : request('POST', '/api/v1/alert-rules', rule)),
  deleteRule: (id) => request('DELETE', `/api/v1/alert-rules/${encodeURIComponent(id)}`),
  silence: (body) => request('POST', '/api/v1/silences', body),
  notifiers: () => request('GET', '/api/v1/notifiers'),
  addNotifier: (body) => request('POST', '/api/v1/notifiers', body),
  deleteNotifier: (id) => request('DELETE', `/api/v1/notifiers/${encodeURIComponent(id)}`),
  testNotifier: (id) => request('POST', `/api/v1/notifiers/${encodeURIComponent(id)}/test`),
  deliveries: (id) => request('GET', `/api/v1/notifiers/${encodeURIComponent(id)}/deliveries`),
  windows: () => request('GET', '/api/v1/maintenance-windows'),
  saveWindow: (id, body) => (id ? request('PUT', `/api/v1/maintenance-windows/${encodeURIComponent(id)}`, body)
    : request('POST', '/api/v1/maintenance-windows', body)),
  deleteWindow: (id) => request('DELETE', `/api/v1/maintenance-windows/${encodeURIComponent(id)}`),
  programs: (id) => request('GET', programsPath(id)),
  addProgram: (id, spec) => request('POST', programsPath(id), spec),
  updateProgram: (id, pid, spec) => request('PUT', programsPath(id, pid), spec),
  deleteProgram: (id, pid) => request('DELETE', programsPath(id, pid)),
  /** `action` is start, stop or restart. */
  programAction: (id, pid, action) => request('POST', `${programsPath(id, pid)}/${encodeURIComponent(action)}`),
  programHistory: (id, pid, query, init) => request('GET', `${programsPath(id, pid)}/history?${params(query)}`, undefined, init),
  programEvents: (id, pid) => request('GET', `${programsPath(id, pid)}/events?limit=20`),
  programLog: (id, pid, lines, init) => request('GET', `${programsPath(id, pid)}/log?lines=${encodeURIComponent(lines)}`, undefined, init),
  checks: (hostId) => request('GET', `/api/v1/checks${hostId ? `?hostId=${encodeURIComponent(hostId)}` : ''}`),
  check: (id) => request('GET', `/api/v1/checks/${encodeURIComponent(id)}`),
  addCheck: (body) => request('POST', '/api/v1/checks', body),
  updateCheck: (id, body) => request('PUT', `/api/v1/checks/${encodeURIComponent(id)}`, body),
  deleteCheck: (id) => request('DELETE', `/api/v1/checks/${encodeURIComponent(id)}`),
  runCheck: (id) => request('POST', `/api/v1/checks/${encodeURIComponent(id)}/run`),
  /** Results, uptime and a response-time series; `query` = { from, to }. */
  checkResults: (id, query, init) => request('GET', `/api/v1/checks/${encodeURIComponent(id)}/results?${params(query)}`, undefined, init),
  hostPublic: (id) => request('GET', `/api/v1/hosts/${encodeURIComponent(id)}/public`),
  setHostPublic: (id, shown) => request('PUT', `/api/v1/hosts/${encodeURIComponent(id)}/public`, { public: shown }),
};

function programsPath(id, pid) {
  const base = `/api/v1/hosts/${encodeURIComponent(id)}/programs`;
  return pid === undefined ? base : `${base}/${encodeURIComponent(pid)}`;
}

function params(query) {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    p.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  return p.toString();
}
