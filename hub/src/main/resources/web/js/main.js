// The overview page: session, host cards, live updates, add and delete.

import { api } from './api.js';
import { Board } from './cards.js';
import { byId, setText } from './dom.js';
import { openAddDialog, openDeleteDialog, wireDialogs } from './dialogs.js';
import { connectLive } from './live.js';
import { startSession, canEdit } from './session.js';

const view = {
  loading: byId('state-loading'),
  error: byId('state-error'),
  errorDetail: byId('state-error-detail'),
  empty: byId('state-empty'),
  grid: byId('grid'),
  total: byId('host-total'),
  counts: { ON: byId('count-on'), OFF: byId('count-off'), EMPTY: byId('count-empty') },
};

let loaded = false;

const board = new Board(view.grid, {
  onDelete: (id, name) => openDeleteDialog(id, name),
  onChange: (counts) => showCounts(counts),
});

function showCounts(counts) {
  for (const status of ['ON', 'OFF', 'EMPTY']) setText(view.counts[status], loaded ? counts[status] : '–');
  setText(view.total, loaded ? `(${counts.total})` : '');
  view.empty.hidden = !loaded || counts.total > 0;
}

function showState(state, detail = '') {
  view.loading.hidden = state !== 'loading';
  view.error.hidden = state !== 'error';
  setText(view.errorDetail, detail);
  if (state === 'ready') loaded = true;
  showCounts(board.counts());
}

/** Loads all hosts; the first time it drives the loading and error panels. */
async function loadHosts() {
  if (!loaded) showState('loading');
  const requestedAt = performance.now();
  try {
    const hosts = await api.hosts();
    board.replaceAll(Array.isArray(hosts) ? hosts : [], requestedAt);
    showState('ready');
    return true;
  } catch (e) {
    // Once cards are on screen a failed refresh keeps them; the live indicator says why.
    if (!loaded) showState('error', e.detail || String(e));
    else console.warn('servmon: refreshing hosts failed:', e.detail || e);
    return false;
  }
}

async function start() {
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
      api.host(created.id).then((host) => board.upsert(host), (e) => console.warn('servmon: new host not loaded:', e.detail || e));
      return created;
    },
    deleteHost: async (id) => {
      try {
        await api.deleteHost(id);
      } catch (e) {
        // 404: someone else deleted it first, which is what the person wanted.
        if (e.status !== 404) throw e;
      }
      board.remove(id);
    },
    focusAfterClose: () => byId('hosts-title'),
  });

  await loadHosts();
  connectLive({
    indicator: byId('live'),
    indicatorText: byId('live-text'),
    onHost: (host) => board.upsert(host),
    onHostDeleted: (id) => board.remove(id),
    onConnected: () => loadHosts(),
  });
  window.setInterval(() => board.tick(), 1000);
}

start();
