// The account page's two-factor section: enrol (secret, otpauth link, first code), recovery codes, turn off.

import { api } from './api.js';
import { copyFrom } from './copy.js';
import { byId, setText } from './dom.js';

const state = byId('twofa-state');
const required = byId('twofa-required');
const off = byId('twofa-off');
const enrol = byId('twofa-enrol');
const codes = byId('twofa-codes');
const on = byId('twofa-on');
const error = byId('twofa-error');

function showError(message) {
  setText(error, message || '');
  error.hidden = !message;
}

function show(section) {
  for (const s of [off, enrol, codes, on]) s.hidden = s !== section;
}

async function refresh() {
  const status = await api.totpStatus();
  required.hidden = !(status.required && !status.enabled);
  if (status.enabled) {
    setText(state, `On. ${status.recoveryCodesLeft} recovery codes left.`);
    show(on);
    on.querySelector('button').disabled = status.required;
    if (status.required) setText(state, `On (required for your role). ${status.recoveryCodesLeft} recovery codes left.`);
  } else {
    setText(state, 'Off.');
    show(off);
  }
}

byId('twofa-begin').addEventListener('click', async () => {
  showError('');
  try {
    const started = await api.totpBegin();
    setText(byId('twofa-secret'), started.secret);
    setText(byId('twofa-uri'), started.otpauthUri);
    show(enrol);
    byId('twofa-code').focus();
  } catch (e) {
    showError(e.detail || String(e));
  }
});

enrol.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  try {
    const done = await api.totpConfirm(byId('twofa-code').value.trim());
    setText(byId('twofa-code-list'), done.recoveryCodes.join('\n'));
    required.hidden = true;
    setText(state, 'On.');
    show(codes);
  } catch (e) {
    showError(e.detail || String(e));
  }
});

on.addEventListener('submit', async (event) => {
  event.preventDefault();
  showError('');
  const proof = byId('twofa-proof').value.trim();
  try {
    await api.totpDisable(/^\d{6}$/.test(proof) ? { code: proof } : { password: proof });
    byId('twofa-proof').value = '';
    await refresh();
  } catch (e) {
    showError(e.detail || String(e));
  }
});

byId('copy-secret').addEventListener('click', (e) => copyFrom(byId('twofa-secret'), e.currentTarget));
byId('copy-uri').addEventListener('click', (e) => copyFrom(byId('twofa-uri'), e.currentTarget));
byId('copy-codes').addEventListener('click', (e) => copyFrom(byId('twofa-code-list'), e.currentTarget));

/** Shows the signed-in user's two-factor state; the page calls it once its session is known. */
export function startTwoFactor() {
  return refresh().catch((e) => showError(e.detail || String(e)));
}
