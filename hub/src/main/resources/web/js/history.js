// The history table: every raw report in the page's range, a page at a time
// (GET /api/v1/hosts/{id}/history), newest or oldest first, and its CSV download.

import { api } from './api.js';
import { el, byId, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { toCsv, fileName } from './csv.js';
import { splitName } from './chartspec.js';

const EXPORT_PAGE = 1000;
const MAX_EXPORT_ROWS = 200_000;

const LABELS = {
  cpu: 'CPU', load1: 'Load 1 min', load5: 'Load 5 min', load15: 'Load 15 min', mem_used: 'Memory used',
  mem_available: 'Memory available', swap_used: 'Swap used', fs_used: 'Disk used', disk_read: 'Disk read',
  disk_write: 'Disk write', net_rx: 'Received', net_tx: 'Sent', temp: 'Temp', power_watts: 'Power', users: 'Users',
};

/** A column header: "Memory used", "Temp coretemp/Package id 0". */
export function columnLabel(name) {
  const { metric, instance } = splitName(name);
  const base = LABELS[metric] || metric;
  return instance === null ? base : `${base} ${instance}`;
}

export class HistoryTable {
  /**
   * @param hostId the host
   * @param catalogue GET /api/v1/metrics, for units
   * @param hostName () => the host's current name, for the CSV file name
   */
  constructor(hostId, catalogue, hostName) {
    this.hostId = hostId;
    this.units = new Map((catalogue || []).map((m) => [m.name, m]));
    this.hostName = hostName;
    this.page = 0;
    this.size = 50;
    this.sort = 'desc';
    this.total = 0;
    this.range = null;
    this.rangeNow = null;
    this.loading = null;
    this.table = document.querySelector('[data-testid=history-table]');
    byId('history-first').addEventListener('click', () => this.go(0));
    byId('history-prev').addEventListener('click', () => this.go(this.page - 1));
    byId('history-next').addEventListener('click', () => this.go(this.page + 1));
    byId('history-last').addEventListener('click', () => this.go(this.pages() - 1));
    byId('history-size').addEventListener('change', (e) => {
      this.size = Number(e.target.value) || 50;
      this.go(0);
    });
    byId('history-csv').addEventListener('click', () => this.download());
  }

  unitOf(column) {
    return this.units.get(splitName(column).metric)?.unit || '';
  }

  pages() {
    return Math.max(1, Math.ceil(this.total / this.size));
  }

  /**
   * Shows the first page of a range; `rangeNow()` gives its current { fromMs, toMs }. A moving
   * range ("last 24 h") is re-read whenever page 1 is shown, so the newest reports appear;
   * other pages keep the bounds they were counted with, so rows do not shift between pages.
   */
  show(rangeNow) {
    this.rangeNow = rangeNow;
    return this.go(0);
  }

  go(page) {
    this.page = Math.min(Math.max(0, page), this.pages() - 1);
    if (this.page === 0 || !this.range) this.range = this.rangeNow();
    return this.load();
  }

  async load() {
    if (!this.range) return;
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    setAttr(this.table, 'aria-busy', 'true');
    try {
      const result = await api.history(this.hostId, {
        from: this.range.fromMs, to: this.range.toMs, page: this.page, size: this.size, sort: this.sort,
      }, { signal: controller.signal });
      this.total = result.total;
      this.render(result);
      byId('history-error').hidden = true;
    } catch (e) {
      if (e.name === 'AbortError') return;
      setText(byId('history-error-detail'), `History could not be loaded: ${e.detail || e}`);
      byId('history-error').hidden = false;
    } finally {
      if (this.loading === controller) {
        this.loading = null;
        setAttr(this.table, 'aria-busy', 'false');
      }
    }
  }

  render(result) {
    const columns = result.columns || [];
    const sortButton = el('button', {
      type: 'button', class: 'sort-button', 'data-testid': 'history-sort',
      text: `Time ${this.sort === 'desc' ? '↓' : '↑'}`,
      'aria-label': `Time, ${this.sort === 'desc' ? 'newest' : 'oldest'} first; sort ${this.sort === 'desc' ? 'oldest' : 'newest'} first`,
    });
    sortButton.addEventListener('click', () => {
      this.sort = this.sort === 'desc' ? 'asc' : 'desc';
      this.go(0).then(() => document.querySelector('[data-testid=history-sort]')?.focus());
    });
    byId('history-head').replaceChildren(el('tr', {},
      el('th', { scope: 'col', 'aria-sort': this.sort === 'desc' ? 'descending' : 'ascending' }, sortButton),
      ...columns.map((c) => el('th', {
        scope: 'col', class: 'num', text: columnLabel(c), title: [c, this.units.get(splitName(c).metric)?.description].filter(Boolean).join(': '),
      }))));
    const now = Date.now();
    byId('history-body').replaceChildren(...result.rows.map((r) => el('tr', { 'data-testid': 'history-row' },
      el('th', { scope: 'row', class: 'time' }, el('time', { datetime: fmt.iso(r.atMs), title: fmt.absolute(r.atMs), text: fmt.when(r.atMs, now) })),
      ...columns.map((c) => el('td', { class: 'num', text: fmt.metric(r.values[c], this.unitOf(c)) })))));
    byId('history-empty').hidden = result.rows.length > 0;
    this.table.hidden = result.rows.length === 0;
    setText(byId('history-total'), `(${result.total.toLocaleString()} reports)`);
    setText(byId('history-page'), result.total ? `Page ${this.page + 1} of ${this.pages().toLocaleString()}` : '');
    const first = this.page === 0;
    const last = this.page >= this.pages() - 1;
    byId('history-first').disabled = first;
    byId('history-prev').disabled = first;
    byId('history-next').disabled = last;
    byId('history-last').disabled = last;
    setText(byId('history-prev'), this.sort === 'desc' ? '‹ Newer' : '‹ Older');
    setText(byId('history-next'), this.sort === 'desc' ? 'Older ›' : 'Newer ›');
    byId('history-csv').disabled = result.total === 0;
  }

  /** Every report of the range as a CSV file, fetched 1,000 at a time, oldest first. */
  async download() {
    const button = byId('history-csv');
    const status = byId('csv-status');
    if (!this.range || button.disabled) return;
    const { fromMs, toMs } = this.range;
    button.disabled = true;
    try {
      const pages = [];
      let fetched = 0;
      let total = Infinity;
      for (let page = 0; fetched < total; page++) {
        const result = await api.history(this.hostId, { from: fromMs, to: toMs, page, size: EXPORT_PAGE, sort: 'asc' });
        total = result.total;
        if (total > MAX_EXPORT_ROWS) {
          throw new Error(`${total.toLocaleString()} reports are more than ${MAX_EXPORT_ROWS.toLocaleString()}; pick a shorter range`);
        }
        if (result.rows.length === 0) break;
        pages.push(result);
        fetched += result.rows.length;
        setText(status, `Preparing CSV… ${fetched.toLocaleString()} of ${total.toLocaleString()} reports`);
      }
      const blob = new Blob([toCsv(pages, (c) => this.unitOf(c))], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: fileName(this.hostName(), fromMs, toMs), hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setText(status, `CSV with ${fetched.toLocaleString()} reports downloaded.`);
    } catch (e) {
      setText(status, `CSV failed: ${e.detail || e.message || e}`);
    } finally {
      button.disabled = this.total === 0;
    }
  }
}
