// The host page's Programs section: the programs the agent supervises (and the units it watches)
// with their live state, Start / Stop / Restart for operators, add / edit / delete, and for one
// program at a time its CPU and memory over 24 h and the tail of its output (polled every 2 s
// while open). Every name, message and output line goes through textContent (dom.js).

import { api } from './api.js';
import { el, byId, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { ChartBoard } from './charts.js';
import { stateLabel, rank } from './power.js';

const LOG_EVERY_MS = 2_000;
const LOG_LINES = 200;
const HISTORY_MS = 24 * 3600 * 1000;
/** Program commands remembered for their outcome (a live event may beat the POST's answer). */
const RECENT_COMMANDS = 20;
const STATES = ['RUNNING', 'STARTING', 'STOPPING', 'STOPPED', 'BACKOFF', 'EXITED', 'FAILED', 'UNKNOWN'];

export class ProgramsSection {
  /** `getHost()` gives the current host view (its status says whether the agent reports). */
  constructor(hostId, editable, getHost = () => null) {
    this.hostId = hostId;
    this.editable = editable;
    this.getHost = getHost;
    this.items = [];
    this.rows = new Map();
    this.open = null; // the program whose detail is shown
    this.logTimer = null;
    this.logAbort = null;
    this.editing = null;
    this.recent = new Map(); // id → the newest program command seen live
    this.pending = null; // { id, label } of the last start / stop / restart sent from this page
    this.board = new ChartBoard(byId('program-charts'), { onZoom: () => {}, onZoomOut: () => {} });
    byId('program-add').hidden = !editable;
    byId('program-add').addEventListener('click', () => this.openDialog(null));
    byId('program-detail-close').addEventListener('click', () => this.closeDetail());
    byId('program-form').addEventListener('submit', (e) => this.save(e));
    for (const b of byId('program-dialog').querySelectorAll('[data-close]')) {
      b.addEventListener('click', () => byId('program-dialog').close());
    }
  }

  async load() {
    try {
      this.items = await api.programs(this.hostId);
      this.showError('');
      this.render();
    } catch (e) {
      this.showError(`Programs could not be loaded: ${e.detail || e.message}`);
    }
  }

  /** A live `programs` event: new statuses for this host's programs. */
  onLive(data) {
    if (data.hostId !== this.hostId || !Array.isArray(data.programs)) return;
    let unknown = false;
    for (const status of data.programs) {
      const item = this.items.find((p) => p.name === status.name);
      if (item) item.status = status;
      else unknown = true;
    }
    if (unknown) this.load();
    else this.render();
  }

  /** A live `command` event: shows the agent's answer to the last start / stop / restart sent from here. */
  onCommand(command) {
    if (command.hostId !== this.hostId || !String(command.type).startsWith('program.')) return;
    this.recent.delete(command.id);
    this.recent.set(command.id, command);
    if (this.recent.size > RECENT_COMMANDS) this.recent.delete(this.recent.keys().next().value);
    if (!this.pending || command.id !== this.pending.id || rank(command.state) < rank('ACKED')) return;
    this.showMessage(`${this.pending.label}: ${stateLabel(command)}${command.message ? ` — ${command.message}` : ''}`);
    setAttr(byId('programs-message'), 'data-state', command.state);
  }

  render() {
    const body = byId('programs-body');
    const seen = new Set();
    for (const item of this.items) {
      const key = `${item.kind}:${item.name}`;
      seen.add(key);
      let row = this.rows.get(key);
      if (!row) {
        row = this.buildRow(item);
        this.rows.set(key, row);
      }
      row.item = item;
      this.fillRow(row);
      body.append(row.tr); // keeps the list's order
    }
    for (const [key, row] of this.rows) {
      if (!seen.has(key)) {
        row.tr.remove();
        this.rows.delete(key);
      }
    }
    this.showAway();
    const programs = this.items.filter((p) => p.kind === 'program').length;
    setText(byId('programs-count'), this.items.length ? `${programs} defined` : '');
    byId('programs-empty').hidden = this.items.length > 0;
  }

  /**
   * When the agent does not report (host OFF), the states shown are old news and Start / Stop /
   * Restart / Output are refused (the hub does not queue them): say so above the table.
   */
  showAway() {
    const host = this.getHost();
    const away = host?.status === 'OFF' && this.items.some((p) => p.status);
    const box = byId('programs-away');
    box.hidden = !away;
    if (!away) return;
    const lastMs = Math.max(...this.items.filter((p) => p.status).map((p) => p.status.atMs));
    setText(box, `The agent is not reporting: states are as it last reported them (${fmt.ago(lastMs)}). `
      + 'Start, Stop, Restart and Output are refused until it is back; changes to definitions are sent when it connects.');
  }

  buildRow(item) {
    const cells = {
      name: el('td', { class: 'program-name', 'data-testid': 'program-name' }),
      state: el('span', { class: 'badge', 'data-testid': 'program-state' }),
      pid: el('td', { class: 'num', 'data-testid': 'program-pid' }),
      uptime: el('td', { 'data-testid': 'program-uptime' }),
      restarts: el('td', { class: 'num', 'data-testid': 'program-restarts' }),
      cpu: el('td', { class: 'num', 'data-testid': 'program-cpu' }),
      rss: el('td', { class: 'num', 'data-testid': 'program-rss' }),
      exit: el('td', { class: 'num', 'data-testid': 'program-exit' }),
    };
    const actions = el('div', { class: 'program-actions' });
    const tr = el('tr', { 'data-testid': 'program-row', 'data-program': item.name },
      cells.name, el('td', {}, cells.state), cells.pid, cells.uptime, cells.restarts, cells.cpu, cells.rss, cells.exit,
      el('td', {}, actions));
    const row = { tr, cells, item };
    if (item.kind === 'program') {
      const button = (label, testid, handler, show = true) => {
        const b = el('button', { type: 'button', class: 'btn btn-small', 'data-testid': testid, text: label });
        b.addEventListener('click', () => handler(row.item, b));
        if (show) actions.append(b);
        return b;
      };
      button('Details', 'program-open', (p) => this.openDetail(p));
      if (this.editable) {
        for (const action of ['start', 'stop', 'restart']) {
          button(action[0].toUpperCase() + action.slice(1), `program-${action}`, (p, b) => this.act(p, action, b));
        }
        button('Edit', 'program-edit', (p) => this.openDialog(p));
        button('Delete', 'program-delete', (p, b) => this.remove(p, b));
      }
    }
    return row;
  }

  fillRow(row) {
    const { item, cells } = row;
    const s = item.status || {};
    const state = STATES.includes(s.state) ? s.state : item.status ? 'UNKNOWN' : 'NOT REPORTED';
    setText(cells.name, item.kind === 'program' ? item.name : `${item.name} (${item.kind})`);
    setText(cells.state, state);
    setAttr(cells.state, 'data-state', state);
    setAttr(cells.state, 'title', s.message || '');
    setText(cells.pid, s.pid ?? '–');
    const running = s.startedAtMs && ['RUNNING', 'STARTING', 'STOPPING'].includes(s.state);
    setText(cells.uptime, running ? fmt.duration(Math.max(0, (Date.now() - s.startedAtMs) / 1000)) : '–');
    setText(cells.restarts, item.kind === 'program' && item.status ? s.restarts : '–');
    setText(cells.cpu, s.cpuPercent === null || s.cpuPercent === undefined ? '–' : fmt.percent(s.cpuPercent));
    setText(cells.rss, s.rssBytes === null || s.rssBytes === undefined ? '–' : fmt.bytes(s.rssBytes));
    setText(cells.exit, s.exitCode ?? '–');
  }

  async act(program, action, button) {
    button.disabled = true;
    try {
      const sent = await api.programAction(this.hostId, program.id, action);
      this.pending = { id: sent.id, label: `${action} ${program.name}` };
      this.showMessage(`${action} sent to ${program.name} (command ${sent.id}, ${String(sent.state).toLowerCase()})`);
      this.showError('');
      const known = this.recent.get(sent.id);
      if (known && rank(known.state) > rank(sent.state)) this.onCommand(known);
    } catch (e) {
      this.showError(`${action} ${program.name}: ${e.detail || e.message}`);
    } finally {
      button.disabled = false;
    }
  }

  async remove(program, button) {
    if (!window.confirm(`Delete program ${program.name}? The agent stops it and forgets it.`)) return;
    button.disabled = true;
    try {
      const changed = await api.deleteProgram(this.hostId, program.id);
      this.showMessage(`${program.name} deleted${deliveryNote(changed.delivery)}`);
      if (this.open && this.open.id === program.id) this.closeDetail();
      await this.load();
    } catch (e) {
      this.showError(`delete ${program.name}: ${e.detail || e.message}`);
      button.disabled = false;
    }
  }

  // ------------------------------------------------------------ detail: chart and log

  openDetail(program) {
    this.closeDetail();
    this.open = program;
    setText(byId('program-detail-title'), program.name);
    byId('program-detail').hidden = false;
    setText(byId('program-log'), '');
    this.loadChart(program);
    this.pollLog();
  }

  closeDetail() {
    this.open = null;
    byId('program-detail').hidden = true;
    if (this.logTimer) window.clearTimeout(this.logTimer);
    this.logTimer = null;
    if (this.logAbort) this.logAbort.abort();
    this.board.clear();
  }

  async loadChart(program) {
    const to = Date.now();
    try {
      const result = await api.programHistory(this.hostId, program.id, { from: to - HISTORY_MS, to });
      if (!this.open || this.open.id !== program.id) return;
      const byName = new Map(result.series.map((s) => [s.name, s.avg]));
      const none = result.timestamps.map(() => null);
      const specs = [
        { id: `prog-cpu:${program.name}`, title: 'CPU', unit: 'percent', series: [{ name: `prog_cpu:${program.name}`, label: 'CPU', role: 'main' }] },
        { id: `prog-rss:${program.name}`, title: 'Memory (RSS)', unit: 'bytes', series: [{ name: `prog_rss:${program.name}`, label: 'RSS', role: 'main' }] },
      ];
      const shown = this.board.render(specs, (spec) => [result.timestamps, byName.get(spec.series[0].name) || none]);
      byId('program-charts-empty').hidden = shown > 0;
    } catch (e) {
      byId('program-charts-empty').hidden = false;
      setText(byId('program-charts-empty'), `The history could not be loaded: ${e.detail || e.message}`);
    }
  }

  async pollLog() {
    const program = this.open;
    if (!program) return;
    this.logAbort = new AbortController();
    const pre = byId('program-log');
    try {
      const answer = await api.programLog(this.hostId, program.id, LOG_LINES, { signal: this.logAbort.signal });
      if (this.open !== program) return;
      const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
      setText(pre, answer.lines.map(fmt.terminalText).join('\n'));
      if (atBottom) pre.scrollTop = pre.scrollHeight;
      setText(byId('program-log-state'), `last ${answer.lines.length} lines, ${new Date().toLocaleTimeString()}`);
    } catch (e) {
      if (e.name === 'AbortError') return;
      setText(byId('program-log-state'), `output unavailable: ${e.detail || e.message}`);
    }
    if (this.open === program) {
      this.logTimer = window.setTimeout(() => this.pollLog(), LOG_EVERY_MS);
    }
  }

  // ------------------------------------------------------------ add / edit dialog

  openDialog(program) {
    this.editing = program;
    const f = byId('program-form');
    f.reset();
    setText(byId('program-dialog-title'), program ? `Edit program ${program.name}` : 'Add program');
    byId('pf-name').disabled = !!program;
    this.formError('');
    if (program) fillForm(f, program.spec);
    byId('program-dialog').showModal();
  }

  async save(event) {
    event.preventDefault();
    let spec;
    try {
      spec = readForm(byId('program-form'));
    } catch (e) {
      this.formError(e.message);
      return;
    }
    const submit = byId('program-form').querySelector('[type=submit]');
    submit.disabled = true;
    try {
      const changed = this.editing
        ? await api.updateProgram(this.hostId, this.editing.id, spec)
        : await api.addProgram(this.hostId, spec);
      byId('program-dialog').close();
      this.showMessage(`${changed.program.name} saved${deliveryNote(changed.delivery)}`);
      await this.load();
    } catch (e) {
      this.formError(e.detail || e.message);
    } finally {
      submit.disabled = false;
    }
  }

  formError(text) {
    setText(byId('program-form-error'), text);
    byId('program-form-error').hidden = !text;
  }

  showMessage(text) {
    setText(byId('programs-message'), text);
  }

  showError(text) {
    setText(byId('programs-error'), text);
    byId('programs-error').hidden = !text;
  }
}

function deliveryNote(delivery) {
  if (!delivery) return '';
  return delivery.error ? `; not sent to the agent yet: ${delivery.error}` : '; sent to the agent';
}

function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

function number(input) {
  return input.value === '' ? undefined : Number(input.value);
}

/** The form as a program spec; throws Error with a sentence when a line is malformed. */
function readForm(f) {
  const env = {};
  for (const line of lines(f.elements.env.value)) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`Environment line "${line}" is not NAME=value`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const spec = {
    name: f.elements.name.value.trim(),
    command: f.elements.command.value.trim(),
    args: f.elements.args.value.split('\n').filter((a) => a !== ''),
    cwd: f.elements.cwd.value.trim() || undefined,
    env,
    runAs: f.elements.runAs.value.trim() || undefined,
    autostart: f.elements.autostart.checked,
    restart: f.elements.restart.value,
    maxRestarts: number(f.elements.maxRestarts),
    restartWindowSeconds: number(f.elements.restartWindowSeconds),
    backoffFirstSeconds: number(f.elements.backoffFirstSeconds),
    backoffMaxSeconds: number(f.elements.backoffMaxSeconds),
    stopSignal: f.elements.stopSignal.value,
    stopTimeoutSeconds: number(f.elements.stopTimeoutSeconds),
  };
  const type = f.elements.healthType.value;
  const target = f.elements.healthTarget.value.trim();
  if (type) {
    const check = { type, failures: number(f.elements.healthFailures) };
    if (type === 'tcp') check.port = Number(target);
    else if (type === 'http') check.url = target;
    else check.command = target.split(/\s+/).filter(Boolean);
    spec.healthCheck = check;
  }
  return spec;
}

function fillForm(f, spec) {
  f.elements.name.value = spec.name;
  f.elements.command.value = spec.command;
  f.elements.args.value = (spec.args || []).join('\n');
  f.elements.cwd.value = spec.cwd || '';
  f.elements.env.value = Object.entries(spec.env || {}).map(([k, v]) => `${k}=${v}`).join('\n');
  f.elements.runAs.value = spec.runAs || '';
  f.elements.autostart.checked = spec.autostart !== false;
  f.elements.restart.value = spec.restart;
  f.elements.maxRestarts.value = spec.maxRestarts;
  f.elements.restartWindowSeconds.value = spec.restartWindowSeconds;
  f.elements.backoffFirstSeconds.value = spec.backoffFirstSeconds;
  f.elements.backoffMaxSeconds.value = spec.backoffMaxSeconds;
  f.elements.stopSignal.value = spec.stopSignal;
  f.elements.stopTimeoutSeconds.value = spec.stopTimeoutSeconds;
  const h = spec.healthCheck;
  f.elements.healthType.value = h ? h.type : '';
  f.elements.healthTarget.value = !h ? '' : h.type === 'tcp' ? String(h.port) : h.type === 'http' ? h.url : (h.command || []).join(' ');
  if (h) f.elements.healthFailures.value = h.failures;
}
