// The sign-in page: POST /api/v1/session, then on to the overview (or the page that sent us here).

import { api, afterLogin } from './api.js';
import { byId, setText } from './dom.js';

const form = byId('login-form');
const username = byId('username');
const password = byId('password');
const error = byId('login-error');
const submit = byId('login-submit');

function showError(message) {
  setText(error, message || '');
  error.hidden = !message;
}

// Already signed in (a bookmark, the back button): go straight on.
api.session().then(
  () => window.location.replace(afterLogin()),
  () => {},
);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!username.value.trim() || !password.value) {
    showError('Enter your username and password.');
    (username.value.trim() ? password : username).focus();
    return;
  }
  submit.disabled = true;
  showError('');
  try {
    await api.login(username.value.trim(), password.value);
    window.location.replace(afterLogin());
  } catch (e) {
    // 401 wrong credentials, 429 too many attempts: the hub's sentence says which.
    showError(e.detail || String(e));
    password.value = '';
    password.focus();
    submit.disabled = false;
  }
});
