// The host page's charts, drawn by uPlot (vendor/uplot, loaded as a classic script before the
// modules): one figure per chart spec (chartspec.js), a crosshair synced across all of them,
// a tooltip with units, drag to zoom (the page refetches the zoomed range at a finer
// resolution), double-click to zoom out, arrow keys for keyboard users, colours from the theme.

import { el, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { isNum, stats, yRange, timeTicks, isolated, snapIndex, axisSize, BINARY_INCRS, COUNT_INCRS } from './chartscales.js';

const SYNC_KEY = 'servmon-host';
const HEIGHT = 190;
const TOOLTIP_ROWS = 10;
const PALETTE_SIZE = 8;

/** The theme's colours as canvas understands them (CSS light-dark() resolved to rgb()). */
function themeColours() {
  const probe = el('span', { class: 'chart-probe', 'aria-hidden': 'true' });
  document.body.append(probe);
  const resolve = (cssVar) => {
    probe.style.color = `var(${cssVar})`;
    return getComputedStyle(probe).color;
  };
  const colours = {
    text: resolve('--muted'),
    grid: resolve('--grid'),
    cursor: resolve('--muted'),
    limit: resolve('--muted'),
    series: Array.from({ length: PALETTE_SIZE }, (_, i) => resolve(`--chart-${i + 1}`)),
    font: `12px ${getComputedStyle(document.body).fontFamily}`,
  };
  probe.remove();
  return colours;
}

function withAlpha(rgb, alpha) {
  const m = /rgba?\(([^)]+)\)/.exec(rgb);
  if (!m) return rgb;
  const [r, g, b] = m[1].split(/[ ,/]+/).filter(Boolean);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** One chart: its figure, its uPlot, and the tooltip that follows the cursor. */
class Chart {
  constructor(spec, handlers) {
    this.spec = spec;
    this.handlers = handlers;
    this.plot = null;
    this.active = false;
    this.titleId = `chart-${spec.id.replace(/[^a-zA-Z0-9_-]/g, '_')}`;
    this.latest = el('span', { class: 'chart-latest', 'data-testid': 'chart-latest' });
    this.summary = el('p', { class: 'visually-hidden', id: `${this.titleId}-summary` });
    this.body = el('div', { class: 'chart-body' });
    this.empty = el('p', { class: 'chart-empty muted', text: 'No data in this range', hidden: true });
    this.root = el('figure', {
      class: 'chart', tabindex: 0, role: 'group', 'data-testid': 'chart', 'data-chart': spec.id,
      'aria-labelledby': this.titleId, 'aria-describedby': this.summary.id,
    },
    el('figcaption', { class: 'chart-head' },
      el('h3', { class: 'chart-title', id: this.titleId, text: spec.title }), this.latest),
    this.summary, this.body, this.empty);
    this.root.addEventListener('keydown', (e) => this.onKey(e));
    this.root.addEventListener('focus', () => this.onFocus());
    this.root.addEventListener('blur', (e) => this.onBlur(e));
  }

  /** Same spec as before (so its uPlot can take new data instead of being rebuilt)? */
  fits(spec) {
    return spec.title === this.spec.title && spec.unit === this.spec.unit && spec.series.length === this.spec.series.length
      && spec.series.every((s, i) => s.name === this.spec.series[i].name);
  }

  setData(data, colours, width) {
    this.data = data;
    const allStats = this.spec.series.map((s, i) => stats(data[i + 1]));
    const hasData = allStats.some((s) => s !== null);
    this.empty.hidden = hasData;
    this.body.hidden = !hasData;
    this.describe(allStats);
    if (!hasData) {
      this.destroyPlot();
      return;
    }
    if (this.plot) {
      this.plot.setData(data);
    } else {
      this.plot = new window.uPlot(this.options(colours, width), data, this.body);
    }
  }

  /** The figcaption's latest value and the screen-reader summary of every series. */
  describe(allStats) {
    const unit = this.spec.unit;
    const main = allStats[0];
    setText(this.latest, main ? fmt.metric(main.latest, unit) : '');
    setAttr(this.latest, 'title', main ? `latest ${this.spec.series[0].label}` : null);
    const parts = [];
    this.spec.series.slice(0, 8).forEach((s, i) => {
      const st = allStats[i];
      if (st) parts.push(`${s.label}: latest ${fmt.metric(st.latest, unit)}, lowest ${fmt.metric(st.min, unit)}, highest ${fmt.metric(st.max, unit)}`);
    });
    if (this.spec.series.length > 8) parts.push(`and ${this.spec.series.length - 8} more series`);
    setText(this.summary, parts.length ? `${parts.join('; ')}.` : 'No data in this range.');
  }

  options(colours, width) {
    const spec = this.spec;
    const unit = spec.unit;
    const stepped = spec.stepped ? window.uPlot.paths.stepped({ align: 1 }) : undefined;
    const series = [{ value: (u, v) => (isNum(v) ? fmt.absolute(v) : '') }];
    this.strokes = [];
    spec.series.forEach((s, i) => {
      const colour = colours.series[i % colours.series.length];
      const main = s.role === 'main';
      const stroke = s.role === 'limit' ? colours.limit : colour;
      this.strokes.push(stroke);
      series.push({
        label: s.label,
        stroke,
        width: main ? 2 : s.role === 'limit' ? 1 : 1.25,
        dash: s.role === 'limit' ? [5, 4] : undefined,
        fill: main && spec.series.length <= 6 ? withAlpha(colour, 0.12) : undefined,
        paths: stepped,
        spanGaps: false,
        points: { show: false, size: 4, fill: stroke, filter: (u, si) => isolated(u.data[si]) },
        value: (u, v) => fmt.metric(v, unit),
      });
    });
    const axis = {
      stroke: colours.text,
      font: colours.font,
      grid: { stroke: colours.grid, width: 1 },
      ticks: { stroke: colours.grid, width: 1, size: 4 },
    };
    return {
      width,
      height: HEIGHT,
      ms: 1,
      series,
      scales: { x: { time: true }, y: { range: yRange(spec.yRange) } },
      axes: [
        { ...axis, space: 80, values: (u, splits, ai, space, incr) => timeTicks(splits, incr) },
        {
          ...axis,
          values: (u, splits) => splits.map((v) => fmt.tick(v, unit)),
          size: axisSize(colours.font),
          space: 28,
          incrs: unit === 'bytes' ? BINARY_INCRS : unit === 'count' ? COUNT_INCRS : undefined,
        },
      ],
      legend: { show: true, live: false },
      cursor: {
        sync: { key: SYNC_KEY, setSeries: false },
        drag: { x: true, y: false, setScale: false },
        points: { size: 6 },
        dataIdx: (u, si, closest) => snapIndex(u, closest),
        bind: {
          dblclick: () => () => {
            this.handlers.onZoomOut();
            return null;
          },
        },
      },
      hooks: {
        init: [(u) => this.initTooltip(u)],
        setCursor: [(u) => this.showTooltip(u)],
        setSelect: [(u) => this.onSelect(u)],
      },
    };
  }

  initTooltip(u) {
    this.tip = el('div', { class: 'chart-tip', 'data-testid': 'chart-tooltip', 'aria-hidden': 'true', hidden: true });
    u.over.append(this.tip);
    u.over.addEventListener('mouseenter', () => {
      this.active = true;
    });
    u.over.addEventListener('mouseleave', () => {
      this.active = false;
      this.tip.hidden = true;
    });
  }

  showTooltip(u) {
    // idxs: the index each series snapped to (see snapIndex), the same for all of them.
    const idx = u.cursor.idxs ? u.cursor.idxs[1] : u.cursor.idx;
    if (!this.tip) return;
    if (!this.active || idx === null || idx === undefined) {
      this.tip.hidden = true;
      return;
    }
    const unit = this.spec.unit;
    let rows = [];
    this.spec.series.forEach((s, i) => {
      const v = u.data[i + 1][idx];
      if (isNum(v) && u.series[i + 1].show) rows.push({ label: s.label, v, colour: this.strokes[i] });
    });
    let more = 0;
    if (rows.length > TOOLTIP_ROWS) {
      // Many series (cores): the busiest ones are what a person looks for.
      rows.sort((a, b) => b.v - a.v);
      more = rows.length - TOOLTIP_ROWS;
      rows = rows.slice(0, TOOLTIP_ROWS);
    }
    const children = [el('div', { class: 'chart-tip-time', text: fmt.absolute(u.data[0][idx]) })];
    if (rows.length === 0) children.push(el('div', { class: 'muted', text: 'no data' }));
    for (const r of rows) {
      const swatch = el('span', { class: 'chart-tip-swatch', 'aria-hidden': 'true' });
      swatch.style.background = r.colour;
      children.push(el('div', { class: 'chart-tip-row' }, swatch, el('span', { class: 'chart-tip-label', text: r.label }),
        el('span', { class: 'chart-tip-value', 'data-testid': 'chart-tooltip-value', text: fmt.metric(r.v, unit) })));
    }
    if (more > 0) children.push(el('div', { class: 'muted', text: `+ ${more} more` }));
    this.tip.replaceChildren(...children);
    this.tip.hidden = false;
    const overWidth = u.over.clientWidth;
    const tipWidth = this.tip.offsetWidth;
    const left = u.cursor.left + 14 + tipWidth > overWidth ? u.cursor.left - tipWidth - 14 : u.cursor.left + 14;
    this.tip.style.transform = `translate(${Math.max(0, left)}px, 6px)`;
  }

  onSelect(u) {
    const sel = u.select;
    if (sel.width < 4) return;
    const fromMs = u.posToVal(sel.left, 'x');
    const toMs = u.posToVal(sel.left + sel.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    // The sync group repeats a drag on every chart; only the one under the pointer zooms.
    if (this.active) this.handlers.onZoom(fromMs, toMs);
  }

  onFocus() {
    // A click focuses the figure too; only keyboard focus brings up the tooltip.
    if (!this.plot || !this.root.matches(':focus-visible')) return;
    this.active = true;
    this.moveCursorTo(this.lastIndex());
  }

  onBlur(e) {
    this.active = false;
    if (this.tip) this.tip.hidden = true;
    // Focus moving to another chart (a click there, maybe the start of a drag): that chart's
    // pointer owns the synced cursor now, and moving it away here would cancel the drag.
    const toChart = e.relatedTarget instanceof Element && e.relatedTarget.closest('.chart');
    if (this.plot && !toChart) this.plot.setCursor({ left: -10, top: -10 });
  }

  lastIndex() {
    const xs = this.data[0];
    for (let i = xs.length - 1; i >= 0; i--) {
      if (this.data.slice(1).some((ys) => isNum(ys[i]))) return i;
    }
    return xs.length - 1;
  }

  onKey(e) {
    if (!this.plot || !['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const n = this.data[0].length;
    const current = this.plot.cursor.idx ?? this.lastIndex();
    const step = e.shiftKey ? 10 : 1;
    let next = current;
    if (e.key === 'ArrowLeft') next = Math.max(0, current - step);
    if (e.key === 'ArrowRight') next = Math.min(n - 1, current + step);
    if (e.key === 'Home') next = 0;
    if (e.key === 'End') next = this.lastIndex();
    this.active = true;
    this.moveCursorTo(next);
  }

  moveCursorTo(idx) {
    const u = this.plot;
    if (!u || idx < 0) return;
    u.setCursor({ left: u.valToPos(u.data[0][idx], 'x'), top: u.over.clientHeight / 2 });
  }

  resize(width) {
    if (this.plot && width > 0 && Math.abs(this.plot.width - width) > 1) this.plot.setSize({ width, height: HEIGHT });
  }

  destroyPlot() {
    if (this.plot) {
      this.plot.destroy();
      this.plot = null;
      this.tip = null;
    }
  }
}

/** All charts of the page, in spec order, kept in step with the theme and the page width. */
export class ChartBoard {
  /**
   * @param container the element the figures go in
   * @param handlers { onZoom(fromMs, toMs), onZoomOut() }
   */
  constructor(container, handlers) {
    this.container = container;
    this.handlers = handlers;
    this.charts = new Map();
    this.colours = null;
    this.resizer = new ResizeObserver(() => this.resizeAll());
    this.resizer.observe(container);
    const rebuild = () => this.rebuild();
    document.addEventListener('servmon:theme', rebuild);
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', rebuild);
  }

  /**
   * Shows these charts. `dataOf(spec)` gives uPlot data [timestamps, ...one array per series];
   * charts whose spec did not change keep their uPlot and only take the new data.
   * Returns how many charts have data.
   */
  render(specs, dataOf) {
    if (!this.colours) this.setColours(themeColours());
    const keep = new Set();
    let withData = 0;
    const shown = [];
    for (const spec of specs) {
      const data = dataOf(spec);
      if (spec.hideWhenZero && data.slice(1).every((ys) => ys.every((v) => !isNum(v) || v === 0))) continue;
      let chart = this.charts.get(spec.id);
      if (chart && !chart.fits(spec)) {
        chart.destroyPlot();
        chart.root.remove();
        chart = null;
      }
      if (!chart) {
        chart = new Chart(spec, this.handlers);
        this.charts.set(spec.id, chart);
      }
      keep.add(spec.id);
      shown.push(chart);
      chart.spec = spec;
      if (!chart.root.isConnected) this.container.append(chart.root);
      chart.setData(data, this.colours, this.widthOf(chart));
      if (chart.plot) withData++;
    }
    for (const [id, chart] of this.charts) {
      if (!keep.has(id)) {
        chart.destroyPlot();
        chart.root.remove();
        this.charts.delete(id);
      }
    }
    // Page order = spec order, moving only figures that are out of place.
    shown.forEach((chart, i) => {
      if (this.container.children[i] !== chart.root) this.container.insertBefore(chart.root, this.container.children[i] || null);
    });
    return withData;
  }

  /** The colours charts are drawn with; the axis colour is on the container for tests and tools. */
  setColours(colours) {
    this.colours = colours;
    this.container.dataset.axisColour = colours.text;
  }

  widthOf(chart) {
    const w = chart.body.clientWidth || chart.root.clientWidth || this.container.clientWidth;
    return Math.max(200, Math.floor(w));
  }

  resizeAll() {
    for (const chart of this.charts.values()) chart.resize(this.widthOf(chart));
  }

  /** New colours: every uPlot is rebuilt from the data it already has. */
  rebuild() {
    this.setColours(themeColours());
    for (const chart of this.charts.values()) {
      if (!chart.plot) continue;
      chart.destroyPlot();
      chart.setData(chart.data, this.colours, this.widthOf(chart));
    }
  }

  clear() {
    for (const chart of this.charts.values()) chart.destroyPlot();
    this.charts.clear();
    this.container.replaceChildren();
  }
}
