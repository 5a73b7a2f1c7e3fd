// The sign-in page: POST /api/v1/session, then on to the overview (or the page that sent us here).

import { api, afterLogin } from './api.js';
import { byId, setText } from './dom.js';

const form = byId('login-form');
const username = byId('username');
const password = byId('password');
const error = byId('login-error');
const submit = byId('login-submit');
const secondFactor = byId('second-factor');
const code = byId('totp-code');
const codeLabel = byId('totp-label');
const useRecovery = byId('use-recovery');
let recoveryMode = false;

useRecovery.addEventListener('click', () => {
  recoveryMode = !recoveryMode;
  setText(codeLabel, recoveryMode ? 'Recovery code' : 'Code from your authenticator app');
  setText(useRecovery, recoveryMode ? 'Use the authenticator app instead' : 'Use a recovery code instead');
  code.setAttribute('inputmode', recoveryMode ? 'text' : 'numeric');
  code.value = '';
  code.focus();
});

/** The second factor to send, once the hub asked for it. */
function second() {
  if (secondFactor.hidden || !code.value.trim()) return {};
  return recoveryMode ? { recoveryCode: code.value.trim() } : { code: code.value.trim() };
}

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
    await api.login(username.value.trim(), password.value, second());
    window.location.replace(afterLogin());
  } catch (e) {
    submit.disabled = false;
    if (e.problem && e.problem.totpRequired) {
      // Password right; the hub wants the second factor. Keep the password for the next try.
      const asked = !secondFactor.hidden;
      secondFactor.hidden = false;
      showError(asked ? e.detail : '');
      code.value = '';
      code.focus();
      return;
    }
    // 401 wrong credentials, 429 too many attempts: the hub's sentence says which.
    showError(e.detail || String(e));
    password.value = '';
    password.focus();
  }
});
