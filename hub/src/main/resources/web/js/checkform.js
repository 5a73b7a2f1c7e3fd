// The add/edit dialog of a check: common fields in the page, type-specific fields built here
// from FIELDS, so a type's form and the body sent for it are described in one place.

import { byId, el, setText } from './dom.js';

/** Per type: the settings fields (key as in the API, label, input kind, hint). */
const FIELDS = {
  http: [
    { key: 'url', label: 'URL', kind: 'text', required: true, placeholder: 'https://example.org/health' },
    { key: 'method', label: 'Method', kind: 'select', options: ['GET', 'HEAD'] },
    { key: 'expectedStatus', label: 'Expected status', kind: 'text', placeholder: '200-399' },
    { key: 'keyword', label: 'Keyword', kind: 'text', hint: 'Text the page must contain' },
    { key: 'keywordAbsent', label: 'The keyword must be absent instead', kind: 'checkbox' },
    { key: 'followRedirects', label: 'Follow redirects', kind: 'checkbox', initial: true },
    { key: 'ignoreTlsErrors', label: 'Ignore TLS errors (self-signed certificates)', kind: 'checkbox' },
    { key: 'certMinDays', label: 'DOWN when the certificate expires within (days)', kind: 'number' },
  ],
  tcp: [
    { key: 'host', label: 'Host', kind: 'text', required: true },
    { key: 'port', label: 'Port', kind: 'number', required: true },
  ],
  dns: [
    { key: 'dnsName', label: 'Name', kind: 'text', required: true, placeholder: 'example.org' },
    { key: 'recordType', label: 'Record type', kind: 'select', options: ['A', 'AAAA', 'MX', 'TXT'] },
    { key: 'dnsServer', label: 'DNS server', kind: 'text', hint: 'Empty: the system resolver of the hub or agent running the check (A and AAAA only). Only the hub asks a server.', placeholder: '192.0.2.53' },
    { key: 'expected', label: 'Expected answer', kind: 'text' },
  ],
  ping: [{ key: 'host', label: 'Host', kind: 'text', required: true }],
  database: [
    { key: 'jdbcUrl', label: 'JDBC URL', kind: 'text', required: true, placeholder: 'jdbc:postgresql://db:5432/app' },
    { key: 'user', label: 'User', kind: 'text' },
    { key: 'password', label: 'Password', kind: 'password', hint: 'Stored on the hub, never shown again' },
    { key: 'query', label: 'Query', kind: 'text', placeholder: 'SELECT 1' },
    { key: 'expected', label: 'Expected first column', kind: 'text' },
  ],
  directory: [
    { key: 'path', label: 'Directory (on the machine that runs the check)', kind: 'text', required: true, placeholder: '/var/backups' },
    { key: 'glob', label: 'Files matching', kind: 'text', placeholder: '*.tar.gz' },
    { key: 'minCount', label: 'At least (files)', kind: 'number' },
    { key: 'maxCount', label: 'At most (files)', kind: 'number' },
    { key: 'maxAgeSeconds', label: 'Newest file at most (seconds old)', kind: 'number' },
  ],
  push: [
    { key: 'graceSeconds', label: 'Grace after the interval (seconds)', kind: 'number', placeholder: '60',
      hint: 'DOWN when no push came within the interval plus this. Push with: curl -X POST -H "Authorization: Bearer <host key>" "<ingest URL>/api/v1/push?check=<name>&value=1"' },
  ],
  command: [
    { key: 'command', label: 'Command', kind: 'text', required: true, placeholder: 'test -s /var/backups/latest.tar.gz',
      hint: 'Run by /bin/sh on the agent, as the agent’s user. Exit status 0 is UP; the first output line is the message (and the value, if it is a number).' },
  ],
};

let editing = null;
let handlers = null;

