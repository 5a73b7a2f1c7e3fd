// What every signed-in page does first: find the session (or go to the sign-in page), take its
// CSRF token, show who is signed in and wire "Sign out".

import { api, setCsrfToken, goToLogin } from './api.js';
import { byId, setText } from './dom.js';

/**
 * The current session, or null when the browser is on its way to the sign-in page.
 * Other failures (hub unreachable, 5xx) are thrown for the page to show.
 */
export async function startSession() {
  let session;
  try {
    session = await api.session();
  } catch (e) {
    if (e.status === 401) {
      goToLogin();
      return null;
    }
    throw e;
  }
  setCsrfToken(session.csrfToken);
  const user = byId('user-name');
  setText(user, session.username);
  user.title = session.role ? `role: ${session.role}` : '';
  byId('logout').addEventListener('click', logout);
  // Links and controls for a role (data-min-role="admin") appear only for it; the API refuses the rest anyway.
  for (const node of document.querySelectorAll('[data-min-role]')) node.hidden = !atLeast(session.role, node.dataset.minRole);
  return session;
}

const ROLES = ['viewer', 'operator', 'admin'];

/** Whether `role` may do what `min` may. */
export function atLeast(role, min) {
  return ROLES.indexOf(role) >= ROLES.indexOf(min) && ROLES.includes(min);
}

/** The roles up to and including `role`, lowest first (what a token of this user may have). */
export function rolesUpTo(role) {
  return ROLES.slice(0, ROLES.indexOf(role) + 1);
}

/** Whether the session may change things (add, rename, delete); viewers only look. */
export function canEdit(session) {
  return session.role !== 'viewer';
}

async function logout() {
  try {
    await api.logout();
  } catch (e) {
    console.warn('servmon: sign-out failed, leaving anyway:', e.detail || e);
  }
  goToLogin();
}
