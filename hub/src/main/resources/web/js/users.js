// The Users page (admins): list, add, change role, disable or enable, delete.

import { api } from './api.js';
import { byId, el, setText } from './dom.js';
import { when } from './format.js';
import { startPage, showError } from './page.js';

const ROLES = ['viewer', 'operator', 'admin'];
let session = null;
let pendingDelete = null;

function tags(text) {
  return text.split(',').map((t) => t.trim()).filter((t) => t);
}

async function load() {
  try {
    const users = await api.users();
    render(users);
    showError(byId('users-error'), '');
  } catch (e) {
    showError(byId('users-error'), e.detail || String(e));
  }
}

function render(users) {
  setText(byId('user-total'), `(${users.length})`);
  const rows = users.map((u) => row(u));
  byId('users-body').replaceChildren(...rows);
}

function row(u) {
  const self = u.id === session.userId;
  const role = el('select', { 'aria-label': `Role of ${u.username}`, 'data-testid': 'role-select' },
    ROLES.map((r) => el('option', { value: r, selected: r === u.role, text: r })));
  role.addEventListener('change', () => change(u, { role: role.value }, () => { role.value = u.role; }));
  const toggle = el('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'toggle-disabled',
    text: u.disabled ? 'Enable' : 'Disable' });
  toggle.addEventListener('click', () => change(u, { disabled: !u.disabled }));
  const remove = el('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', 'data-testid': 'delete-user', text: 'Delete' });
  remove.addEventListener('click', () => openDelete(u));
  return el('tr', { 'data-testid': 'user-row', 'data-username': u.username, 'data-disabled': u.disabled ? 'true' : 'false' },
    el('th', { scope: 'row' }, u.username, self ? el('span', { class: 'muted small', text: ' (you)' }) : null),
    el('td', {}, role),
    el('td', { 'data-testid': 'user-state', text: u.disabled ? 'disabled' : 'enabled' }),
    el('td', { text: u.scope.length ? u.scope.join(', ') : 'all hosts' }),
    el('td', { text: when(u.createdAtMs) }),
    el('td', { class: 'row-actions' }, toggle, remove));
}

async function change(user, body, undo) {
  try {
    await api.changeUser(user.id, body);
    showError(byId('users-error'), '');
  } catch (e) {
    showError(byId('users-error'), e.detail || String(e));
    if (undo) undo();
  }
  await load();
}

function openDelete(user) {
  pendingDelete = user;
  setText(byId('delete-user-name'), user.username);
  showError(byId('delete-user-error'), '');
  byId('delete-user-dialog').showModal();
}

async function confirmDelete() {
  if (!pendingDelete) return;
  try {
    await api.deleteUser(pendingDelete.id);
    byId('delete-user-dialog').close();
    await load();
  } catch (e) {
    showError(byId('delete-user-error'), e.detail || String(e));
  }
}

async function addUser(event) {
  event.preventDefault();
  const error = byId('add-user-error');
  const body = {
    username: byId('new-username').value.trim(),
    password: byId('new-user-password').value,
    role: byId('new-role').value,
    scope: tags(byId('new-scope').value),
  };
  if (!body.username || !body.password) {
    showError(error, 'Enter a username and a password.');
    return;
  }
  const submit = byId('add-user-form').querySelector('[type=submit]');
  submit.disabled = true;
  try {
    await api.addUser(body);
    byId('add-user-form').reset();
    showError(error, '');
    await load();
  } catch (e) {
    showError(error, e.detail || String(e));
  } finally {
    submit.disabled = false;
  }
}

async function start() {
  session = await startPage('admin');
  if (!session) return;
  byId('add-user-form').addEventListener('submit', addUser);
  const dialog = byId('delete-user-dialog');
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => { pendingDelete = null; });
  byId('confirm-delete-user').addEventListener('click', confirmDelete);
  await load();
}

start();
