// The host page's "Rotate key" dialog: asks, rotates, then shows the new key and the commands
// that use it once (like the add-host dialog), and forgets them when closed.

import { copyFrom } from './copy.js';
import { byId, setText } from './dom.js';

let handlers = null;

function showError(message) {
  const node = byId('rotate-error');
  setText(node, message || '');
  node.hidden = !message;
}

/** `h` = { rotateKey() → Promise<{key, agentCommand, installCommand}> }. */
export function wireRotateDialog(h) {
  handlers = h;
  const dialog = byId('rotate-dialog');
  for (const button of dialog.querySelectorAll('[data-close]')) button.addEventListener('click', () => dialog.close());
  for (const button of dialog.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', async () => {
      const copied = await copyFrom(byId(button.dataset.copy), button);
      setText(byId('rotate-copy-status'), copied ? 'Copied to the clipboard.' : 'Copying is blocked here: the text is selected, press Ctrl+C (⌘C).');
    });
  }
  byId('confirm-rotate').addEventListener('click', rotate);
  dialog.addEventListener('close', reset);
}

export function openRotateDialog(name) {
  reset();
  setText(byId('rotate-name'), name);
  byId('rotate-dialog').showModal();
}

function reset() {
  byId('rotate-ask').hidden = false;
  byId('rotate-done').hidden = true;
  // The key must not linger in the page once the dialog is closed.
  for (const id of ['rotated-key', 'rotated-install', 'rotated-command', 'rotate-copy-status']) setText(byId(id), '');
  showError('');
}

async function rotate() {
  const button = byId('confirm-rotate');
  button.disabled = true;
  try {
    const rotated = await handlers.rotateKey();
    setText(byId('rotated-key'), rotated.key);
    setText(byId('rotated-command'), rotated.agentCommand);
    setText(byId('rotated-install'), rotated.installCommand || '');
    byId('rotated-install-block').hidden = !rotated.installCommand;
    byId('rotate-ask').hidden = true;
    byId('rotate-done').hidden = false;
    byId('rotate-done-title').focus();
  } catch (e) {
    showError(e.detail || String(e));
  } finally {
    button.disabled = false;
  }
}
