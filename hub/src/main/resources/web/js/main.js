// The overview page: session, count cards, hosts as cards / table / comparison chart with a
// filter, live updates, add and delete. The filter and view live in the URL (?q=&status=&view=)
// so a filtered view can be bookmarked and shared.

import { api } from './api.js';
import { Board } from './cards.js';
import { CompareChart } from './compare.js';
import { byId, el, setAttr, setText } from './dom.js';
import { openAddDialog, openDeleteDialog, wireDialogs } from './dialogs.js';
import { groups, isEmptyFilter, matches, parseFilter, toggleTag, totals } from './fleet.js';
import { FleetModel, LARGE_FLEET } from './fleetmodel.js';
import * as fmt from './format.js';
import { connectLive } from './live.js';
import { startSession, canEdit } from './session.js';
import { budget, nextTask } from './slices.js';
import { HostTable } from './table.js';

const VIEWS = ['cards', 'table', 'compare'];
import { stateLabel } from './power.js';
import { loadEnergyCard } from './powerpolicy.js';

const view = {
  loading: byId('state-loading'),
  error: byId('state-error'),
  errorDetail: byId('state-error-detail'),
  empty: byId('state-empty'),
  grid: byId('grid'),
  tableView: byId('table-view'),
  compareView: byId('compare-view'),
  total: byId('host-total'),
  filter: byId('filter'),
  status: byId('status-filter'),
  none: byId('filter-none'),
  counts: { ON: byId('count-on'), OFF: byId('count-off'), EMPTY: byId('count-empty') },
  power: byId('count-power'),
  powerHosts: byId('count-power-hosts'),
  users: byId('count-users'),
  groups: byId('groups'),
};

const state = { view: 'cards', filterText: '', filter: parseFilter(''), status: '' };
let loaded = false;

const wakeButtons = new Map(); // wake command id → the card's button showing its progress

async function wake(id, name, button) {
  button.disabled = true;
  setText(button, 'Waking…');
  try {
    const command = await api.wake(id, { via: 'hub' });
    wakeButtons.set(command.id, button);
    showWake(command);
  } catch (e) {
    setText(button, 'Wake');
    button.disabled = false;
    window.alert(`${name} could not be woken: ${e.detail || e}`);
  }
}

function showWake(command) {
  const button = wakeButtons.get(command.id);
  // A finished wake may be announced before the request's own answer: that answer is older.
  if (!button || (command.state === 'ACKED' && button.dataset.finished === command.id)) return;
  setText(button, stateLabel(command));
  button.title = command.message || '';
  if (command.state !== 'ACKED') {
    button.dataset.finished = command.id;
    window.setTimeout(() => {
      setText(button, 'Wake');
      button.disabled = false;
    }, 5_000);
  }
}

async function loadWakeable() {
  try {
    board.setWakeable((await api.wakeable()).map((w) => w.hostId));
  } catch (e) {
    console.warn('servmon: wakeable hosts not loaded:', e.detail || e);
  }
}

const model = new FleetModel(() => render());
const board = new Board(view.grid, { onWake: wake, onDelete: (id, name) => openDeleteDialog(id, name) });
const table = new HostTable(view.tableView);
const compare = new CompareChart(view.compareView);
table.onSort = () => render();
compare.onChange = () => {
  writeUrl();
  render();
};

function visible(host) {
  return matches(host, state.filter, state.status);
}

/** New cards or rows built per render: a chunk the browser builds well within a frame budget. */
const BUILD_CHUNK = 60;
let continuation = false;

/**
 * Brings the count cards and the chosen view up to date with the model: what fits in one slice
 * (slices.js), the rest in further tasks, each with the newest hosts, so the first screenful
 * paints at once and neither 1,000 new cards nor 1,000 live updates make one long task.
 */
function render() {
  const time = budget();
  const all = model.sortedByName();
  showCounts(totals(all));
  showGroups(all);
  const filtering = !isEmptyFilter(state.filter, state.status);
  let shown = all.length;
  let complete = true;
  if (state.view === 'cards') {
    // No gauge and bar animations at fleet size: see .grid[data-large] in app.css.
    setAttr(view.grid, 'data-large', all.length > LARGE_FLEET);
    complete = board.sync(all, filtering ? visible : undefined, { build: BUILD_CHUNK, time });
    if (filtering) shown = all.filter(visible).length;
  } else {
    const hosts = filtering ? all.filter(visible) : all;
    shown = hosts.length;
    if (state.view === 'table') complete = table.sync(hosts, { build: BUILD_CHUNK, time });
    else compare.sync(hosts);
  }
  if (!complete && !continuation) {
    continuation = true;
    nextTask(() => {
      continuation = false;
      render();
    });
  }
  if (complete && loaded && performance.getEntriesByName('servmon:all-hosts').length === 0) performance.mark('servmon:all-hosts');
  setText(view.total, !loaded ? '' : filtering ? `(${shown} of ${all.length})` : `(${all.length})`);
  view.none.hidden = !loaded || !filtering || shown > 0 || all.length === 0;
}

