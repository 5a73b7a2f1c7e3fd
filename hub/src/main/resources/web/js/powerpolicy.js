// The host page's "Power policy" panel (schedules, idle policy, last decisions) and "Energy"
// panel (kWh per day for the last 30 days as plain DOM bars, total, cost, saved), and the
// overview's "Energy (30 d)" card. Changes are for operators; the API refuses the rest anyway.

import { request } from './api.js';
import { byId, el, setText } from './dom.js';
import * as fmt from './format.js';

const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
const ACTION_LABEL = { wake: 'Wake', shutdown: 'Shut down', suspend: 'Suspend' };
const STATE_LABEL = {
  off: 'The idle policy is off.',
  watching: 'Watching: acts once the host has been idle long enough.',
  'waiting-for-off': 'Acted; waiting for the host to go OFF.',
  'waiting-for-on': 'Acted; the host is OFF. Watching again once it is back ON.',
};

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const hostPath = (id, rest) => `/api/v1/hosts/${encodeURIComponent(id)}/${rest}`;

export const powerApi = {
  schedules: (hostId) => request('GET', `/api/v1/power/schedules?host=${encodeURIComponent(hostId)}`),
  addSchedule: (body) => request('POST', '/api/v1/power/schedules', body),
  deleteSchedule: (id) => request('DELETE', `/api/v1/power/schedules/${encodeURIComponent(id)}`),
  idlePolicy: (hostId) => request('GET', hostPath(hostId, 'idle-policy')),
  saveIdlePolicy: (hostId, body) => request('PUT', hostPath(hostId, 'idle-policy'), body),
  decisions: (hostId) => request('GET', hostPath(hostId, 'power-decisions?limit=10')),
  energy: (query) => request('GET', `/api/v1/energy?${new URLSearchParams(query)}`),
  setNominal: (hostId, watts) => request('PUT', hostPath(hostId, 'energy'), { nominalWatts: watts }),
};

