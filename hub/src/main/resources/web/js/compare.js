// The comparison chart (seed 000): one horizontal bar per ON host for a chosen measure, largest
// first, so the busiest machines stand out. Bars are plain elements: readable by screen readers
// (each row says "web-1: 83 %"), sharp at any size, and cheap to update in place.

import { el, setText, setAttr } from './dom.js';
import { hostPageUrl } from './cards.js';
import { MEASURES, measure } from './fleet.js';
import { KeyedList } from './keyed.js';

const CHOICES = ['cpu', 'memory', 'disk', 'load', 'rx', 'tx', 'power', 'users'];
const FIRST_ROWS = 40;

class Bar {
  constructor(host) {
    this.link = el('a', { href: hostPageUrl(host.id), class: 'bar-name', 'data-testid': 'compare-name' });
    this.fill = el('span', { class: 'bar-fill' });
    this.value = el('span', { class: 'bar-value', 'data-testid': 'compare-value' });
    this.root = el('li', { class: 'compare-row', 'data-testid': 'compare-row', 'data-host-id': host.id },
      this.link, el('span', { class: 'bar compare-bar', 'aria-hidden': 'true' }, this.fill), this.value);
  }

  update(host, value, text, scale) {
    setText(this.link, host.name);
    setText(this.value, text);
    setAttr(this.root, 'aria-label', `${host.name}: ${text}`);
    setAttr(this.root, 'data-level', value >= 90 && scale === 100 ? 'crit' : value >= 75 && scale === 100 ? 'warn' : 'ok');
    const width = `${scale > 0 ? Math.min(100, (value / scale) * 100).toFixed(1) : 0}%`;
    if (this.fill.style.width !== width) this.fill.style.width = width;
  }
}

export class CompareChart {
  /** @param container where the chart goes; `onChange` is called when the measure changes */
  constructor(container) {
    this.key = 'cpu';
    this.showAll = false;
    this.bars = new Map();
    this.select = el('select', { id: 'compare-measure', 'data-testid': 'compare-measure' },
      ...CHOICES.map((key) => el('option', { value: key, text: MEASURES[key].label })));
    this.select.addEventListener('change', () => {
      this.key = this.select.value;
      this.onChange?.();
    });
    this.list = el('ol', { class: 'compare-list', 'data-testid': 'compare-list' });
    this.placed = new KeyedList(this.list);
    this.note = el('p', { class: 'muted compare-note', 'data-testid': 'compare-note' });
    this.more = el('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'compare-more' });
    this.more.addEventListener('click', () => {
      this.showAll = !this.showAll;
      this.onChange?.();
    });
    container.append(
      el('div', { class: 'compare-head' }, el('label', { for: 'compare-measure', text: 'Compare' }), this.select),
      this.list, el('div', { class: 'compare-foot' }, this.note, this.more));
  }

  setMeasure(key) {
    if (!CHOICES.includes(key)) return;
    this.key = key;
    this.select.value = key;
  }

  /** Shows these hosts (already filtered): ON hosts with a value, largest first. */
  sync(hosts) {
    const m = MEASURES[this.key];
    const valued = [];
    for (const host of hosts) {
      const v = measure(host, this.key);
      if (v !== null) valued.push({ host, v });
    }
    valued.sort((a, b) => b.v - a.v);
    const scale = m.max ?? (valued.length ? valued[0].v : 0);
    const shown = this.showAll ? valued : valued.slice(0, FIRST_ROWS);
    const bars = new Map();
    for (const { host, v } of shown) {
      const bar = this.bars.get(host.id) ?? new Bar(host);
      bars.set(host.id, bar);
      // Only bars whose host, measure or scale changed are redrawn.
      if (bar.host !== host || bar.key !== this.key || bar.scale !== scale) {
        bar.update(host, v, m.show(v), scale);
        bar.host = host;
        bar.key = this.key;
        bar.scale = scale;
      }
    }
    this.bars = bars;
    this.placed.place([...bars.keys()], (id) => bars.get(id).root);
    const missing = hosts.length - valued.length;
    setText(this.note, valued.length === 0
      ? `No host reports ${m.label.toLowerCase()} right now.`
      : `${shown.length} of ${valued.length} hosts${missing > 0 ? ` (${missing} without a value: OFF, EMPTY or no sensor)` : ''}`);
    this.more.hidden = valued.length <= FIRST_ROWS;
    setText(this.more, this.showAll ? `Show top ${FIRST_ROWS}` : `Show all ${valued.length}`);
  }
}
