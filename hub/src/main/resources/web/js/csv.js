// CSV of raw samples (history API pages), for spreadsheets: one row per report, time in UTC,
// values as stored (no units in the cells, the unit in each header). Pure.

/** Quotes a text cell when needed; a cell a spreadsheet would run as a formula is defused. */
export function textCell(text) {
  let s = String(text);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function numberCell(v) {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** Columns of all pages, in first-seen order (`metric:*` columns expand per page). */
export function unionColumns(pages) {
  const seen = new Set();
  const out = [];
  for (const page of pages) {
    for (const c of page.columns || []) {
      if (!seen.has(c)) {
        seen.add(c);
        out.push(c);
      }
    }
  }
  return out;
}

/**
 * The CSV text: header `time_utc,at_ms,seq,<column> (<unit>)…`, then rows oldest first.
 * `unitOf(column)` names a column's unit ('' for none).
 */
export function toCsv(pages, unitOf) {
  const columns = unionColumns(pages);
  const rows = pages.flatMap((p) => p.rows || []).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq);
  const lines = [['time_utc', 'at_ms', 'seq', ...columns.map((c) => (unitOf(c) ? `${c} (${unitOf(c)})` : c))].map(textCell).join(',')];
  for (const r of rows) {
    const cells = [new Date(r.atMs).toISOString(), String(r.atMs), String(r.seq)];
    for (const c of columns) cells.push(numberCell(r.values ? r.values[c] : null));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** A file name without characters file systems dislike: servmon-web-1-20250314-0912.csv. */
export function fileName(hostName, fromMs, toMs) {
  const stamp = (ms) => new Date(ms).toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  const safe = String(hostName).replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 60) || 'host';
  return `servmon-${safe}-${stamp(fromMs)}-${stamp(toMs)}.csv`;
}
