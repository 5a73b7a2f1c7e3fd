// The audit page (admins): filters, a page of records, newer/older.

import { api } from './api.js';
import { byId, el, setText } from './dom.js';
import { when } from './format.js';
import { startPage, showError } from './page.js';

const SIZE = 50;
let page = 0;
let total = 0;

function query() {
  const value = (id) => byId(id).value.trim() || undefined;
  const time = (id) => (byId(id).value ? new Date(byId(id).value).getTime() : undefined);
  return { user: value('f-user'), action: value('f-action'), target: value('f-target'), from: time('f-from'), to: time('f-to'), page, size: SIZE };
}

async function load() {
  try {
    const result = await api.audit(query());
    total = result.total;
    byId('audit-body').replaceChildren(...result.entries.map(row));
    byId('audit-empty').hidden = result.entries.length > 0;
    const pages = Math.max(1, Math.ceil(total / SIZE));
    setText(byId('audit-page'), `page ${page + 1} of ${pages} (${total} records)`);
    byId('audit-prev').disabled = page === 0;
    byId('audit-next').disabled = page + 1 >= pages;
    showError(byId('audit-error'), '');
  } catch (e) {
    showError(byId('audit-error'), e.detail || String(e));
  }
}

function row(e) {
  const who = e.username === null ? 'anonymous' : e.username + (e.tokenId !== null ? ` (token ${e.tokenId})` : '');
  return el('tr', { 'data-testid': 'audit-row', 'data-outcome': e.outcome },
    el('td', { text: when(e.atMs), title: new Date(e.atMs).toISOString() }),
    el('td', { text: who }),
    el('td', { class: 'mono', text: e.action }),
    el('td', { text: e.target || '' }),
    el('td', { class: 'mono', text: e.ip || '' }),
    el('td', { text: `${e.outcome} (${e.status})` }));
}

async function start() {
  const session = await startPage('admin');
  if (!session) return;
  byId('audit-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    page = 0;
    load();
  });
  byId('audit-prev').addEventListener('click', () => { page = Math.max(0, page - 1); load(); });
  byId('audit-next').addEventListener('click', () => { page += 1; load(); });
  await load();
}

start();
