// The account page: two-factor sign-in (twofactor.js), change your own password; create, list and revoke API tokens.

import { api } from './api.js';
import { copyFrom } from './copy.js';
import { byId, el, setText } from './dom.js';
import { when } from './format.js';
import { startPage, showError } from './page.js';
import { rolesUpTo } from './session.js';
import { startTwoFactor } from './twofactor.js';

let session = null;

async function changePassword(event) {
  event.preventDefault();
  const error = byId('password-error');
  const done = byId('password-done');
  done.hidden = true;
  const current = byId('current-password').value;
  const next = byId('new-password').value;
  if (!current || !next) {
    showError(error, 'Enter your current password and a new one.');
    return;
  }
  if (next !== byId('repeat-password').value) {
    showError(error, 'The two new passwords differ.');
    return;
  }
  try {
    await api.changePassword(current, next);
    byId('password-form').reset();
    showError(error, '');
    done.hidden = false;
  } catch (e) {
    showError(error, e.detail || String(e));
  }
}

async function loadTokens() {
  try {
    const tokens = await api.tokens();
    const showOwner = session.role === 'admin';
    byId('token-owner-head').hidden = !showOwner;
    byId('tokens-body').replaceChildren(...tokens.map((t) => tokenRow(t, showOwner)));
    byId('tokens-empty').hidden = tokens.length > 0;
  } catch (e) {
    showError(byId('token-error'), e.detail || String(e));
  }
}

function tokenRow(t, showOwner) {
  const expired = t.expiresAtMs !== null && t.expiresAtMs <= Date.now();
  const revoke = el('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', 'data-testid': 'revoke-token', text: 'Revoke' });
  // Two clicks: the first asks, the second revokes (no alert() under this CSP-clean UI).
  revoke.addEventListener('click', async () => {
    if (!revoke.dataset.armed) {
      revoke.dataset.armed = '1';
      setText(revoke, 'Really revoke?');
      return;
    }
    try {
      await api.revokeToken(t.id);
    } catch (e) {
      if (e.status !== 404) showError(byId('token-error'), e.detail || String(e));
    }
    await loadTokens();
  });
  return el('tr', { 'data-testid': 'token-row', 'data-token-name': t.name },
    el('th', { scope: 'row' }, t.name, el('span', { class: 'muted small mono', text: ` ${t.prefix}` })),
    el('td', { text: t.role }),
    showOwner ? el('td', { text: t.username }) : null,
    el('td', { text: when(t.createdAtMs) }),
    el('td', { text: t.expiresAtMs === null ? 'never' : (expired ? `expired ${when(t.expiresAtMs)}` : when(t.expiresAtMs)) }),
    el('td', { 'data-testid': 'token-last-used', text: t.lastUsedAtMs === null ? 'never' : when(t.lastUsedAtMs) }),
    el('td', { class: 'row-actions' }, revoke));
}

async function createToken(event) {
  event.preventDefault();
  const error = byId('token-error');
  const name = byId('token-name').value.trim();
  if (!name) {
    showError(error, 'Give the token a name that says what uses it.');
    return;
  }
  const expiry = byId('token-expiry').value;
  try {
    const created = await api.addToken({ name, role: byId('token-role').value, expiresInDays: expiry ? Number(expiry) : null });
    byId('token-form').reset();
    showError(error, '');
    setText(byId('token-secret'), created.secret);
    setText(byId('token-copy-status'), '');
    byId('token-created').hidden = false;
    await loadTokens();
  } catch (e) {
    showError(error, e.detail || String(e));
  }
}

function hideSecret() {
  // The secret must not linger in the page once acknowledged.
  setText(byId('token-secret'), '');
  byId('token-created').hidden = true;
}

async function start() {
  session = await startPage('viewer');
  if (!session) return;
  setText(byId('account-role'), session.role);
  startTwoFactor();
  const roleSelect = byId('token-role');
  roleSelect.replaceChildren(...rolesUpTo(session.role).map((r) => el('option', { value: r, text: r })));
  byId('password-form').addEventListener('submit', changePassword);
  byId('token-form').addEventListener('submit', createToken);
  byId('token-done').addEventListener('click', hideSecret);
  byId('copy-token').addEventListener('click', async () => {
    const copied = await copyFrom(byId('token-secret'), byId('copy-token'));
    setText(byId('token-copy-status'), copied ? 'Copied to the clipboard.' : 'Copying is blocked here: the text is selected, press Ctrl+C (⌘C).');
  });
  await loadTokens();
}

start();
