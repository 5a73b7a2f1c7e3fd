// The public status page (/status, no sign-in): the checks and hosts an operator marked public,
// with up/down, uptime and a 90-day bar. It reads only GET /api/v1/status, which carries names
// and numbers, nothing about targets.

import { byId, el, setText } from './dom.js';
import * as fmt from './format.js';

const REFRESH_MS = 60_000;
const DAY_MS = 86_400_000;
const DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

function pct(p) {
  return typeof p === 'number' ? `${p >= 99.995 ? '100' : p.toFixed(2)} %` : '–';
}

/** A day's bar: up (100 %), partial, down (below 90 %) or none. */
function level(p) {
  if (typeof p !== 'number') return 'none';
  if (p >= 99.995) return 'up';
  return p >= 90 ? 'partial' : 'down';
}

function checkItem(c, firstDay) {
  const st = c.up === null || c.up === undefined ? 'PENDING' : c.up ? 'UP' : 'DOWN';
  const bars = c.days.map((p, i) => el('span', {
    class: 'status-bar', 'data-level': level(p), title: `${DAY.format(new Date(firstDay + i * DAY_MS))}: ${typeof p === 'number' ? pct(p) : 'no data'}`,
  }));
  return el('li', { class: 'status-item', 'data-testid': 'status-check', 'data-status': st },
    el('div', { class: 'status-item-head' },
      el('span', { class: 'status-item-name', text: c.name }),
      el('span', { class: 'muted small', text: `24 h ${pct(c.uptime24h)} · 30 d ${pct(c.uptime30d)}` }),
      el('span', { class: 'status-dot', 'data-status': st, text: st })),
    el('div', { class: 'status-bars', role: 'img', 'aria-label': `${c.name}: daily uptime over the last 90 days` }, bars),
    el('div', { class: 'status-axis muted' }, el('span', { text: '90 days ago' }), el('span', { text: 'today' })));
}

function hostItem(h) {
  const st = h.status === 'ON' ? 'UP' : h.status === 'OFF' ? 'DOWN' : 'PENDING';
  return el('li', { class: 'status-item', 'data-testid': 'status-host', 'data-status': st },
    el('div', { class: 'status-item-head' },
      el('span', { class: 'status-item-name', text: h.name }),
      el('span', { class: 'status-dot', 'data-status': st, text: h.status === 'ON' ? 'UP' : h.status === 'OFF' ? 'DOWN' : 'NO DATA' })));
}

async function load() {
  try {
    const response = await fetch('/api/v1/status', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(`the status could not be loaded (${response.status})`);
    const s = await response.json();
    byId('status-loading').hidden = true;
    byId('status-error').hidden = true;
    byId('status-checks').replaceChildren(...s.checks.map((c) => checkItem(c, s.firstDayStartMs)));
    byId('status-hosts').replaceChildren(...s.hosts.map(hostItem));
    byId('status-checks-section').hidden = s.checks.length === 0;
    byId('status-hosts-section').hidden = s.hosts.length === 0;
    byId('status-empty').hidden = s.checks.length + s.hosts.length > 0;
    const down = s.checks.filter((c) => c.up === false).length + s.hosts.filter((h) => h.status === 'OFF').length;
    const overall = byId('status-overall');
    setText(overall, down === 0 ? 'All systems operational' : `${down} down`);
    overall.dataset.status = down === 0 ? 'ON' : 'OFF';
    setText(byId('status-updated'), `Updated ${fmt.absolute(s.generatedAtMs)}; refreshes every minute.`);
  } catch (e) {
    byId('status-loading').hidden = true;
    setText(byId('status-error-detail'), e.message || String(e));
    byId('status-error').hidden = false;
  }
}

load();
window.setInterval(load, REFRESH_MS);
