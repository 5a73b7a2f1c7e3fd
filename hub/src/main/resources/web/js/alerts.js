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

/** The unit of an alert's value, from its metric's name (cpuPercent, powerWatts, …). */
function unitOf(metric) {
  if (!metric) return '';
  if (metric.includes('Percent')) return ' %';
  if (metric.includes('Watts')) return ' W';
  if (metric.includes('Celsius')) return ' °C';
  if (metric === 'secondsSinceLastReport') return ' s';
  if (metric === 'hoursUntilDiskFull') return ' h';
  return '';
}

function numberText(v, metric) {
  if (v === null || v === undefined) return '';
  return (Number.isInteger(v) ? String(v) : v.toFixed(2)) + unitOf(metric);
}

async function loadAlerts() {
  const query = stateFilter === 'resolved' ? { state: 'resolved' } : {};
  let list = await api.alerts(query);
  if (stateFilter === 'open') list = list.filter((a) => a.state !== 'resolved');
  const body = byId('alerts-body');
  body.replaceChildren(...list.map(alertRow));
  byId('alerts-empty').hidden = list.length > 0;
}

/** Why an alert notifies nobody now, and who acknowledged it. */
function noteOf(a) {
  const parts = [];
  if (a.inMaintenance) parts.push('in maintenance');
  else if (a.suppressed && a.suppressed !== 'acknowledged') parts.push(a.suppressed);
  if (a.ackedBy) parts.push(`acknowledged by ${a.ackedBy}${a.ackedComment ? `: ${a.ackedComment}` : ''}`);
  return parts.join('; ');
}

function alertRow(a) {
  const since = a.firingAtMs || a.pendingAtMs;
  const actions = el('td', { class: 'row-actions' });
  if (editable && a.state !== 'resolved') {
    if (!a.ackedAtMs) {
      actions.append(button('Acknowledge', () => openAck(a), { 'data-testid': 'ack' }));
    }
    actions.append(button('Silence 1 h', async () => {
      try {
        await api.silence({ ruleId: a.ruleId, hostId: a.hostId, durationMinutes: 60, comment: 'from the alerts page' });
        await loadAlerts();
      } catch (e) { pageError(e); }
    }, { 'data-testid': 'silence' }));
  }
  return el('tr', { id: `alert-${a.id}`, dataset: { state: a.state, rule: a.ruleName }, 'data-testid': 'alert-row' },
    el('td', {}, el('span', { class: 'badge', dataset: { alertState: a.state }, text: a.state.toUpperCase(), 'data-testid': 'alert-state' })),
    el('td', { text: a.ruleName }),
    el('td', { text: a.hostName || a.subject || '–' }),
    el('td', { class: 'num', text: numberText(a.value, a.metric) }),
    el('td', {}, el('time', { datetime: new Date(since).toISOString(), title: absolute(since), text: ago(since) })),
    el('td', { class: 'muted', text: noteOf(a), 'data-testid': 'alert-note' }),
    actions);
}

let acking = null;

function openAck(alert) {
  acking = alert;
  setText(byId('ack-what'), `${alert.ruleName}${alert.hostName ? ` on ${alert.hostName}` : ''}`);
  byId('ack-comment').value = '';
  showError(byId('ack-error'), '');
  byId('ack-dialog').showModal();
  byId('ack-comment').focus();
}

async function saveAck(event) {
  event.preventDefault();
  try {
    await api.ackAlert(acking.id, byId('ack-comment').value.trim() || null);
    byId('ack-dialog').close();
    await loadAlerts();
  } catch (e) {
    showError(byId('ack-error'), e.detail || String(e));
  }
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
      actions.append(button('Edit', () => openWindow(w), { 'data-testid': 'window-edit' }));
      actions.append(button('Delete', async () => {
        try { await api.deleteWindow(w.id); await loadWindows(); } catch (e) { pageError(e); }
      }));
    }
    return el('tr', { 'data-testid': 'window-row' }, el('td', { text: w.name }), el('td', { text: when }), el('td', { text: scopeText(w.scope) }),
      el('td', { text: w.activeNow ? 'in maintenance' : '' }), actions);
  }));
  byId('windows-empty').hidden = list.length > 0;
}

/** The scope of a dialog's "Hosts" (ids) and "Or hosts tagged" fields; throws when both are filled. */
function scopeOf(idsText, tagText) {
  const ids = idsText.split(/[,\s]+/).filter(Boolean).map(Number);
  const tag = tagText.trim();
  if (ids.length && tag) throw new Error('Give host ids or a tag, not both.');
  if (tag) return { kind: 'tag', tag };
  return ids.length ? { kind: 'hosts', hostIds: ids } : { kind: 'all' };
}

/** Fills a dialog's "Hosts" and "Or hosts tagged" fields from a scope. */
function showScope(idsInput, tagInput, scope) {
  idsInput.value = scope && scope.kind === 'hosts' ? scope.hostIds.join(',') : '';
  tagInput.value = scope && scope.kind === 'tag' ? scope.tag : '';
}

