// What the host page's charts compute from their data, apart from drawing: min / max / latest,
// the y range of each kind of chart, time and byte axis ticks, dots for isolated points, and
// where the cursor snaps in a gap. Pure functions of the data (and of a uPlot for positions).

let measureCtx = null;

export function isNum(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

/** min, max and latest of a series' non-null points; null when it has none. */
export function stats(values) {
  let min = Infinity;
  let max = -Infinity;
  let latest = null;
  for (const v of values) {
    if (!isNum(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    latest = v;
  }
  return latest === null ? null : { min, max, latest };
}

export function yRange(kind) {
  if (kind === 'percent') return () => [0, 100];
  if (kind === 'zero') return (u, min, max) => [0, isNum(max) && max > 0 ? max * 1.08 : 1];
  return (u, min, max) => {
    if (!isNum(min) || !isNum(max)) return [0, 1];
    const pad = Math.max(1, (max - min) * 0.1);
    return [Math.floor(min - pad), Math.ceil(max + pad)];
  };
}

const HOUR_MINUTE = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const HOUR_MINUTE_SECOND = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const MONTH_YEAR = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric' });

/**
 * Time axis labels in the viewer's zone and locale ("18:30", or "6:30 PM"), with the date
 * under the first label and wherever the day changes; dates alone when ticks are days apart.
 */
export function timeTicks(splits, incrMs) {
  if (incrMs >= 28 * 86_400_000) return splits.map((v) => MONTH_YEAR.format(new Date(v)));
  if (incrMs >= 86_400_000) return splits.map((v) => DAY_MONTH.format(new Date(v)));
  const clock = incrMs < 60_000 ? HOUR_MINUTE_SECOND : HOUR_MINUTE;
  let previousDay = null;
  return splits.map((v) => {
    const d = new Date(v);
    const day = d.toDateString();
    const label = previousDay !== day ? `${clock.format(d)}\n${DAY_MONTH.format(d)}` : clock.format(d);
    previousDay = day;
    return label;
  });
}

/** Indexes of points with no neighbour: a line cannot show them, so they are drawn as dots. */
export function isolated(values) {
  const out = [];
  for (let i = 0; i < values.length; i++) {
    if (isNum(values[i]) && !isNum(values[i - 1]) && !isNum(values[i + 1])) out.push(i);
  }
  return out.length ? out : null;
}

/** Pixels within which the cursor snaps to the nearest report when it hovers over a gap. */
const SNAP_PX = 24;

/** The nearest index with any value, within SNAP_PX of the pointer; else the pointer's own. */
export function snapIndex(u, closest) {
  // uPlot asks once per series; the answer is the same for all of them.
  const memo = snapMemo.get(u);
  if (memo && memo.closest === closest && memo.data === u.data) return memo.idx;
  const idx = findSnap(u, closest);
  snapMemo.set(u, { closest, data: u.data, idx });
  return idx;
}

const snapMemo = new WeakMap();

function findSnap(u, closest) {
  const has = (i) => u.data.some((ys, si) => si > 0 && isNum(ys[i]));
  if (closest === null || closest === undefined || has(closest)) return closest;
  const xs = u.data[0];
  const x0 = u.valToPos(xs[closest], 'x');
  for (let d = 1; d < xs.length; d++) {
    const left = closest - d;
    const right = closest + d;
    const leftOk = left >= 0 && Math.abs(u.valToPos(xs[left], 'x') - x0) <= SNAP_PX;
    const rightOk = right < xs.length && Math.abs(u.valToPos(xs[right], 'x') - x0) <= SNAP_PX;
    if (!leftOk && !rightOk) break;
    if (leftOk && has(left)) return left;
    if (rightOk && has(right)) return right;
  }
  return closest;
}

/** Tick steps for byte axes: 1, 2, 4 … 512 × 1024^k, so labels read "2 GiB", "512 MiB". */
export const BINARY_INCRS = [];
for (let k = 0; k <= 5; k++) {
  for (const m of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) BINARY_INCRS.push(m * 1024 ** k);
}

/** Tick steps for counts (users, processes): whole numbers only, never "0.5 users". */
export const COUNT_INCRS = [];
for (let k = 0; k <= 6; k++) {
  for (const m of [1, 2, 5]) COUNT_INCRS.push(m * 10 ** k);
}

export function axisSize(font) {
  return (u, values) => {
    if (!values || values.length === 0) return 40;
    measureCtx = measureCtx || document.createElement('canvas').getContext('2d');
    measureCtx.font = font;
    let widest = 0;
    for (const v of values) widest = Math.max(widest, measureCtx.measureText(v).width);
    return Math.ceil(widest) + 18;
  };
}