/** 1.234 → "1.23 kWh", 123.4 → "123 kWh"; below 0.1 kWh in Wh (0.014 → "14 Wh", not "0.01 kWh"). */
export function kwh(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  if (v === 0) return '0 kWh';
  if (v > 0 && v < 0.1) return `${Math.round(v * 1000)} Wh`;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} kWh`;
}

/** 1.5 → "1.50 EUR"; a cost that rounds to nothing but is not nothing is "< 0.01 EUR". */
export function money(v, currency) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '–';
  return v > 0 && v < 0.005 ? `< 0.01 ${currency}` : `${v.toFixed(2)} ${currency}`;
}

function showError(node, e) {
  node.hidden = !e;
  setText(node, e ? e.detail || String(e) : '');
}

export class PowerPolicyPanel {
  constructor(hostId, operator) {
    this.hostId = hostId;
    this.operator = operator;
    byId('schedule-form').hidden = !operator;
    for (const id of ['idle-enabled', 'idle-cpu', 'idle-minutes', 'idle-action', 'idle-mw', 'idle-from', 'idle-to', 'idle-save']) {
      byId(id).disabled = !operator;
    }
    byId('schedule-zone').value = zone();
    if (operator) this.wire();
  }

  wire() {
    byId('schedule-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.addSchedule();
    });
    byId('idle-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.saveIdle();
    });
  }

  async load() {
    await Promise.all([this.loadSchedules(), this.loadIdle(), this.loadDecisions()]);
  }

  async loadSchedules() {
    try {
      this.renderSchedules(await powerApi.schedules(this.hostId));
    } catch (e) {
      console.warn('servmon: power schedules not loaded:', e.detail || e);
    }
  }

  renderSchedules(list) {
    const ul = byId('schedule-list');
    ul.replaceChildren(...list.map((s) => {
      const what = `${ACTION_LABEL[s.action] || s.action} ${s.days.join(', ')} at ${s.time} (${s.timeZone})`;
      const scope = s.tag ? ` · tag ${s.tag}` : '';
      const next = s.enabled && s.nextRunAtMs ? `next ${fmt.absolute(s.nextRunAtMs)}` : 'disabled';
      const li = el('li', { 'data-testid': 'schedule-item' },
        el('span', { class: 'schedule-what', text: what + scope }),
        el('span', { class: 'muted small', text: ` · ${next}${s.lastOutcome ? ` · last: ${s.lastOutcome}` : ''}` }));
      if (this.operator) {
        const remove = el('button', { type: 'button', class: 'btn btn-small btn-quiet', text: 'Remove', 'aria-label': `Remove schedule: ${what}` });
        remove.addEventListener('click', () => this.removeSchedule(s.id));
        li.append(' ', remove);
      }
      return li;
    }));
    byId('schedule-empty').hidden = list.length > 0;
  }

  async addSchedule() {
    const days = [...byId('schedule-days').querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => c.value);
    const body = {
      hostId: this.hostId,
      action: byId('schedule-action').value,
      days,
      time: byId('schedule-time').value,
      timeZone: byId('schedule-zone').value.trim(),
    };
    try {
      await powerApi.addSchedule(body);
      showError(byId('schedule-error'), null);
      await this.loadSchedules();
    } catch (e) {
      showError(byId('schedule-error'), e);
    }
  }

  async removeSchedule(id) {
    try {
      await powerApi.deleteSchedule(id);
      await this.loadSchedules();
    } catch (e) {
      showError(byId('schedule-error'), e);
    }
  }

  async loadIdle() {
    try {
      const p = await powerApi.idlePolicy(this.hostId);
      byId('idle-enabled').checked = p.enabled;
      byId('idle-cpu').value = p.cpuBelowPercent;
      byId('idle-minutes').value = p.noUsersMinutes;
      byId('idle-action').value = p.action;
      byId('idle-mw').checked = p.useMaintenanceWindows;
      byId('idle-from').value = p.protectedFrom || '';
      byId('idle-to').value = p.protectedTo || '';
      this.idleZone = p.timeZone || zone();
      setText(byId('idle-state'), STATE_LABEL[p.state] || '');
    } catch (e) {
      console.warn('servmon: idle policy not loaded:', e.detail || e);
    }
  }

  async saveIdle() {
    const from = byId('idle-from').value;
    const to = byId('idle-to').value;
    const body = {
      enabled: byId('idle-enabled').checked,
      cpuBelowPercent: Number(byId('idle-cpu').value),
      noUsersMinutes: Number(byId('idle-minutes').value),
      action: byId('idle-action').value,
      useMaintenanceWindows: byId('idle-mw').checked,
      protectedFrom: from || null,
      protectedTo: to || null,
      timeZone: from || to ? this.idleZone || zone() : null,
    };
    try {
      await powerApi.saveIdlePolicy(this.hostId, body);
      showError(byId('idle-error'), null);
      await this.loadIdle();
    } catch (e) {
      showError(byId('idle-error'), e);
    }
  }

  async loadDecisions() {
    try {
      const list = await powerApi.decisions(this.hostId);
      byId('decision-list').replaceChildren(...list.map((d) => el('li', { 'data-testid': 'decision-item', 'data-outcome': d.outcome },
        el('span', { class: 'muted small', text: `${fmt.ago(d.atMs)} · ${d.source} · ` }),
        el('span', { text: `${ACTION_LABEL[d.action] || d.action} ${d.outcome}: ${d.reason}` }))));
      byId('decision-empty').hidden = list.length > 0;
    } catch (e) {
      console.warn('servmon: power decisions not loaded:', e.detail || e);
    }
  }
}

const DAY_SLOTS = 30;

/** The last `n` dates (YYYY-MM-DD in the browser's zone), oldest first. */
function lastDays(n) {
  const out = [];
  const day = new Date();
  day.setHours(12, 0, 0, 0); // noon: a change of clocks cannot move it to another date
  for (let i = 0; i < n; i++) {
    out.unshift(`${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`);
    day.setDate(day.getDate() - 1);
  }
  return out;
}

/** The last 30 days of one host. */
export class EnergyPanel {
  constructor(hostId, operator) {
    this.hostId = hostId;
    byId('nominal-form').hidden = !operator;
    if (operator) {
      byId('nominal-form').addEventListener('submit', (event) => {
        event.preventDefault();
        this.saveNominal();
      });
    }
  }

  async load() {
    try {
      const report = await powerApi.energy({ host: this.hostId, tz: zone() });
      this.render(report, report.hosts[0]);
    } catch (e) {
      setText(byId('energy-summary'), `Energy could not be loaded: ${e.detail || e}`);
    }
  }

  render(report, h) {
    if (!h) return;
    const c = report.currency;
    const source = h.averageWatts === null ? 'no power sensor and no nominal watts' : `average ${fmt.watts(h.averageWatts)} while ON`;
    setText(byId('energy-summary'), `${kwh(h.kwh)} · ${money(h.cost, c)} at ${report.pricePerKwh} ${c}/kWh · ${source}`
      + ` · saved by power policy: ${kwh(h.saved.kwh)} (${money(h.saved.cost, c)}, ${h.saved.hoursOff.toFixed(1)} h OFF)`);
    byId('nominal-watts').value = h.nominalWatts ?? '';
    const max = Math.max(0.001, ...h.days.map((d) => d.kwh));
    const byDate = new Map(h.days.map((d) => [d.date, d]));
    const bars = lastDays(DAY_SLOTS).map((date) => {
      const d = byDate.get(date);
      const label = d ? `${date}: ${kwh(d.kwh)} (${d.source}), ${d.hoursOn.toFixed(1)} h ON` : `${date}: no samples`;
      const bar = el('span', { class: 'energy-bar', 'data-source': d ? d.source : 'none', title: label });
      bar.style.height = d ? `${Math.max(2, Math.round((d.kwh / max) * 100))}%` : '0';
      return el('span', { class: 'energy-day', 'data-testid': d ? 'energy-day' : 'energy-day-empty' }, bar,
        el('span', { class: 'energy-date', text: date.slice(5) }));
    });
    byId('energy-bars').replaceChildren(...bars);
    byId('energy-empty').hidden = h.days.length > 0;
  }

  async saveNominal() {
    const raw = byId('nominal-watts').value.trim();
    try {
      await powerApi.setNominal(this.hostId, raw === '' ? null : Number(raw));
      showError(byId('nominal-error'), null);
      await this.load();
    } catch (e) {
      showError(byId('nominal-error'), e);
    }
  }
}

/** The overview's "Energy (30 d)" card: the fleet's kWh and cost. */
export async function loadEnergyCard() {
  try {
    const r = await powerApi.energy({ tz: zone() });
    setText(byId('count-energy'), kwh(r.totals.kwh));
    setText(byId('count-energy-cost'), money(r.totals.cost, r.currency));
  } catch (e) {
    console.warn('servmon: energy not loaded:', e.detail || e);
  }
}
