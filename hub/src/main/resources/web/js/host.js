// The host page (host.html?id=3&range=24h): header, last-30-reports strip, charts over a
// chosen range, side panels, history table; live through the event stream.

import { api } from './api.js';
import { byId, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { startSession, canEdit } from './session.js';
import { connectLive } from './live.js';
import { wireDeleteDialog, openDeleteDialog, wireRenameDialog, openRenameDialog } from './dialogs.js';
import { wireRotateDialog, openRotateDialog } from './rotatekey.js';
import * as ranges from './ranges.js';
import { chartSpecs, batches } from './chartspec.js';
import { ChartBoard } from './charts.js';
import { Sparks, SPARK_NAMES, POINTS } from './sparks.js';
import { Panels } from './panels.js';
import { HistoryTable } from './history.js';
import { ProgramsSection } from './programs.js';
import { HostChecks } from './hostchecks.js';
import { PowerPanel } from './power.js';
import { tagsOf } from './fleet.js';
import { showTags } from './cards.js';
import { PowerPolicyPanel, EnergyPanel } from './powerpolicy.js';

/** Details (processes, filesystems, users) are refetched at most this often on live reports. */
const DETAILS_EVERY_MS = 5_000;
/** The shortest range a drag can zoom into. */
const MIN_ZOOM_MS = 60_000;

const hostId = parseHostId(window.location.search);
let host = null;
let range = ranges.fromQuery(window.location.search);
const zoomStack = [];
let chartsLoad = null;
let chartsLoadedAt = 0;
let detailsAt = 0;
let detailsTimer = null;

const board = new ChartBoard(byId('charts'), { onZoom: zoomIn, onZoomOut: zoomOut });
const sparks = new Sparks(byId('sparks'));
const panels = new Panels();
let history = null;

function parseHostId(search) {
  const raw = new URLSearchParams(search).get('id');
  return /^[1-9]\d{0,17}$/.test(raw || '') ? Number(raw) : null;
}

function pageError(title, detail) {
  byId('page-loading').hidden = true;
  byId('host').hidden = true;
  setText(byId('page-error-title'), title);
  setText(byId('page-error-detail'), detail);
  byId('page-error').hidden = false;
}

// ------------------------------------------------------------------ header

function showHeader() {
  const status = ['ON', 'OFF', 'EMPTY'].includes(host.status) ? host.status : 'EMPTY';
  document.title = `${host.name} · servmon`;
  setText(byId('host-name'), host.name);
  setText(byId('crumb-name'), host.name);
  setText(byId('host-status'), status);
  setAttr(byId('host-status'), 'data-status', status);
  setAttr(byId('host-status'), 'aria-label', `status ${status}`);
  setAttr(byId('host'), 'data-status', status);
  setText(byId('host-uptime'), fmt.duration(host.latest?.uptimeSeconds));
  setText(byId('host-agent'), host.agentVersion || '–');
  setText(byId('host-interval'), host.intervalSeconds ? `every ${host.intervalSeconds} s` : '–');
  const tags = tagsOf(host);
  byId('host-tags-row').hidden = tags.length === 0;
  showTags(byId('host-tags'), tags);
  const os = host.inventory ? [host.inventory.os, host.inventory.arch].filter(Boolean).join(', ') : '';
  byId('host-os-row').hidden = !os;
  setText(byId('host-os'), os);
  const seen = byId('host-seen');
  const seenAt = host.lastSeenAtMs ?? null;
  seen.dataset.at = seenAt === null ? '' : String(seenAt);
  setAttr(seen, 'datetime', fmt.iso(seenAt));
  setAttr(seen, 'title', fmt.absolute(seenAt));
  tick();
}

function tick() {
  const seen = byId('host-seen');
  setText(seen, seen.dataset.at ? fmt.ago(Number(seen.dataset.at)) : 'never');
}

/** A live event or a fetch: the list fields replace ours, the detail fields stay unless given. */
function mergeHost(update) {
  host = { ...host, ...update, sample: update.sample ?? host?.sample, inventory: update.inventory ?? host?.inventory };
}

// ------------------------------------------------------------------ ranges

function buildRangeButtons() {
  const group = byId('ranges');
  for (const p of ranges.PRESETS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-small range-button';
    button.textContent = p.label;
    button.title = p.title;
    button.dataset.range = p.key;
    button.dataset.testid = `range-${p.key}`;
    button.addEventListener('click', () => {
      zoomStack.length = 0;
      setRange(ranges.preset(p.key));
    });
    group.append(button);
  }
  byId('custom-range').addEventListener('submit', (event) => {
    event.preventDefault();
    const from = ranges.fromLocalInput(byId('range-from').value);
    const to = ranges.fromLocalInput(byId('range-to').value);
    const error = byId('range-error');
    const problem = Number.isNaN(from) || Number.isNaN(to) ? 'Enter both times.' : from >= to ? 'The start must be before the end.' : '';
    setText(error, problem);
    error.hidden = !problem;
    if (problem) return;
    zoomStack.length = 0;
    setRange(ranges.fixed(from, to));
  });
  byId('zoom-out').addEventListener('click', zoomOut);
}

function showRange() {
  for (const button of byId('ranges').children) {
    setAttr(button, 'aria-pressed', range.kind === 'preset' && range.key === button.dataset.range ? 'true' : 'false');
  }
  const { fromMs, toMs } = ranges.bounds(range);
  byId('range-from').value = ranges.toLocalInput(fromMs);
  byId('range-to').value = ranges.toLocalInput(toMs);
  setText(byId('range-text'), ranges.describe(range, fmt.absolute));
  byId('zoom-out').hidden = zoomStack.length === 0;
}

function setRange(next) {
  range = next;
  // Replace, not push: the back button leaves the page instead of stepping through ranges.
  window.history.replaceState(null, '', ranges.toQuery(hostId, range));
  showRange();
  loadCharts();
  history.show(() => ranges.bounds(range));
}

function zoomIn(fromMs, toMs) {
  let from = fromMs;
  let to = toMs;
  if (to - from < MIN_ZOOM_MS) {
    const mid = (from + to) / 2;
    from = mid - MIN_ZOOM_MS / 2;
    to = mid + MIN_ZOOM_MS / 2;
  }
  zoomStack.push(range);
  setRange(ranges.fixed(from, to));
}

/** Back to the range before the last zoom; without one, twice the range around its middle. */
function zoomOut() {
  if (zoomStack.length > 0) {
    setRange(zoomStack.pop());
    return;
  }
  if (range.kind === 'preset') {
    const i = ranges.PRESETS.findIndex((p) => p.key === range.key);
    if (i < ranges.PRESETS.length - 1) setRange(ranges.preset(ranges.PRESETS[i + 1].key));
    return;
  }
  const { fromMs, toMs } = ranges.bounds(range);
  const half = toMs - fromMs;
  setRange(ranges.fixed(fromMs - half / 2, Math.min(Date.now(), toMs + half / 2)));
}

// ------------------------------------------------------------------ charts

function showCharts(state, detail = '') {
  const hasCharts = byId('charts').children.length > 0;
  byId('charts-loading').hidden = !(state === 'loading' && !hasCharts);
  setAttr(byId('charts'), 'aria-busy', state === 'loading' ? 'true' : 'false');
  byId('charts-error').hidden = state !== 'error';
  setText(byId('charts-error-detail'), detail);
  byId('charts-empty').hidden = state !== 'empty';
  byId('charts').hidden = state === 'empty' || state === 'error';
  if (state === 'empty') {
    setText(byId('charts-empty-detail'), host.status === 'EMPTY'
      ? 'This host has not reported yet: start the agent on it with the key you were given when you added it.'
      : `Nothing was reported ${ranges.describe(range, fmt.absolute).replace(/^last/, 'in the last')}. Pick a longer range, or check that the agent is running.`);
  }
}

async function loadCharts({ silent = false } = {}) {
  chartsLoad?.abort();
  const controller = new AbortController();
  chartsLoad = controller;
  const { signal } = controller;
  if (!silent) showCharts('loading');
  const { fromMs, toMs } = ranges.bounds(range);
  try {
    const names = await api.series(hostId, { signal });
    const specs = chartSpecs(Array.isArray(names) ? names : []);
    const answers = await Promise.all(batches(specs).map((batch) =>
      api.metrics(hostId, { names: batch.names, from: fromMs, to: toMs }, { signal }).then((result) => ({ batch, result }))));
    const dataBySpec = new Map();
    for (const { batch, result } of answers) {
      const byName = new Map(result.series.map((s) => [s.name, s.avg]));
      const none = result.timestamps.map(() => null);
      for (const spec of batch.specs) {
        dataBySpec.set(spec.id, [result.timestamps, ...spec.series.map((s) => byName.get(s.name) || none)]);
      }
    }
    const resolution = answers[0]?.result.resolution;
    setText(byId('resolution-text'), resolution ? `· ${ranges.resolutionText(resolution)}` : '');
    setAttr(byId('resolution-text'), 'data-resolution', resolution || null);
    const withData = board.render(specs, (spec) => dataBySpec.get(spec.id));
    chartsLoadedAt = Date.now();
    showCharts(withData > 0 ? 'ready' : 'empty');
  } catch (e) {
    if (e.name === 'AbortError') return;
    showCharts('error', e.detail || String(e));
  } finally {
    if (chartsLoad === controller) chartsLoad = null;
  }
}

/** A moving range is refetched as reports come in, not more often than it visibly moves. */
function maybeRefreshCharts() {
  if (chartsLoad || Date.now() - chartsLoadedAt < ranges.refreshMs(range)) return;
  loadCharts({ silent: true });
}

// ------------------------------------------------------------------ details

async function loadDetails() {
  detailsAt = Date.now();
  try {
    const fresh = await api.host(hostId);
    mergeHost(fresh);
    showHeader();
    panels.update(host);
  } catch (e) {
    if (e.status === 404) hostGone();
    else console.warn('servmon: host details not refreshed:', e.detail || e);
  }
}

function scheduleDetails() {
  if (detailsTimer) return;
  const wait = Math.max(0, DETAILS_EVERY_MS - (Date.now() - detailsAt));
  detailsTimer = window.setTimeout(() => {
    detailsTimer = null;
    loadDetails();
  }, wait);
}

async function loadSparks() {
  try {
    const result = await api.history(hostId, { from: '-7d', size: POINTS, sort: 'desc', names: SPARK_NAMES });
    sparks.load(result.rows);
  } catch (e) {
    console.warn('servmon: last reports not loaded:', e.detail || e);
  }
}

function hostGone() {
  pageError('This host was deleted', 'It is no longer on this hub, nor are its samples.');
}

// ------------------------------------------------------------------ start

async function start() {
  let session;
  try {
    session = await startSession();
  } catch (e) {
    pageError('servmon could not be reached', e.detail || String(e));
    return;
  }
  if (!session) return;
  if (hostId === null) {
    pageError('No host chosen', 'Open a host from the overview.');
    return;
  }
  let catalogue;
  try {
    [host, catalogue] = await Promise.all([api.host(hostId), api.catalogue()]);
  } catch (e) {
    if (e.status === 404) pageError('No such host', `There is no host with id ${hostId}. It may have been deleted.`);
    else pageError('This host could not be loaded', e.detail || String(e));
    return;
  }
  byId('page-loading').hidden = true;
  byId('host').hidden = false;
  showHeader();
  panels.update(host);
  detailsAt = Date.now();

  const editable = canEdit(session);
  byId('host-actions').hidden = !editable;
  byId('rename-host').addEventListener('click', () => openRenameDialog(host.name, tagsOf(host)));
  byId('delete-host').addEventListener('click', () => openDeleteDialog(hostId, host.name));
  wireRotateDialog({ rotateKey: () => api.rotateKey(hostId) });
  byId('rotate-key').addEventListener('click', () => openRotateDialog(host.name));
  wireRenameDialog({
    renameHost: async (name, tags) => {
      mergeHost(await api.renameHost(hostId, name, tags));
      showHeader();
    },
  });
  wireDeleteDialog({
    deleteHost: async (id) => {
      try {
        await api.deleteHost(id);
      } catch (e) {
        if (e.status !== 404) throw e;
      }
      window.location.assign('/');
    },
    focusAfterClose: () => null,
  });

  const power = new PowerPanel(hostId, () => host, editable);
  power.load();
  const policy = new PowerPolicyPanel(hostId, editable);
  policy.load();
  new EnergyPanel(hostId, editable).load();
  history = new HistoryTable(hostId, catalogue, () => host.name);
  const programs = new ProgramsSection(hostId, editable, () => host);
  programs.load();
  buildRangeButtons();
  byId('charts-retry').addEventListener('click', () => loadCharts());
  setRange(range);
  loadSparks();
  const checks = new HostChecks(hostId, editable);
  checks.load();

  connectLive({
    indicator: byId('live'),
    indicatorText: byId('live-text'),
    onHost: (update) => {
      if (update.id !== hostId) return;
      const reported = update.latest && update.latest.atMs !== host.latest?.atMs;
      const statusChanged = update.status !== host.status;
      mergeHost(update);
      showHeader();
      if (statusChanged) {
        power.onHost();
        programs.showAway();
      }
      if (reported) {
        sparks.push(update.latest);
        scheduleDetails();
        maybeRefreshCharts();
      }
    },
    onHostDeleted: (id) => {
      if (id === hostId) hostGone();
    },
    onConnected: () => {
      loadDetails();
      programs.load();
      checks.load();
      power.load();
      policy.loadDecisions();
    },
    more: {
      programs: (data) => programs.onLive(data),
      check: (v) => checks.upsert(v),
      'check-deleted': (d) => checks.remove(d.id),
      command: (command) => {
        power.onCommand(command);
        programs.onCommand(command);
      },
    },
  });
  window.setInterval(tick, 1000);
}

start();
