// The alerts page: open and past alerts (acknowledge, silence), rules, notifiers with "send test"
// and their delivery log, maintenance windows. Live: the hub's `alerts` event reloads the lists.

import { api } from './api.js';
import { byId, el, setText } from './dom.js';
import { absolute, ago } from './format.js';
import { connectLive } from './live.js';
import { startSession, canEdit } from './session.js';

let editable = false;
let stateFilter = 'open';
let notifierList = [];

function showError(node, message) {
  setText(node, message || '');
  node.hidden = !message;
}

function pageError(e) {
  showError(byId('page-error'), e ? (e.detail || String(e)) : '');
}

function button(text, onClick, props = {}) {
  const b = el('button', { type: 'button', class: 'btn btn-small', ...props, text });
  b.addEventListener('click', onClick);
  return b;
}

function numberText(v) {
  if (v === null || v === undefined) return '';
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

async function loadAlerts() {
  const query = stateFilter === 'resolved' ? { state: 'resolved' } : {};
  let list = await api.alerts(query);
  if (stateFilter === 'open') list = list.filter((a) => a.state !== 'resolved');
  const body = byId('alerts-body');
  body.replaceChildren(...list.map(alertRow));
  byId('alerts-empty').hidden = list.length > 0;
}

function alertRow(a) {
  const since = a.firingAtMs || a.pendingAtMs;
  const note = a.inMaintenance ? 'in maintenance' : (a.suppressed || (a.ackedBy ? `acknowledged by ${a.ackedBy}` : ''));
  const actions = el('td', { class: 'row-actions' });
  if (editable && a.state !== 'resolved') {
    if (!a.ackedAtMs) {
      actions.append(button('Acknowledge', async () => {
        const comment = window.prompt('Comment for the acknowledgement (optional)') ?? null;
        if (comment === null) return;
        try { await api.ackAlert(a.id, comment); await loadAlerts(); } catch (e) { pageError(e); }
      }, { 'data-testid': 'ack' }));
    }
    actions.append(button('Silence 1 h', async () => {
      try {
        await api.silence({ ruleId: a.ruleId, hostId: a.hostId, durationMinutes: 60, comment: 'from the alerts page' });
        await loadAlerts();
      } catch (e) { pageError(e); }
    }, { 'data-testid': 'silence' }));
  }
  return el('tr', { id: `alert-${a.id}`, dataset: { state: a.state }, 'data-testid': 'alert-row' },
    el('td', {}, el('span', { class: 'badge', dataset: { alertState: a.state }, text: a.state.toUpperCase(), 'data-testid': 'alert-state' })),
    el('td', { text: a.ruleName }),
    el('td', { text: a.hostName || a.subject || '–' }),
    el('td', { class: 'num', text: numberText(a.value) }),
    el('td', {}, el('time', { datetime: new Date(since).toISOString(), title: absolute(since), text: ago(since) })),
    el('td', { class: 'muted', text: a.ackedComment ? `${note}: ${a.ackedComment}` : note }),
    actions);
}

function scopeText(scope) {
  if (!scope || scope.kind === 'all') return 'all hosts';
  if (scope.kind === 'tag') return `tag ${scope.tag}`;
  return `hosts ${scope.hostIds.join(', ')}`;
}

async function loadRules() {
  const [rules, notifiers] = await Promise.all([api.alertRules(), api.notifiers()]);
  notifierList = notifiers;
  const names = new Map(notifiers.map((n) => [n.id, n.name]));
  byId('rules-body').replaceChildren(...rules.map((r) => {
    const cond = r.kind === 'metric' ? r.condition + (r.forSeconds ? ` for ${r.forSeconds}s` : '') + (r.recoverThreshold !== null ? ` recover ${r.recoverThreshold}` : '')
      : r.kind === 'disk_full' ? `full within ${r.horizonHours} h` : '';
    const actions = el('td', { class: 'row-actions' });
    if (editable) {
      actions.append(button('Edit', () => openRule(r)));
      if (!r.builtin) {
        actions.append(button('Delete', async () => {
          try { await api.deleteRule(r.id); await loadRules(); } catch (e) { pageError(e); }
        }));
      }
    }
    return el('tr', { 'data-testid': 'rule-row' }, el('td', { text: r.name }), el('td', { text: r.kind }), el('td', { class: 'mono', text: cond }),
      el('td', { text: scopeText(r.scope) }), el('td', { text: r.notifierIds.map((id) => names.get(id) || `#${id}`).join(', ') || '–' }),
      el('td', { text: r.enabled ? 'yes' : 'no' }), actions);
  }));
  byId('notifiers-body').replaceChildren(...notifiers.map((n) => {
    const target = n.config.urls ? n.config.urls.join(', ') : n.config.to ? n.config.to.join(', ') : '(secret URL)';
    const actions = el('td', { class: 'row-actions' });
    actions.append(button('Deliveries', () => showDeliveries(n)));
    if (editable) {
      actions.append(button('Send test', async (event) => {
        const b = event.currentTarget;
        b.disabled = true;
        try {
          await api.testNotifier(n.id);
          setText(b, 'Sent ✓');
        } catch (e) {
          setText(b, 'Failed');
          pageError(e);
        } finally {
          b.disabled = false;
          showDeliveries(n);
        }
      }, { 'data-testid': 'send-test' }));
      actions.append(button('Delete', async () => {
        try { await api.deleteNotifier(n.id); await loadRules(); } catch (e) { pageError(e); }
      }));
    }
    return el('tr', { 'data-testid': 'notifier-row' }, el('td', { text: n.name }), el('td', { text: n.type }),
      el('td', { class: 'ellipsis', text: target }), actions);
  }));
}

async function showDeliveries(n) {
  const list = await api.deliveries(n.id);
  byId('deliveries').hidden = false;
  setText(byId('deliveries-name'), `– ${n.name}`);
  byId('deliveries-body').replaceChildren(...list.map((d) => el('tr', { 'data-testid': 'delivery-row' },
    el('td', {}, el('time', { title: absolute(d.createdAtMs), text: ago(d.createdAtMs) })), el('td', { text: d.event }),
    el('td', { class: 'ellipsis', text: d.target }), el('td', { text: d.status }), el('td', { class: 'num', text: d.attempts }),
    el('td', { class: 'muted', text: d.lastError || '' }))));
}

async function loadWindows() {
  const list = await api.windows();
  byId('windows-body').replaceChildren(...list.map((w) => {
    const when = w.days ? `${w.days.join(',')} ${w.startTime} for ${w.durationMinutes} min (${w.timeZone})`
      : `${absolute(w.startsAtMs)} – ${absolute(w.endsAtMs)}`;
    const actions = el('td', { class: 'row-actions' });
    if (editable) {
      actions.append(button('Delete', async () => {
        try { await api.deleteWindow(w.id); await loadWindows(); } catch (e) { pageError(e); }
      }));
    }
    return el('tr', {}, el('td', { text: w.name }), el('td', { text: when }), el('td', { text: scopeText(w.scope) }),
      el('td', { text: w.activeNow ? 'in maintenance' : '' }), actions);
  }));
}

function hostIds(text) {
  const ids = text.split(/[,\s]+/).filter(Boolean).map(Number);
  return ids.length ? { kind: 'hosts', hostIds: ids } : { kind: 'all' };
}

let editingRule = null;

async function openRule(rule) {
  editingRule = rule;
  const metrics = await api.alertMetrics();
  const select = byId('rule-metric');
  select.replaceChildren(...metrics.map((m) => el('option', { value: m.name, text: `${m.name} – ${m.description}` })));
  const metric = rule ? rule.kind === 'metric' : true;
  byId('rule-condition-fields').hidden = !metric;
  byId('rule-name').value = rule ? rule.name : '';
  select.value = rule && rule.metric ? rule.metric : 'cpuPercent';
  byId('rule-op').value = rule && rule.op ? rule.op : '>';
  byId('rule-threshold').value = rule && rule.threshold !== null ? rule.threshold : '';
  byId('rule-recover').value = rule && rule.recoverThreshold !== null ? rule.recoverThreshold : '';
  byId('rule-for').value = rule ? rule.forSeconds : 0;
  byId('rule-hosts').value = rule && rule.scope.kind === 'hosts' ? rule.scope.hostIds.join(',') : '';
  byId('rule-enabled').checked = rule ? rule.enabled : true;
  byId('rule-notifiers').replaceChildren(...notifierList.map((n) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', value: n.id, checked: rule ? rule.notifierIds.includes(n.id) : false, 'data-testid': 'rule-notifier' }), ` ${n.name}`)));
  showError(byId('rule-error'), '');
  byId('rule-dialog').showModal();
  byId('rule-name').focus();
}

async function saveRule(event) {
  event.preventDefault();
  const body = {
    name: byId('rule-name').value,
    forSeconds: Number(byId('rule-for').value || 0),
    scope: hostIds(byId('rule-hosts').value),
    notifierIds: [...byId('rule-notifiers').querySelectorAll('input:checked')].map((i) => Number(i.value)),
    enabled: byId('rule-enabled').checked,
  };
  if (!editingRule || editingRule.kind === 'metric') {
    body.condition = `${byId('rule-metric').value} ${byId('rule-op').value} ${byId('rule-threshold').value.trim()}`;
    const recover = byId('rule-recover').value.trim();
    if (recover) body.recoverThreshold = Number(recover);
  }
  try {
    await api.saveRule(editingRule && editingRule.id, body);
    byId('rule-dialog').close();
    await loadRules();
  } catch (e) {
    showError(byId('rule-error'), e.detail || String(e));
  }
}

function showNotifierFields() {
  const type = byId('notifier-type').value;
  for (const block of byId('notifier-form').querySelectorAll('[data-for]')) {
    block.hidden = !block.dataset.for.split(' ').includes(type);
  }
}

async function saveNotifier(event) {
  event.preventDefault();
  const type = byId('notifier-type').value;
  const urls = byId('notifier-urls').value.split(/\s+/).filter(Boolean);
  let config;
  if (type === 'email') {
    config = { host: byId('mail-host').value, port: Number(byId('mail-port').value || 587), username: byId('mail-user').value || undefined,
      password: byId('mail-password').value || undefined, from: byId('mail-from').value, to: byId('mail-to').value };
  } else if (type === 'slack' || type === 'discord') {
    config = { url: urls[0] || '' };
  } else {
    config = { urls, secret: type === 'webhook' ? (byId('notifier-secret').value || undefined) : undefined };
  }
  try {
    await api.addNotifier({ name: byId('notifier-name').value, type, config, titleTemplate: byId('notifier-title-template').value || undefined });
    byId('notifier-dialog').close();
    await loadRules();
  } catch (e) {
    showError(byId('notifier-error'), e.detail || String(e));
  }
}

async function saveWindow(event) {
  event.preventDefault();
  const days = byId('window-days').value.split(/[,\s]+/).filter(Boolean);
  const start = byId('window-start').value.trim();
  const minutes = Number(byId('window-minutes').value || 60);
  const body = { name: byId('window-name').value, scope: hostIds(byId('window-hosts').value) };
  if (days.length) {
    Object.assign(body, { days, startTime: start, durationMinutes: minutes, timeZone: byId('window-zone').value || Intl.DateTimeFormat().resolvedOptions().timeZone });
  } else {
    const startsAtMs = start ? new Date(start).getTime() : Date.now();
    Object.assign(body, { startsAtMs, endsAtMs: startsAtMs + minutes * 60_000 });
  }
  try {
    await api.addWindow(body);
    byId('window-dialog').close();
    await loadWindows();
  } catch (e) {
    showError(byId('window-error'), e.detail || String(e));
  }
}

function wireDialogs() {
  for (const dialog of document.querySelectorAll('dialog')) {
    for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  }
  byId('add-rule').addEventListener('click', () => openRule(null));
  byId('rule-form').addEventListener('submit', saveRule);
  byId('add-notifier').addEventListener('click', () => {
    byId('notifier-form').reset();
    showNotifierFields();
    showError(byId('notifier-error'), '');
    byId('notifier-dialog').showModal();
  });
  byId('notifier-type').addEventListener('change', showNotifierFields);
  byId('notifier-form').addEventListener('submit', saveNotifier);
  byId('add-window').addEventListener('click', () => {
    byId('window-form').reset();
    byId('window-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone;
    byId('window-dialog').showModal();
  });
  byId('window-form').addEventListener('submit', saveWindow);
  for (const b of document.querySelectorAll('[data-state-filter]')) {
    b.addEventListener('click', () => {
      stateFilter = b.dataset.stateFilter;
      for (const other of document.querySelectorAll('[data-state-filter]')) other.setAttribute('aria-pressed', String(other === b));
      loadAlerts().catch(pageError);
    });
  }
}

async function loadAll() {
  try {
    await Promise.all([loadAlerts(), loadRules(), loadWindows()]);
    pageError(null);
  } catch (e) {
    pageError(e);
  }
}

async function start() {
  let session;
  try {
    session = await startSession();
  } catch (e) {
    pageError(e);
    return;
  }
  if (!session) return;
  editable = canEdit(session);
  for (const b of document.querySelectorAll('[data-edit]')) b.hidden = !editable;
  wireDialogs();
  await loadAll();
  connectLive({
    indicator: byId('live'),
    indicatorText: byId('live-text'),
    onHost: () => {},
    onHostDeleted: () => {},
    onConnected: () => loadAll(),
    onAlerts: () => loadAlerts().catch(pageError),
  });
  window.setInterval(() => loadAlerts().catch(() => {}), 30_000);
}

start();