function input(field) {
  const id = `check-field-${field.key}`;
  const common = { id, name: field.key, 'data-testid': `check-${field.key}`, 'data-key': field.key };
  if (field.kind === 'checkbox') {
    return el('label', { class: 'check-label', for: id }, el('input', { ...common, type: 'checkbox' }), ` ${field.label}`);
  }
  const control = field.kind === 'select'
    ? el('select', common, field.options.map((o) => el('option', { value: o, text: o })))
    : el('input', { ...common, type: field.kind, autocomplete: field.kind === 'password' ? 'new-password' : 'off',
      placeholder: field.placeholder, required: field.required, spellcheck: 'false' });
  return el('div', { class: 'field' }, el('label', { for: id, text: field.label }), control,
    field.hint ? el('p', { class: 'muted hint', text: field.hint }) : null);
}

function buildFields(type, settings = {}) {
  const box = byId('check-fields');
  box.replaceChildren(...FIELDS[type].map(input));
  for (const field of FIELDS[type]) {
    const node = box.querySelector(`[data-key="${field.key}"]`);
    const value = settings[field.key];
    if (field.kind === 'checkbox') node.checked = value === undefined ? Boolean(field.initial) : Boolean(value);
    else if (value !== undefined && value !== null) node.value = String(value);
  }
}

function showError(message) {
  const node = byId('check-error');
  setText(node, message || '');
  node.hidden = !message;
}

/** The JSON body from the form; numbers as numbers, empty fields left out. */
function body() {
  const type = byId('check-type').value;
  const settings = {};
  for (const field of FIELDS[type]) {
    const node = byId(`check-field-${field.key}`);
    if (field.kind === 'checkbox') settings[field.key] = node.checked;
    else if (node.value.trim() !== '') settings[field.key] = field.kind === 'number' ? Number(node.value) : node.value.trim();
  }
  const host = byId('check-host').value;
  const agent = byId('check-agent').value;
  return {
    name: byId('check-name').value.trim(),
    type,
    hostId: host ? Number(host) : null,
    agentHostId: agent ? Number(agent) : null,
    intervalSeconds: Number(byId('check-interval').value),
    timeoutSeconds: byId('check-timeout').value ? Number(byId('check-timeout').value) : null,
    enabled: byId('check-enabled').checked,
    public: byId('check-public').checked,
    settings,
  };
}

/** Wires the dialog once; `h` = { save(id|null, body) → Promise, hosts() → Promise<[{id,name}]> }. */
export function wireCheckForm(h) {
  handlers = h;
  const dialog = byId('check-dialog');
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  byId('check-type').addEventListener('change', () => buildFields(byId('check-type').value));
  byId('check-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const submit = byId('check-form').querySelector('[type=submit]');
    submit.disabled = true;
    showError('');
    try {
      await handlers.save(editing, body());
      dialog.close();
    } catch (e) {
      showError(e.detail || String(e));
    } finally {
      submit.disabled = false;
    }
  });
}

/** Opens the dialog for a new check (view null) or to edit one (a check view). */
export async function openCheckForm(view) {
  editing = view ? view.id : null;
  byId('check-form').reset();
  showError('');
  setText(byId('check-dialog-title'), view ? `Edit check “${view.name}”` : 'Add check');
  const hostSelect = byId('check-host');
  const agentSelect = byId('check-agent');
  hostSelect.replaceChildren(el('option', { value: '', text: '— none —' }));
  agentSelect.replaceChildren(el('option', { value: '', text: 'the hub' }));
  try {
    for (const host of await handlers.hosts()) {
      hostSelect.append(el('option', { value: String(host.id), text: host.name }));
      agentSelect.append(el('option', { value: String(host.id), text: `${host.name}’s agent` }));
    }
  } catch (e) {
    console.warn('servmon: hosts not loaded for the check form:', e.detail || e);
  }
  byId('check-type').value = view ? view.type : 'http';
  byId('check-type').disabled = Boolean(view);
  byId('check-name').value = view ? view.name : '';
  byId('check-interval').value = view ? view.intervalSeconds : 60;
  byId('check-timeout').value = view ? view.timeoutSeconds : 10;
  hostSelect.value = view && view.hostId ? String(view.hostId) : '';
  agentSelect.value = view && view.agentHostId ? String(view.agentHostId) : '';
  byId('check-enabled').checked = view ? view.enabled : true;
  byId('check-public').checked = view ? view.public : false;
  buildFields(byId('check-type').value, view ? view.settings : {});
  byId('check-dialog').showModal();
  byId('check-name').focus();
}
