// Time ranges of the host page: the presets, the custom range, and how both live in the URL
// (?id=3&range=24h or ?id=3&from=<ms>&to=<ms>) so that a link shows the same view. Pure.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The preset buttons, shortest first. */
export const PRESETS = [
  { key: '1h', label: '1 h', ms: HOUR, title: 'last hour' },
  { key: '6h', label: '6 h', ms: 6 * HOUR, title: 'last 6 hours' },
  { key: '24h', label: '24 h', ms: DAY, title: 'last 24 hours' },
  { key: '7d', label: '7 d', ms: 7 * DAY, title: 'last 7 days' },
  { key: '30d', label: '30 d', ms: 30 * DAY, title: 'last 30 days' },
  { key: '1y', label: '1 y', ms: 365 * DAY, title: 'last year' },
];

export const DEFAULT_PRESET = '1h';

/** A preset range ("the last 24 h", moving with time) or a fixed one. */
export function preset(key) {
  const p = PRESETS.find((x) => x.key === key);
  return p ? { kind: 'preset', key: p.key } : null;
}

export function fixed(fromMs, toMs) {
  return { kind: 'fixed', fromMs: Math.round(fromMs), toMs: Math.round(toMs) };
}

/** The range's bounds now (a preset ends now). */
export function bounds(range, nowMs = Date.now()) {
  if (range.kind === 'fixed') return { fromMs: range.fromMs, toMs: range.toMs };
  const p = PRESETS.find((x) => x.key === range.key);
  return { fromMs: nowMs - p.ms, toMs: nowMs };
}

/** The range a URL's query asks for; the default preset when it asks for none or for nonsense. */
export function fromQuery(search) {
  const q = new URLSearchParams(search);
  const from = Number(q.get('from'));
  const to = Number(q.get('to'));
  if (q.has('from') && q.has('to') && Number.isFinite(from) && Number.isFinite(to) && from > 0 && to > from) {
    return fixed(from, to);
  }
  return preset(q.get('range')) || preset(DEFAULT_PRESET);
}

/** The query string for a host and range, e.g. "?id=3&range=24h". */
export function toQuery(hostId, range) {
  const q = new URLSearchParams({ id: String(hostId) });
  if (range.kind === 'fixed') {
    q.set('from', String(range.fromMs));
    q.set('to', String(range.toMs));
  } else {
    q.set('range', range.key);
  }
  return `?${q}`;
}

export function same(a, b) {
  return a.kind === b.kind && (a.kind === 'preset' ? a.key === b.key : a.fromMs === b.fromMs && a.toMs === b.toMs);
}

/** Value of an <input type="datetime-local"> for a moment, in the viewer's zone. */
export function toLocalInput(ms) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The moment an <input type="datetime-local"> value names in the viewer's zone, or NaN. */
export function fromLocalInput(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value || '')) return NaN;
  return new Date(value).getTime();
}

/** Words for a range: "last 24 hours" or "14 Mar, 09:00 – 15 Mar, 09:00". */
export function describe(range, formatTime) {
  if (range.kind === 'preset') return PRESETS.find((x) => x.key === range.key).title;
  return `${formatTime(range.fromMs)} – ${formatTime(range.toMs)}`;
}

/**
 * How often a moving range is worth refetching: about every 1/120 of its length, at least
 * every 10 s and at most every 10 min (a 1-hour chart moves visibly, a 1-year one does not).
 */
export function refreshMs(range) {
  if (range.kind !== 'preset') return Infinity;
  const p = PRESETS.find((x) => x.key === range.key);
  return Math.min(10 * 60_000, Math.max(10_000, p.ms / 120));
}

const RESOLUTIONS = {
  raw: 'every report',
  '1m': '1-minute averages',
  '15m': '15-minute averages',
  '1h': '1-hour averages',
};

/** The API's resolution in words: "raw" → "every report". */
export function resolutionText(resolution) {
  return RESOLUTIONS[resolution] || resolution || '';
}