/** Groups shown at most; the rest are reached through the filter box. */
const MAX_GROUPS = 40;
let groupsShown = '';

/**
 * The group buttons under the filter: rebuilt only when a tag, a count or the filter changed
 * (live updates that change no count touch nothing), pressed when the filter has the tag.
 */
function showGroups(all) {
  const list = loaded ? groups(all) : [];
  const pressed = new Set(state.filter.tags);
  const key = list.map((g) => `${g.tag}\u0000${g.total}\u0000${g.off}\u0000${pressed.has(g.tag.toLowerCase())}`).join('\u0001');
  if (key === groupsShown) return;
  groupsShown = key;
  view.groups.hidden = list.length === 0;
  const buttons = list.slice(0, MAX_GROUPS).map((g) => {
    const on = pressed.has(g.tag.toLowerCase());
    const label = `${g.tag}: ${g.total} host${g.total === 1 ? '' : 's'}${g.off ? `, ${g.off} off` : ''}`;
    const button = el('button', { type: 'button', class: 'group', 'aria-pressed': String(on), title: label, 'aria-label': label,
      'data-testid': 'group', dataset: { tag: g.tag } },
    el('span', { text: g.tag }), el('span', { class: 'group-count', text: g.total }),
    g.off ? el('span', { class: 'group-off', text: `${g.off} off` }) : null);
    button.addEventListener('click', () => {
      view.filter.value = toggleTag(view.filter.value, g.tag);
      view.filter.dispatchEvent(new Event('input'));
    });
    return button;
  });
  if (list.length > MAX_GROUPS) {
    buttons.push(el('span', { class: 'muted group-more', text: `+${list.length - MAX_GROUPS} more: type tag:name` }));
  }
  // Rebuilding must not take the keyboard focus away from the group someone just pressed.
  const focused = view.groups.contains(document.activeElement) ? document.activeElement.dataset.tag : undefined;
  view.groups.replaceChildren(...buttons);
  if (focused !== undefined) buttons.find((b) => b.dataset?.tag === focused)?.focus();
}

function showCounts(t) {
  for (const status of ['ON', 'OFF', 'EMPTY']) setText(view.counts[status], loaded ? t[status] : '–');
  setText(view.power, loaded && t.wattHosts > 0 ? fmt.watts(t.watts) : '–');
  setText(view.powerHosts, loaded && t.wattHosts > 0 && t.wattHosts < t.ON ? `(${t.wattHosts} of ${t.ON})` : '');
  setText(view.users, loaded ? t.users : '–');
  view.empty.hidden = !loaded || t.total > 0;
}

function showView(name) {
  state.view = VIEWS.includes(name) ? name : 'cards';
  view.grid.hidden = state.view !== 'cards';
  view.tableView.hidden = state.view !== 'table';
  view.compareView.hidden = state.view !== 'compare';
  for (const button of document.querySelectorAll('[data-view]')) {
    setAttr(button, 'aria-pressed', String(button.dataset.view === state.view));
  }
}

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  state.filterText = params.get('q') || '';
  state.filter = parseFilter(state.filterText);
  const status = (params.get('status') || '').toUpperCase();
  state.status = ['ON', 'OFF', 'EMPTY'].includes(status) ? status : '';
  view.filter.value = state.filterText;
  view.status.value = state.status;
  compare.setMeasure(params.get('measure') || 'cpu');
  showView(params.get('view') || window.localStorage.getItem('servmon.view') || 'cards');
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.filterText) params.set('q', state.filterText);
  if (state.status) params.set('status', state.status);
  if (state.view !== 'cards') params.set('view', state.view);
  if (state.view === 'compare' && compare.key !== 'cpu') params.set('measure', compare.key);
  const query = params.toString();
  window.history.replaceState(null, '', query ? `?${query}` : window.location.pathname);
}

function wireToolbar() {
  view.filter.addEventListener('input', () => {
    state.filterText = view.filter.value;
    state.filter = parseFilter(state.filterText);
    writeUrl();
    render();
  });
  view.status.addEventListener('change', () => {
    state.status = view.status.value;
    writeUrl();
    render();
  });
  for (const button of document.querySelectorAll('[data-view]')) {
    button.addEventListener('click', () => {
      showView(button.dataset.view);
      window.localStorage.setItem('servmon.view', state.view);
      writeUrl();
      render();
    });
  }
  // "/" jumps to the filter, as on most dashboards; Escape clears it.
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !e.ctrlKey && !e.metaKey && !['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement?.tagName)
        && !document.querySelector('dialog[open]')) {
      e.preventDefault();
      view.filter.focus();
    }
  });
  view.filter.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && view.filter.value) {
      view.filter.value = '';
      view.filter.dispatchEvent(new Event('input'));
    }
  });
}

