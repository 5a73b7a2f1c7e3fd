// Numbers with units and times for people. Pure functions: no DOM, easy to reason about.
// Sizes are binary (GiB, what `free -h` and file managers show); rates are decimal bytes
// per second (kB/s, MB/s), the unit every card uses for network so they compare at a glance.

const DASH = '–';

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** 12.3 below 100, 123 from 100 up: three significant figures at most; a steady width
 * ("3.0 MB/s", not "3 MB/s") so live figures do not jump about. */
function short(v) {
  return Math.abs(v) < 100 ? v.toFixed(1) : String(Math.round(v));
}

function trim(s) {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function binaryExponent(bytes) {
  let e = 0;
  let v = Math.abs(bytes);
  while (v >= 1024 && e < BINARY.length - 1) {
    v /= 1024;
    e++;
  }
  return e;
}

/** 3221225472 → "3 GiB", 1610612736 → "1.5 GiB". */
export function bytes(n) {
  if (!isNum(n)) return DASH;
  const e = binaryExponent(n);
  return `${e === 0 ? Math.round(n) : short(n / 1024 ** e)} ${BINARY[e]}`;
}

/** "3.1 / 8.0 GiB": both in the unit of the total, same precision, so they line up. */
export function bytePair(used, total) {
  if (!isNum(used) || !isNum(total)) return DASH;
  const e = binaryExponent(total);
  const scale = 1024 ** e;
  const scaled = total / scale;
  // "0.82 / 1.10 TiB" rather than "0.8 / 1.1 TiB": below 2 units one decimal is too coarse.
  const digits = e === 0 || scaled >= 100 ? 0 : scaled < 2 ? 2 : 1;
  return `${(used / scale).toFixed(digits)} / ${(total / scale).toFixed(digits)} ${BINARY[e]}`;
}

const DECIMAL_RATE = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];

/** 12345 → "12.3 kB/s". */
export function rate(bytesPerSec) {
  if (!isNum(bytesPerSec)) return DASH;
  let v = Math.max(0, bytesPerSec);
  let e = 0;
  while (v >= 1000 && e < DECIMAL_RATE.length - 1) {
    v /= 1000;
    e++;
  }
  return `${e === 0 ? Math.round(v) : short(v)} ${DECIMAL_RATE[e]}`;
}

/** 34.2 → "34 %", 4.25 → "4.3 %". */
export function percent(p) {
  if (!isNum(p)) return DASH;
  return `${p < 10 && p > 0 ? trim(p.toFixed(1)) : Math.round(p)} %`;
}

/** Share 0..100 of used in total, clamped, or null when unknown. */
export function share(used, total) {
  if (!isNum(used) || !isNum(total) || total <= 0) return null;
  return Math.min(100, Math.max(0, (used / total) * 100));
}

export function load(v) {
  return isNum(v) ? v.toFixed(2) : DASH;
}

export function watts(v) {
  return isNum(v) ? `${short(v)} W` : DASH;
}

export function count(v) {
  return isNum(v) ? String(v) : DASH;
}

/** 93784 → "1 d 2 h", 3720 → "1 h 2 min", 75 → "1 min". */
export function duration(seconds) {
  if (!isNum(seconds) || seconds < 0) return DASH;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago"; "just now" within a second. */
export function ago(atMs, nowMs = Date.now()) {
  if (!isNum(atMs)) return DASH;
  const s = Math.max(0, Math.floor((nowMs - atMs) / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

const ABSOLUTE = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** The moment in the viewer's own time zone, e.g. "14 Mar 2025, 09:12:44 CET". */
export function absolute(atMs) {
  return isNum(atMs) ? ABSOLUTE.format(new Date(atMs)) : '';
}

/** ISO text for a <time datetime>. */
export function iso(atMs) {
  return isNum(atMs) ? new Date(atMs).toISOString() : '';
}

/** 2.5 → "2.5", 3 → "3": counts averaged over a bucket can be fractional. */
function countText(v) {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** 1234 → "1.2 k/s", 12 → "12 /s". */
function perSecond(v) {
  if (Math.abs(v) >= 1e6) return `${short(v / 1e6)} M/s`;
  if (Math.abs(v) >= 1e3) return `${short(v / 1e3)} k/s`;
  return `${Math.round(v)} /s`;
}

const BY_UNIT = {
  percent: (v) => `${Math.abs(v) >= 99.95 ? Math.round(v) : v.toFixed(1)} %`,
  bytes,
  bytes_per_second: rate,
  load: (v) => v.toFixed(2),
  celsius: (v) => `${v.toFixed(1)} °C`,
  watts: (v) => `${short(v)} W`,
  rpm: (v) => `${Math.round(v)} rpm`,
  count: countText,
  per_second: perSecond,
  ms: (v) => `${Math.abs(v) < 10 ? v.toFixed(1) : Math.round(v)} ms`,
};

/**
 * A value of a metric in its catalogue unit (GET /api/v1/metrics): "12.5 %", "3.1 GiB",
 * "12.3 kB/s", "0.42", "45.0 °C", "45 W", "1200 rpm", "2", "1.2 k/s".
 */
export function metric(value, unit) {
  if (!isNum(value)) return DASH;
  const f = BY_UNIT[unit];
  return f ? f(value) : String(Math.round(value * 100) / 100);
}

/** Axis tick labels: shorter than {@link metric} where the unit allows ("50 %", "2 GiB"). */
export function tick(value, unit) {
  if (!isNum(value)) return '';
  if (unit === 'percent') return `${Math.round(value)} %`;
  if (unit === 'load') return trim(value.toFixed(Math.abs(value) < 10 ? 1 : 0));
  if (unit === 'celsius') return `${Math.round(value)} °C`;
  // "75 W", "2 k/s", "4 MB/s": a whole tick needs no ".0" (the live figures keep theirs, see short()).
  return metric(value, unit).replace('.0 ', ' ');
}

const SHORT_TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DAY_TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
const YEAR_TIME = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * A table cell's time in the viewer's zone: "09:12:44" today, "14 Mar, 09:12:44" on other days
 * of this year, "14 Mar 2025, 09:12" in other years (the cell's title can carry {@link absolute}).
 */
export function when(atMs, nowMs = Date.now()) {
  if (!isNum(atMs)) return DASH;
  const d = new Date(atMs);
  const now = new Date(nowMs);
  if (now.toDateString() === d.toDateString()) return SHORT_TIME.format(d);
  return now.getFullYear() === d.getFullYear() ? DAY_TIME.format(d) : YEAR_TIME.format(d);
}

// CSI (colours, cursor moves: ESC [ … final byte), OSC (titles, hyperlinks: ESC ] … BEL or ESC \),
// other two-byte escapes, then the remaining C0 controls but tab.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]?|[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** A line of program output as plain text: terminal escapes and control characters removed
 * (an OSC 8 hyperlink's target goes with them), everything else kept as the program wrote it. */
export function terminalText(line) {
  return String(line).replace(ANSI, '');
}
