// The overview's compact table: one row per host, sortable by any column (click or Enter on a
// header), rows updated in place and moved only when the order changes.

import { el, setText, setAttr } from './dom.js';
import { hostPageUrl, showTags } from './cards.js';
import { MEASURES, measure, sortInNameOrder, statusOf, tagsOf } from './fleet.js';
import * as fmt from './format.js';
import { KeyedList } from './keyed.js';
import { UNLIMITED, drawStale, watchNearness } from './slices.js';

const COLUMNS = [
  { key: 'name', label: 'Host' },
  { key: 'status', label: 'Status' },
  ...['cpu', 'memory', 'disk', 'load', 'rx', 'tx', 'power', 'users', 'uptime'].map((key) => ({ key, label: MEASURES[key].label, numeric: true })),
  { key: 'seen', label: 'Last seen', numeric: true },
];

class Row {
  constructor(host) {
    this.link = el('a', { href: hostPageUrl(host.id), 'data-testid': 'row-link' });
    this.tags = el('span', { class: 'tags', hidden: true });
    this.badge = el('span', { class: 'badge', 'data-testid': 'row-status' });
    this.cells = {};
    const cells = [el('th', { scope: 'row', role: 'rowheader', class: 'cell-name' }, this.link, this.tags), el('td', { role: 'cell' }, this.badge)];
    for (const column of COLUMNS.slice(2)) {
      const td = el('td', { class: 'num', role: 'cell', 'data-col': column.key });
      this.cells[column.key] = td;
      cells.push(td);
    }
    this.seen = this.cells.seen;
    this.root = el('tr', { role: 'row', 'data-testid': 'host-row', 'data-host-id': host.id }, ...cells);
    watchNearness(this, this.root);
  }

  update(host) {
    const status = statusOf(host);
    setText(this.link, host.name);
    setAttr(this.root, 'data-status', status);
    setAttr(this.root, 'data-host-name', host.name);
    setText(this.badge, status);
    setAttr(this.badge, 'data-status', status);
    showTags(this.tags, tagsOf(host));
    for (const key of Object.keys(MEASURES)) {
      setText(this.cells[key], MEASURES[key].show(measure(host, key)));
    }
    this.seenAt = host.lastSeenAtMs ?? null;
    setAttr(this.seen, 'title', fmt.absolute(this.seenAt));
  }

  tick(nowMs) {
    setText(this.seen, this.seenAt === null ? '–' : fmt.ago(this.seenAt, nowMs));
  }
}

export class HostTable {
  /** @param container where the table goes */
  constructor(container) {
    this.sortKey = 'name';
    this.direction = 1;
    this.rows = new Map();
    this.generation = 0;
    this.headers = new Map();
    const headRow = el('tr', { role: 'row' });
    for (const column of COLUMNS) {
      const button = el('button', { type: 'button', class: 'sort', 'data-testid': `sort-${column.key}`, text: column.label });
      button.addEventListener('click', () => this.sortBy(column.key));
      const th = el('th', { scope: 'col', role: 'columnheader', class: column.numeric ? 'num' : '' }, button);
      this.headers.set(column.key, th);
      headRow.append(th);
    }
    // Rows are laid out as grids (see app.css) so the browser can skip the ones off screen;
    // the roles keep it a table for screen readers.
    this.body = el('tbody', { role: 'rowgroup' });
    this.table = el('table', { class: 'host-table', role: 'table', 'aria-label': 'Hosts; column headers sort the table', 'data-testid': 'host-table' },
      el('thead', { role: 'rowgroup' }, headRow), this.body);
    container.append(this.table);
    this.list = new KeyedList(this.body);
    this.showSort();
  }

  /** Sorts by a column; the same column again flips the direction. Numbers start high. */
  sortBy(key) {
    if (this.sortKey === key) this.direction = -this.direction;
    else {
      this.sortKey = key;
      this.direction = key === 'name' || key === 'status' ? 1 : -1;
    }
    this.showSort();
    this.onSort?.();
  }

  showSort() {
    for (const [key, th] of this.headers) {
      setAttr(th, 'aria-sort', key === this.sortKey ? (this.direction > 0 ? 'ascending' : 'descending') : null);
    }
  }

  /**
   * Shows these hosts (already filtered, in name order), sorted by the current column; builds
   * at most `build` new rows and redraws changed rows while `time` lasts (see Board.sync).
   * @returns true when every host has its row and every row shows its host
   */
  sync(hosts, { build = Infinity, time = UNLIMITED } = {}) {
    const generation = ++this.generation;
    const placed = [];
    const stale = [];
    let complete = true;
    const now = Date.now();
    for (const host of sortInNameOrder(hosts, this.sortKey, this.direction)) {
      let row = this.rows.get(host.id);
      if (!row) {
        if (build <= 0) {
          complete = false;
          continue;
        }
        build--;
        row = new Row(host);
        this.rows.set(host.id, row);
        this.draw(row, host, now);
      } else if (row.host !== host) {
        stale.push([row, host]);
      }
      row.generation = generation;
      placed.push(host.id);
    }
    for (const [id, row] of this.rows) {
      if (row.generation !== generation) this.rows.delete(id);
    }
    this.list.place(placed, (id) => this.rows.get(id).root);
    return drawStale(stale, time, (row, host) => this.draw(row, host, now)) && complete;
  }

  draw(row, host, nowMs) {
    row.update(host);
    row.host = host;
    row.tick(nowMs);
  }

  /** Refreshes "last seen" in the rows on screen (or close); the rest when they come near. */
  tick(nowMs = Date.now()) {
    for (const row of this.rows.values()) {
      if (row.near) row.tick(nowMs);
    }
  }
}
