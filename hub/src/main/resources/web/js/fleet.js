// What the overview's views share: the figures derived from a host for sorting and comparing,
// the filter ("web", "tag:db", "status:off") and the sort order. Pure functions, no DOM.

import * as fmt from './format.js';

const STATUSES = ['ON', 'OFF', 'EMPTY'];

export function statusOf(host) {
  return STATUSES.includes(host.status) ? host.status : 'EMPTY';
}

export function tagsOf(host) {
  return Array.isArray(host.tags) ? host.tags.filter((t) => typeof t === 'string') : [];
}

/**
 * The columns of the table and the measures of the comparison chart: a label, how to read the
 * value from a host (null when unknown), how to show it, and the unit for the bar scale.
 */
export const MEASURES = {
  cpu: { label: 'CPU', value: (h) => h.latest?.cpuPercent ?? null, show: fmt.percent, max: 100 },
  memory: { label: 'Memory', value: (h) => fmt.share(h.latest?.memUsedBytes, h.latest?.memTotalBytes), show: fmt.percent, max: 100 },
  disk: { label: 'Disk', value: (h) => fmt.share(h.latest?.diskUsedBytes, h.latest?.diskTotalBytes), show: fmt.percent, max: 100 },
  load: { label: 'Load', value: (h) => h.latest?.load1 ?? null, show: fmt.load },
  rx: { label: 'Net ↓', value: (h) => h.latest?.netRxBytesPerSec ?? null, show: fmt.rate },
  tx: { label: 'Net ↑', value: (h) => h.latest?.netTxBytesPerSec ?? null, show: fmt.rate },
  power: { label: 'Power', value: (h) => h.latest?.powerWatts ?? null, show: fmt.watts },
  users: { label: 'Users', value: (h) => h.latest?.usersLoggedIn ?? null, show: fmt.count },
  uptime: { label: 'Uptime', value: (h) => h.latest?.uptimeSeconds ?? null, show: fmt.duration },
};

/** A host's figures only mean something while it is ON; OFF and EMPTY hosts show dashes. */
export function measure(host, key) {
  if (statusOf(host) !== 'ON') return null;
  const v = MEASURES[key].value(host);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * Parses the filter box: words match the name or a tag (all words must match), `tag:x` needs
 * tag x, `status:on|off|empty` (or `is:on`) the status. Case-insensitive.
 * @returns {{words: string[], tags: string[], statuses: string[]}}
 */
export function parseFilter(text) {
  const filter = { words: [], tags: [], statuses: [] };
  for (const raw of String(text || '').trim().toLowerCase().split(/\s+/)) {
    if (!raw) continue;
    const colon = raw.indexOf(':');
    const key = colon > 0 ? raw.slice(0, colon) : '';
    const value = colon > 0 ? raw.slice(colon + 1) : raw;
    if (key === 'tag' && value) filter.tags.push(value);
    else if ((key === 'status' || key === 'is') && STATUSES.includes(value.toUpperCase())) filter.statuses.push(value.toUpperCase());
    else filter.words.push(raw);
  }
  return filter;
}

/** Whether a host passes the parsed filter and the status choice ('' for all). */
export function matches(host, filter, status = '') {
  const hostStatus = statusOf(host);
  if (status && hostStatus !== status) return false;
  if (filter.statuses.length && !filter.statuses.includes(hostStatus)) return false;
  const tags = tagsOf(host).map((t) => t.toLowerCase());
  for (const tag of filter.tags) {
    if (!tags.includes(tag)) return false;
  }
  const name = String(host.name || '').toLowerCase();
  for (const word of filter.words) {
    if (!name.includes(word) && !tags.some((t) => t.includes(word))) return false;
  }
  return true;
}

/** True when the filter lets every host through. */
export function isEmptyFilter(filter, status = '') {
  return !status && !filter.words.length && !filter.tags.length && !filter.statuses.length;
}

const STATUS_ORDER = { OFF: 0, ON: 1, EMPTY: 2 };

/**
 * Sorts hosts by a column ('name', 'status', 'seen' or a MEASURES key) in a direction (1
 * ascending, -1 descending). The hosts come in name order (the model keeps them so): ties keep
 * it, so the order is complete without comparing names again, and the name column itself needs
 * no sort at all. Unknown values sort last in both directions. Each value is read once, not
 * once per comparison: 1,000 hosts sort in well under a millisecond.
 */
export function sortInNameOrder(hosts, key, direction) {
  if (key === 'name') return direction > 0 ? hosts : [...hosts].reverse();
  const value = key === 'status' ? (h) => STATUS_ORDER[statusOf(h)]
    : key === 'seen' ? (h) => (typeof h.lastSeenAtMs === 'number' ? h.lastSeenAtMs : null)
      : (h) => measure(h, key);
  const keyed = hosts.map((host, i) => ({ host, v: value(host), i }));
  keyed.sort((a, b) => {
    if (a.v === b.v) return a.i - b.i;
    if (a.v === null) return 1;
    if (b.v === null) return -1;
    return direction * (a.v - b.v);
  });
  return keyed.map((k) => k.host);
}

/**
 * The figures the count cards show: hosts per status, total power of the ON hosts that report
 * it (and how many do), users logged in on ON hosts.
 */
export function totals(hosts) {
  const t = { ON: 0, OFF: 0, EMPTY: 0, total: 0, watts: 0, wattHosts: 0, users: 0 };
  for (const host of hosts) {
    t.total++;
    t[statusOf(host)]++;
    const w = measure(host, 'power');
    if (w !== null) {
      t.watts += w;
      t.wattHosts++;
    }
    t.users += measure(host, 'users') ?? 0;
  }
  return t;
}

/**
 * The host groups: every tag with how many hosts carry it and how many of those are OFF, most
 * hosts first (then by name). Tags that differ only in case are one group, shown as first seen.
 * @returns {{tag: string, total: number, off: number}[]}
 */
export function groups(hosts) {
  const byKey = new Map();
  for (const host of hosts) {
    const off = statusOf(host) === 'OFF';
    for (const tag of tagsOf(host)) {
      const key = tag.toLowerCase();
      let g = byKey.get(key);
      if (!g) {
        g = { tag, total: 0, off: 0 };
        byKey.set(key, g);
      }
      g.total++;
      if (off) g.off++;
    }
  }
  return [...byKey.values()].sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag));
}

/** The filter text with `tag:x` added, or removed when it is there (the group buttons). */
export function toggleTag(text, tag) {
  const token = `tag:${tag.toLowerCase()}`;
  const words = String(text || '').trim().split(/\s+/).filter(Boolean);
  const kept = words.filter((w) => w.toLowerCase() !== token);
  return (kept.length === words.length ? [...kept, token] : kept).join(' ');
}
