// The add-host, delete-host and rename dialogs (native <dialog>: focus trap, Escape and top layer
// come from the browser).

import { copyFrom } from './copy.js';
import { byId, setText } from './dom.js';

let addHandlers = null;
let deleteHandlers = null;
let pendingDelete = null;

const add = {
  dialog: null, form: null, input: null, error: null, submit: null,
  done: null, doneTitle: null, key: null, command: null, commandOr: null, install: null, installBlock: null, copyStatus: null,
};

function showError(node, message) {
  setText(node, message || '');
  node.hidden = !message;
}

function setBusy(button, busy) {
  button.disabled = busy;
  button.setAttribute('aria-busy', busy ? 'true' : 'false');
}

/** Connects the overview's dialogs; `h` = { addHost(name), deleteHost(id), focusAfterClose() }. */
export function wireDialogs(h) {
  wireAddDialog(h);
  wireDeleteDialog(h);
}

function closeButtons(dialog) {
  for (const button of dialog.querySelectorAll('[data-close]')) {
    button.addEventListener('click', () => dialog.close());
  }
}

/** The add-host dialog; `h` = { addHost(name) }. */
function wireAddDialog(h) {
  addHandlers = h;
  add.dialog = byId('add-dialog');
  add.form = byId('add-form');
  add.input = byId('host-name');
  add.error = byId('add-error');
  add.submit = add.form.querySelector('[type=submit]');
  add.done = byId('add-done');
  add.doneTitle = byId('add-done-title');
  add.key = byId('new-key');
  add.command = byId('agent-command');
  add.commandOr = byId('agent-command-or');
  add.install = byId('install-command');
  add.installBlock = byId('install-block');
  add.copyStatus = byId('copy-status');

  closeButtons(add.dialog);
  add.form.addEventListener('submit', submitAdd);
  add.input.addEventListener('input', () => showError(add.error, ''));
  add.dialog.addEventListener('close', resetAdd);
  for (const button of add.dialog.querySelectorAll('[data-copy]')) {
    button.addEventListener('click', () => copyInDialog(byId(button.dataset.copy), button));
  }
}

/** The delete-host dialog (overview and host page); `h` = { deleteHost(id), focusAfterClose() }. */
export function wireDeleteDialog(h) {
  deleteHandlers = h;
  const dialog = byId('delete-dialog');
  closeButtons(dialog);
  byId('confirm-delete').addEventListener('click', confirmDelete);
  dialog.addEventListener('close', () => {
    pendingDelete = null;
  });
}

/** "web, eu-west  db" → ['web', 'eu-west', 'db']: commas or spaces separate tags. */
export function parseTags(text) {
  return String(text || '').split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
}

/**
 * The edit dialog of the host page (name and tags); `h` = { renameHost(name, tags) → Promise }:
 * its error (409 name taken, 400 bad name or tag) is shown in the dialog.
 */
export function wireRenameDialog(h) {
  const dialog = byId('rename-dialog');
  const form = byId('rename-form');
  const input = byId('rename-input');
  const tags = byId('tags-input');
  const error = byId('rename-error');
  const submit = form.querySelector('[type=submit]');
  closeButtons(dialog);
  input.addEventListener('input', () => showError(error, ''));
  tags.addEventListener('input', () => showError(error, ''));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      showError(error, 'Enter a name for the host.');
      input.focus();
      return;
    }
    setBusy(submit, true);
    try {
      await h.renameHost(name, parseTags(tags.value));
      dialog.close();
    } catch (e) {
      showError(error, e.detail || String(e));
      input.focus();
    } finally {
      setBusy(submit, false);
    }
  });
}

export function openRenameDialog(currentName, currentTags = []) {
  const input = byId('rename-input');
  showError(byId('rename-error'), '');
  input.value = currentName;
  byId('tags-input').value = currentTags.join(', ');
  byId('rename-dialog').showModal();
  input.select();
}

export function openAddDialog() {
  resetAdd();
  add.dialog.showModal();
  add.input.focus();
}

function resetAdd() {
  add.form.reset();
  add.form.hidden = false;
  add.done.hidden = true;
  // The key must not linger in the page once the dialog is closed.
  setText(add.key, '');
  setText(add.command, '');
  setText(add.install, '');
  setText(add.copyStatus, '');
  showError(add.error, '');
  setBusy(add.submit, false);
}

async function submitAdd(event) {
  event.preventDefault();
  const name = add.input.value.trim();
  if (!name) {
    showError(add.error, 'Enter a name for the host.');
    add.input.focus();
    return;
  }
  setBusy(add.submit, true);
  showError(add.error, '');
  try {
    const created = await addHandlers.addHost(name);
    setText(add.doneTitle, `Host “${created.name}” added`);
    setText(add.key, created.key);
    setText(add.command, created.agentCommand);
    // No install command when the hub has no agent jar to hand out: then only the manual way is shown.
    setText(add.install, created.installCommand || '');
    add.installBlock.hidden = !created.installCommand;
    setText(add.commandOr, created.installCommand ? 'Or run' : 'Run');
    add.form.hidden = true;
    add.done.hidden = false;
    add.doneTitle.focus();
  } catch (e) {
    showError(add.error, e.detail || String(e));
    add.input.focus();
  } finally {
    setBusy(add.submit, false);
  }
}

async function copyInDialog(source, button) {
  const copied = await copyFrom(source, button);
  setText(add.copyStatus, copied ? 'Copied to the clipboard.' : 'Copying is blocked here: the text is selected, press Ctrl+C (⌘C).');
}

export function openDeleteDialog(id, name) {
  const dialog = byId('delete-dialog');
  pendingDelete = { id, name };
  setText(byId('delete-name'), name);
  showError(byId('delete-error'), '');
  setBusy(byId('confirm-delete'), false);
  dialog.showModal();
}

async function confirmDelete() {
  if (!pendingDelete) return;
  const dialog = byId('delete-dialog');
  const button = byId('confirm-delete');
  const { id } = pendingDelete;
  setBusy(button, true);
  try {
    await deleteHandlers.deleteHost(id);
    dialog.close();
    deleteHandlers.focusAfterClose()?.focus();
  } catch (e) {
    showError(byId('delete-error'), e.detail || String(e));
  } finally {
    setBusy(button, false);
  }
}
