// The checks page: every check with status, last result, uptime and a response-time sparkline;
// add, edit, delete and run now for operators; a detail panel with a uPlot chart; live updates
// from `check` events.

import { api } from './api.js';
import { byId, el, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { startSession, canEdit } from './session.js';
import { connectLive } from './live.js';
import { ChartBoard } from './charts.js';
import { wireCheckForm, openCheckForm } from './checkform.js';
import * as rows from './checkrows.js';

const DAY_MS = 86_400_000;
const SPARK_POINTS = 48;

const views = new Map();
/** Host id → name, for the "Runs on" column. */
const hostNames = new Map();
const sparks = new Map();
let editable = false;
let detailId = null;
let pendingDelete = null;
const board = new ChartBoard(byId('detail-charts'), { onZoom: () => {}, onZoomOut: () => {} });

function showState(state, detail = '') {
  byId('checks-loading').hidden = state !== 'loading';
  byId('checks-error').hidden = state !== 'error';
  setText(byId('checks-error-detail'), detail);
  const ready = state === 'ready';
  byId('checks-empty').hidden = !ready || views.size > 0;
  byId('checks-wrap').hidden = !ready || views.size === 0;
  setText(byId('checks-total'), ready ? `(${views.size})` : '');
}

function button(label, testid, onClick, extra = {}) {
  const b = el('button', { type: 'button', class: 'btn btn-small', 'data-testid': testid, text: label, ...extra });
  b.addEventListener('click', onClick);
  return b;
}

function row(view) {
  const st = rows.state(view);
  const name = el('button', { type: 'button', class: 'link-button', 'data-testid': 'check-open', text: view.name });
  name.addEventListener('click', () => openDetail(view.id));
  const actions = editable ? [
    button('Run', 'check-run', () => runNow(view.id)),
    button('Edit', 'check-edit', () => openCheckForm(views.get(view.id))),
    button('Delete', 'check-delete', () => openDelete(view.id), { class: 'btn btn-small btn-danger-quiet' }),
  ] : [];
  const tr = el('tr', { 'data-testid': 'check-row', 'data-check-id': view.id, 'data-check-name': view.name, 'data-status': st },
    el('td', {}, el('span', { class: 'status-dot', 'data-status': st, 'data-testid': 'check-status', title: st, text: st })),
    el('td', { class: 'check-name' }, name, view.public ? el('span', { class: 'muted small', text: ' · public' }) : null),
    el('td', { text: view.type }),
    el('td', { class: 'check-target', text: view.target || '' }),
    el('td', { 'data-testid': 'check-runs-on', text: rows.runsOn(view, hostNames) }),
    el('td', { class: 'check-last', 'data-testid': 'check-last', text: rows.lastText(view) }),
    el('td', { class: 'num', 'data-testid': 'check-response', text: rows.responseText(view) }),
    el('td', { class: 'num', 'data-testid': 'check-uptime-24h', text: rows.uptime(view.uptime24h) }),
    el('td', { class: 'num', 'data-testid': 'check-uptime-30d', text: rows.uptime(view.uptime30d) }),
    el('td', { class: 'spark-cell' }, rows.sparkline(sparks.get(view.id) || [])),
    el('td', { class: 'actions' }, actions));
  return tr;
}

function render() {
  const body = byId('checks-body');
  const sorted = [...views.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  body.replaceChildren(...sorted.map(row));
  showState('ready');
}

function upsert(view) {
  const before = views.get(view.id);
  views.set(view.id, view);
  // A new result: its response time joins the sparkline.
  if (view.last && (!before || !before.last || before.last.atMs !== view.last.atMs)) {
    const line = sparks.get(view.id) || [];
    line.push(typeof view.last.responseMs === 'number' ? view.last.responseMs : null);
    sparks.set(view.id, line.slice(-SPARK_POINTS));
  }
  render();
  if (detailId === view.id) loadDetail();
}

function remove(id) {
  views.delete(id);
  sparks.delete(id);
  render();
  if (detailId === id) byId('detail').hidden = true;
}

async function loadAll() {
  try {
    const [list, hosts] = await Promise.all([api.checks(), api.hosts().catch(() => [])]);
    hostNames.clear();
    for (const h of hosts) hostNames.set(h.id, h.name);
    views.clear();
    for (const v of list) views.set(v.id, v);
    render();
    loadSparks(list.slice(0, 100));
  } catch (e) {
    if (views.size === 0) showState('error', e.detail || String(e));
  }
}

async function loadSparks(list) {
  const to = Date.now();
  for (const v of list) {
    try {
      const r = await api.checkResults(v.id, { from: to - DAY_MS, to });
      sparks.set(v.id, r.series.responseMs.slice(-SPARK_POINTS));
    } catch (e) {
      console.warn('servmon: response times not loaded for check', v.id, e.detail || e);
    }
  }
  render();
}

async function runNow(id) {
  try {
    await api.runCheck(id);
    upsert(await api.check(id));
  } catch (e) {
    window.console.warn('servmon: run failed:', e.detail || e);
  }
}

// ------------------------------------------------------------------ detail

function openDetail(id) {
  detailId = id;
  byId('detail').hidden = false;
  loadDetail();
  byId('detail').scrollIntoView({ block: 'nearest' });
}

async function loadDetail() {
  const id = detailId;
  const view = views.get(id);
  if (!view) return;
  setText(byId('detail-title'), `${view.name} · last 24 h`);
  const to = Date.now();
  try {
    const r = await api.checkResults(id, { from: to - DAY_MS, to });
    if (detailId !== id) return;
    setText(byId('detail-summary'), `Uptime ${rows.uptime(r.uptimeInRange)} in this range · 24 h ${rows.uptime(r.uptime24h)} · 30 d ${rows.uptime(r.uptime30d)}`);
    const spec = { id: 'response', title: 'Response time', unit: 'ms', yRange: 'zero', stepped: false, series: [{ name: 'responseMs', label: 'response time', role: 'main' }] };
    board.render([spec], () => [r.series.timestamps, r.series.responseMs]);
    byId('detail-results').replaceChildren(...r.results.slice(0, 50).map((x) => el('tr', {},
      el('td', { text: fmt.when(x.atMs) }),
      el('td', {}, el('span', { class: 'status-dot', 'data-status': x.up ? 'UP' : 'DOWN', text: x.up ? 'UP' : 'DOWN' })),
      el('td', { class: 'num', text: typeof x.responseMs === 'number' ? fmt.metric(x.responseMs, 'ms') : '–' }),
      el('td', { class: 'num', text: typeof x.value === 'number' ? String(x.value) : '–' }),
      el('td', { text: [x.message, x.method ? `(${x.method})` : '', typeof x.certDaysLeft === 'number' ? `cert ${x.certDaysLeft} d` : ''].filter(Boolean).join(' ') }))));
  } catch (e) {
    setText(byId('detail-summary'), e.detail || String(e));
  }
}

// ------------------------------------------------------------------ delete

function openDelete(id) {
  pendingDelete = id;
  setText(byId('check-delete-name'), views.get(id)?.name || '');
  byId('check-delete-error').hidden = true;
  byId('check-delete-dialog').showModal();
}

function wireDelete() {
  const dialog = byId('check-delete-dialog');
  for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
  byId('check-delete-confirm').addEventListener('click', async () => {
    try {
      await api.deleteCheck(pendingDelete);
    } catch (e) {
      if (e.status !== 404) {
        setText(byId('check-delete-error'), e.detail || String(e));
        byId('check-delete-error').hidden = false;
        return;
      }
    }
    remove(pendingDelete);
    dialog.close();
  });
}

// ------------------------------------------------------------------ start

async function start() {
  let session;
  try {
    session = await startSession();
  } catch (e) {
    showState('error', e.detail || String(e));
    return;
  }
  if (!session) return;
  editable = canEdit(session);
  byId('add-check').hidden = !editable;
  byId('checks-empty-hint').hidden = !editable;
  byId('add-check').addEventListener('click', () => openCheckForm(null));
  byId('detail-close').addEventListener('click', () => {
    detailId = null;
    byId('detail').hidden = true;
  });
  wireCheckForm({
    save: async (id, body) => upsert(id === null ? await api.addCheck(body) : await api.updateCheck(id, body)),
    hosts: () => api.hosts(),
  });
  wireDelete();
  await loadAll();
  connectLive({
    indicator: byId('live'),
    indicatorText: byId('live-text'),
    onConnected: () => loadAll(),
    events: { check: upsert, 'check-deleted': (d) => remove(d.id) },
  });
  // "3 s ago" moves on by itself.
  window.setInterval(() => {
    for (const tr of byId('checks-body').children) {
      const v = views.get(Number(tr.dataset.checkId));
      const cell = tr.querySelector('[data-testid=check-last]');
      if (v && cell) setText(cell, rows.lastText(v));
    }
  }, 1000);
  setAttr(byId('checks-title'), 'data-ready', 'true');
}

start();