/** A time as an input's local "YYYY-MM-DDTHH:MM". */
function localInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

let editingRule = null;

async function openRule(rule) {
  editingRule = rule;
  const metrics = await api.alertMetrics();
  const select = byId('rule-metric');
  select.replaceChildren(...metrics.map((m) => el('option', { value: m.name, text: `${m.name} – ${m.description}` })));
  byId('rule-kind-field').hidden = Boolean(rule);
  byId('rule-kind').value = rule ? rule.kind : 'metric';
  showRuleFields();
  byId('rule-name').value = rule ? rule.name : '';
  select.value = rule && rule.metric ? rule.metric : 'cpuPercent';
  byId('rule-op').value = rule && rule.op ? rule.op : '>';
  byId('rule-threshold').value = rule && rule.threshold !== null ? rule.threshold : '';
  byId('rule-recover').value = rule && rule.recoverThreshold !== null ? rule.recoverThreshold : '';
  byId('rule-for').value = rule ? rule.forSeconds : 0;
  byId('rule-horizon').value = rule && rule.horizonHours ? rule.horizonHours : 24;
  byId('rule-severity').value = rule ? rule.severity : 'warning';
  showScope(byId('rule-hosts'), byId('rule-tag'), rule && rule.scope);
  byId('rule-enabled').checked = rule ? rule.enabled : true;
  byId('rule-notifiers').replaceChildren(...notifierList.map((n) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', value: n.id, checked: rule ? rule.notifierIds.includes(n.id) : false, 'data-testid': 'rule-notifier' }), ` ${n.name}`)));
  showError(byId('rule-error'), '');
  byId('rule-dialog').showModal();
  byId('rule-name').focus();
}

/** The fields of the chosen kind: a condition for metric rules, a horizon for disk predictions. */
function showRuleFields() {
  const kind = byId('rule-kind').value;
  byId('rule-condition-fields').hidden = kind !== 'metric';
  byId('rule-for-fields').hidden = kind !== 'metric';
  byId('rule-horizon-fields').hidden = kind !== 'disk_full';
}

async function saveRule(event) {
  event.preventDefault();
  const kind = byId('rule-kind').value;
  try {
    const body = {
      name: byId('rule-name').value,
      scope: scopeOf(byId('rule-hosts').value, byId('rule-tag').value),
      notifierIds: [...byId('rule-notifiers').querySelectorAll('input:checked')].map((i) => Number(i.value)),
      severity: byId('rule-severity').value,
      enabled: byId('rule-enabled').checked,
    };
    if (!editingRule) body.kind = kind;
    if (kind === 'metric') {
      body.condition = `${byId('rule-metric').value} ${byId('rule-op').value} ${byId('rule-threshold').value.trim()}`;
      body.forSeconds = Number(byId('rule-for').value || 0);
      const recover = byId('rule-recover').value.trim();
      if (recover) body.recoverThreshold = Number(recover);
    } else if (kind === 'disk_full') {
      body.horizonHours = Number(byId('rule-horizon').value);
    }
    await api.saveRule(editingRule && editingRule.id, body);
    byId('rule-dialog').close();
    await loadRules();
  } catch (e) {
    showError(byId('rule-error'), e.detail || e.message);
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

let editingWindow = null;

function openWindow(w) {
  editingWindow = w;
  byId('window-form').reset();
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (w) {
    byId('window-name').value = w.name;
    showScope(byId('window-hosts'), byId('window-tag'), w.scope);
    byId('window-days').value = w.days ? w.days.join(',') : '';
    byId('window-start').value = w.days ? w.startTime : localInput(w.startsAtMs);
    byId('window-minutes').value = w.days ? w.durationMinutes : Math.round((w.endsAtMs - w.startsAtMs) / 60_000);
  }
  byId('window-zone').value = w && w.timeZone ? w.timeZone : zone;
  showError(byId('window-error'), '');
  byId('window-dialog').showModal();
}

async function saveWindow(event) {
  event.preventDefault();
  const days = byId('window-days').value.split(/[,\s]+/).filter(Boolean);
  const start = byId('window-start').value.trim();
  const minutes = Number(byId('window-minutes').value || 60);
  try {
    const body = { name: byId('window-name').value, scope: scopeOf(byId('window-hosts').value, byId('window-tag').value) };
    if (days.length) {
      Object.assign(body, { days, startTime: start, durationMinutes: minutes, timeZone: byId('window-zone').value || Intl.DateTimeFormat().resolvedOptions().timeZone });
    } else {
      const startsAtMs = start ? new Date(start).getTime() : Date.now();
      Object.assign(body, { startsAtMs, endsAtMs: startsAtMs + minutes * 60_000 });
    }
    await api.saveWindow(editingWindow && editingWindow.id, body);
    byId('window-dialog').close();
    await loadWindows();
  } catch (e) {
    showError(byId('window-error'), e.detail || e.message);
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
  byId('add-window').addEventListener('click', () => openWindow(null));
  byId('rule-kind').addEventListener('change', showRuleFields);
  byId('ack-form').addEventListener('submit', saveAck);
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
