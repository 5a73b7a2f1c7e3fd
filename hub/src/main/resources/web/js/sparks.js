// The "last 30 reports" strip (seed 001's history page): one small line per headline figure,
// filled from the history API once and then from the live stream, report by report.

import { el, svg, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { stats } from './chartscales.js';

export const POINTS = 30;

/** Headline figures: their series name in the history API and their field in a live `latest`. */
const FIGURES = [
  { name: 'cpu', label: 'CPU', unit: 'percent', live: 'cpuPercent', max: 100 },
  { name: 'mem_used', label: 'Memory', unit: 'bytes', live: 'memUsedBytes' },
  { name: 'load1', label: 'Load', unit: 'load', live: 'load1' },
  { name: 'net_rx', label: 'Received', unit: 'bytes_per_second', live: 'netRxBytesPerSec' },
  { name: 'net_tx', label: 'Sent', unit: 'bytes_per_second', live: 'netTxBytesPerSec' },
  { name: 'fs_used', label: 'Disk used', unit: 'bytes', live: 'diskUsedBytes' },
  { name: 'power_watts', label: 'Power', unit: 'watts', live: 'powerWatts' },
  { name: 'users', label: 'Users', unit: 'count', live: 'usersLoggedIn' },
];

/** The history API columns the strip needs. */
export const SPARK_NAMES = FIGURES.map((f) => f.name);

/** Polyline points in a 100 × 30 box; null values break nothing, they are skipped. */
export function linePoints(values, fixedMax) {
  const st = stats(values);
  if (!st) return '';
  const lo = fixedMax ? 0 : Math.min(0, st.min);
  const hi = fixedMax || (st.max > lo ? st.max : lo + 1);
  const n = values.length;
  const pts = [];
  values.forEach((v, i) => {
    if (typeof v !== 'number') return;
    const x = n === 1 ? 100 : (i / (n - 1)) * 100;
    const y = 29 - ((v - lo) / (hi - lo)) * 28;
    pts.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  return pts.join(' ');
}

export class Sparks {
  constructor(container) {
    this.container = container;
    this.points = []; // [{ atMs, values: { name: number|null } }], oldest first
    this.items = new Map();
  }

  /** Rows of the history API (any order). */
  load(rows) {
    this.points = rows.map((r) => ({ atMs: r.atMs, values: r.values })).sort((a, b) => a.atMs - b.atMs).slice(-POINTS);
    this.draw();
  }

  /** A live host event's `latest` figures. */
  push(latest) {
    if (!latest || typeof latest.atMs !== 'number') return;
    const last = this.points[this.points.length - 1];
    if (last && last.atMs >= latest.atMs) return;
    const values = {};
    for (const f of FIGURES) values[f.name] = typeof latest[f.live] === 'number' ? latest[f.live] : null;
    this.points.push({ atMs: latest.atMs, values });
    if (this.points.length > POINTS) this.points.splice(0, this.points.length - POINTS);
    this.draw();
  }

  draw() {
    for (const f of FIGURES) {
      const values = this.points.map((p) => (typeof p.values[f.name] === 'number' ? p.values[f.name] : null));
      const st = stats(values);
      let item = this.items.get(f.name);
      if (!st) {
        // A figure the host never reports (no power sensor) gets no box at all.
        if (item) item.root.hidden = true;
        continue;
      }
      if (!item) item = this.create(f);
      item.root.hidden = false;
      setText(item.value, fmt.metric(st.latest, f.unit));
      item.line.setAttribute('points', linePoints(values, f.max));
      const text = `${f.label}, last ${values.length} reports: latest ${fmt.metric(st.latest, f.unit)}, `
        + `lowest ${fmt.metric(st.min, f.unit)}, highest ${fmt.metric(st.max, f.unit)}`;
      setAttr(item.root, 'aria-label', text);
      setAttr(item.root, 'title', text);
    }
  }

  create(f) {
    const value = el('span', { class: 'spark-value' });
    const line = svg('polyline', { class: 'spark-line', points: '' });
    const root = el('div', { class: 'spark', role: 'img', 'data-testid': 'spark', 'data-name': f.name },
      el('span', { class: 'spark-label', text: f.label, 'aria-hidden': 'true' }),
      value,
      svg('svg', { viewBox: '0 0 100 30', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' }, line));
    value.setAttribute('aria-hidden', 'true');
    const item = { root, value, line };
    this.items.set(f.name, item);
    // Keep the strip in FIGURES order whatever order the figures first appear in.
    const order = FIGURES.map((x) => x.name);
    const before = [...this.container.children].find((c) => order.indexOf(c.dataset.name) > order.indexOf(f.name));
    this.container.insertBefore(root, before || null);
    return item;
  }
}
