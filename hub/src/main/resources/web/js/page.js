// What the account, users and audit pages share: the session, a role check, the page-level error.

import { byId, setText } from './dom.js';
import { startSession, atLeast } from './session.js';

/** Shows a page-level problem instead of the page. */
export function pageError(title, detail) {
  byId('page').hidden = true;
  setText(byId('page-error-title'), title);
  setText(byId('page-error-detail'), detail || '');
  byId('page-error').hidden = false;
}

/** Shows or hides a form's error line. */
export function showError(node, message) {
  setText(node, message || '');
  node.hidden = !message;
}

/**
 * Starts a page for callers with at least `minRole`: resolves to the session, or to null when
 * the page cannot be shown (signed out, role too low, hub unreachable; the reason is on screen).
 */
export async function startPage(minRole) {
  let session;
  try {
    session = await startSession();
  } catch (e) {
    pageError('servmon could not be reached', e.detail || String(e));
    return null;
  }
  if (!session) return null;
  if (!atLeast(session.role, minRole)) {
    pageError('Not for your role', `This page needs the ${minRole} role; you are ${session.role}.`);
    return null;
  }
  byId('page').hidden = false;
  return session;
}