function showState(state, detail = '') {
  view.loading.hidden = state !== 'loading';
  view.error.hidden = state !== 'error';
  setText(view.errorDetail, detail);
  if (state === 'ready') loaded = true;
  render();
}

/** Loads all hosts; the first time it drives the loading and error panels. */
async function loadHosts() {
  if (!loaded) showState('loading');
  const requestedAt = performance.now();
  try {
    const hosts = await api.hosts();
    loaded = true;
    model.replaceAll(Array.isArray(hosts) ? hosts : [], requestedAt);
    showState('ready');
    // For the overview benchmark (bench/overview.sh): when the first host list is on screen.
    if (performance.getEntriesByName('servmon:first-data').length === 0) performance.mark('servmon:first-data');
    return true;
  } catch (e) {
    // Once hosts are on screen a failed refresh keeps them; the live indicator says why.
    if (!loaded) {
      showState('error', e.detail || String(e));
      retryFirstLoad();
    } else {
      console.warn('servmon: refreshing hosts failed:', e.detail || e);
    }
    return false;
  }
}

let firstLoadRetry = null;
let firstLoadDelayMs = 2000;

/** Until the first host list arrives, tries again by itself: 2 s, 4 s, … up to 30 s apart. */
function retryFirstLoad() {
  if (firstLoadRetry !== null) return;
  firstLoadRetry = window.setTimeout(() => {
    firstLoadRetry = null;
    firstLoadDelayMs = Math.min(firstLoadDelayMs * 2, 30_000);
    if (!loaded) loadHosts();
  }, firstLoadDelayMs);
}

/** The number of firing alerts next to "Alerts" in the header. */
function showAlertCount(counts) {
  const badge = byId('alerts-firing');
  const firing = counts && counts.firing ? counts.firing : 0;
  setText(badge, firing);
  badge.title = `${firing} firing`;
  badge.hidden = firing === 0;
}

async function loadAlertCount() {
  try {
    showAlertCount(await api.alertSummary());
  } catch (e) {
    console.warn('servmon: alert count not loaded:', e.detail || e);
  }
}

async function start() {
  readUrl();
  wireToolbar();
  let session;
  try {
    session = await startSession();
  } catch (e) {
    showState('error', e.detail || String(e));
    byId('retry').addEventListener('click', () => window.location.reload(), { once: true });
    return;
  }
  if (!session) return;
  const editable = canEdit(session);
  board.setCanEdit(editable);
  board.setAgentUrls(session.ingestUrl, session.installScriptUrl || null, session.installCurlFlags || null);

  const addButtons = [byId('add-host'), byId('empty-add-host')];
  for (const button of addButtons) {
    button.hidden = !editable;
    button.addEventListener('click', () => openAddDialog());
  }
  byId('retry').addEventListener('click', () => loadHosts());

  wireDialogs({
    addHost: async (name) => {
      const created = await api.addHost(name);
      // The live stream announces the host too; fetching it makes the card appear even
      // while the stream is reconnecting.
      api.host(created.id).then((host) => model.upsert(host), (e) => console.warn('servmon: new host not loaded:', e.detail || e));
      return created;
    },
    deleteHost: async (id) => {
      try {
        await api.deleteHost(id);
      } catch (e) {
        // 404: someone else deleted it first, which is what the person wanted.
        if (e.status !== 404) throw e;
      }
      model.remove(id);
    },
    focusAfterClose: () => byId('hosts-title'),
  });

  await loadHosts();
  loadEnergyCard();
  // Energy changes slowly (hourly rollups): every 10 minutes is plenty.
  window.setInterval(loadEnergyCard, 10 * 60 * 1000);
  connectLive({
    indicator: byId('live'),
    indicatorText: byId('live-text'),
    // Before the first host list, live events would show a partial fleet under the error
    // panel with counts of "–"; the list (retried by itself) brings every host at once.
    onHost: (host) => {
      if (loaded) model.upsert(host);
    },
    onHostDeleted: (id) => model.remove(id),
    onConnected: () => {
      loadHosts();
      loadAlertCount();
      if (editable) loadWakeable();
    },
    onAlerts: (counts) => showAlertCount(counts),
    more: {
      command: (command) => {
        if (command.type === 'power.wake') showWake(command);
      },
    },
  });
  window.setInterval(() => {
    const now = Date.now();
    if (state.view === 'cards') board.tick(now);
    else if (state.view === 'table') table.tick(now);
  }, 1000);
}

start();
