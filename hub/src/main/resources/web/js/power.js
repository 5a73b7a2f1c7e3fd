// The host page's Power section (shut down, reboot, suspend with a typed confirmation; wake with
// progress) for operators, and the host's command history for everyone, updated live.

import { api } from './api.js';
import { byId, el, setText, setAttr } from './dom.js';
import * as fmt from './format.js';

const ACTIONS = {
  shutdown: { label: 'Shut down', text: 'The host powers off. Its agent reports nothing until someone switches it on (or wakes it).' },
  reboot: { label: 'Reboot', text: 'The host restarts; its agent reports again once it is back.' },
  suspend: { label: 'Suspend', text: 'The host goes to sleep; wake it with Wake-on-LAN or its power button.' },
};
const TYPES = {
  'power.shutdown': 'Shut down', 'power.reboot': 'Reboot', 'power.suspend': 'Suspend', 'power.wake': 'Wake', 'wol.relay': 'Relay a wake',
};
const ROWS = 50;
/** How far along a state is: an answer that raced a live event must not move a command back. */
const RANK = { QUEUED: 0, SENT: 1, ACKED: 2 };
export const rank = (state) => RANK[state] ?? 3;

/** What a person reads for a command's state; a wake under way is "waking". */
export function stateLabel(command) {
  const wake = command.type === 'power.wake';
  switch (command.state) {
    case 'QUEUED': return 'queued';
    case 'SENT': return 'sent';
    case 'ACKED': return wake ? 'waking…' : 'running…';
    case 'SUCCEEDED': return wake ? 'woke' : 'done';
    case 'FAILED': return wake && (command.message || '').startsWith('did not wake') ? 'did not wake' : 'failed';
    case 'EXPIRED': return 'expired';
    case 'REFUSED': return 'refused';
    default: return String(command.state).toLowerCase();
  }
}

export class PowerPanel {
  /** `getHost()` gives the current host view; `operator` shows the actions. */
  constructor(hostId, getHost, operator) {
    this.hostId = hostId;
    this.getHost = getHost;
    this.operator = operator;
    this.commands = new Map();
    this.pendingAction = null;
    this.wol = null;
    byId('power-panel').hidden = !operator;
    if (operator) this.wire();
  }

  wire() {
    for (const button of byId('power-panel').querySelectorAll('[data-power]')) {
      button.addEventListener('click', () => this.openConfirm(button.dataset.power));
    }
    byId('wake-host').addEventListener('click', () => this.openWake());
    for (const id of ['power-dialog', 'wake-dialog']) {
      const dialog = byId(id);
      for (const b of dialog.querySelectorAll('[data-close]')) b.addEventListener('click', () => dialog.close());
    }
    const input = byId('power-confirm-input');
    input.addEventListener('input', () => this.checkTyped());
    byId('power-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.confirm();
    });
    byId('wake-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.wake();
    });
  }

  async load() {
    try {
      const list = await api.commands(this.hostId);
      this.commands.clear();
      for (const c of list) this.commands.set(c.id, c);
      this.render();
    } catch (e) {
      console.warn('servmon: command history not loaded:', e.detail || e);
    }
    if (this.operator) {
      try {
        this.wol = await api.wol(this.hostId);
      } catch (e) {
        console.warn('servmon: power settings not loaded:', e.detail || e);
      }
      this.showAgent();
    }
  }

  /** A live command event: kept when it is this host's. */
  onCommand(command) {
    if (command.hostId !== this.hostId) return;
    const known = this.commands.get(command.id);
    if (known && rank(known.state) > rank(command.state)) return;
    this.commands.set(command.id, command);
    this.render();
    if (this.operator && command.type.startsWith('power.')) {
      setText(byId('power-status'), `${TYPES[command.type] || command.type}: ${stateLabel(command)}${command.message ? ` — ${command.message}` : ''}`);
      setAttr(byId('power-status'), 'data-state', command.state);
    }
  }

  /** The host changed (ON/OFF): Wake makes sense only when it is not ON. */
  onHost() {
    if (this.operator) this.showAgent();
  }

  showAgent() {
    const host = this.getHost();
    const on = host.status === 'ON';
    const connected = this.wol?.agentConnected;
    setText(byId('power-agent'), connected ? 'agent connected: commands run at once' : 'agent not connected');
    byId('wake-host').hidden = on;
  }

  render() {
    const body = byId('commands-body');
    const list = [...this.commands.values()].sort((a, b) => b.createdAtMs - a.createdAtMs || (a.id < b.id ? 1 : -1)).slice(0, ROWS);
    body.replaceChildren(...list.map((c) => el('tr', { dataset: { id: c.id, state: c.state }, 'data-testid': 'command-row' },
      el('td', {}, el('time', { datetime: fmt.iso(c.createdAtMs), title: fmt.absolute(c.createdAtMs), text: fmt.when(c.createdAtMs) })),
      el('td', { text: TYPES[c.type] || c.type }),
      el('td', { text: c.requestedBy || '–' }),
      el('td', {}, el('span', { class: 'cmd-state', dataset: { state: c.state }, 'data-testid': 'command-state', text: stateLabel(c) })),
      el('td', { class: 'cmd-message', text: c.message || '' }))));
    byId('commands-empty').hidden = list.length > 0;
  }

  openConfirm(action) {
    const host = this.getHost();
    this.pendingAction = action;
    setText(byId('power-dialog-action'), ACTIONS[action].label);
    setText(byId('power-dialog-host'), host.name);
    setText(byId('power-dialog-text'), ACTIONS[action].text);
    const submit = byId('power-form').querySelector('[type=submit]');
    setText(submit, ACTIONS[action].label);
    byId('power-confirm-input').value = '';
    byId('power-queue').checked = false;
    this.error('power-error', '');
    this.checkTyped();
    byId('power-dialog').showModal();
    byId('power-confirm-input').focus();
  }

  checkTyped() {
    const typed = byId('power-confirm-input').value.trim();
    byId('power-form').querySelector('[type=submit]').disabled = typed !== this.getHost().name;
  }

  async confirm() {
    const submit = byId('power-form').querySelector('[type=submit]');
    if (submit.disabled || !this.pendingAction) return;
    submit.disabled = true;
    try {
      const command = await api.power(this.hostId, this.pendingAction, byId('power-queue').checked ? 'queue' : 'refuse');
      this.onCommand(command);
      byId('power-dialog').close();
    } catch (e) {
      this.error('power-error', e.detail || String(e));
      submit.disabled = false;
    }
  }

  async openWake() {
    const host = this.getHost();
    setText(byId('wake-dialog-host'), host.name);
    this.error('wake-error', '');
    const mac = byId('wake-mac');
    mac.value = this.wol?.mac || '';
    setText(byId('wake-mac-source'), this.wol?.macSource === 'inventory' ? 'From the inventory its agent reported.'
      : this.wol?.macSource === 'manual' ? 'Entered before.' : 'Not known yet: enter it (it is kept for next time).');
    const via = byId('wake-via');
    via.replaceChildren(el('option', { value: 'hub', text: 'the hub' }));
    try {
      const hosts = await api.hosts();
      for (const h of hosts) {
        if (h.id !== this.hostId && h.status === 'ON') via.append(el('option', { value: String(h.id), text: `${h.name} (its agent)` }));
      }
    } catch (e) {
      console.warn('servmon: relay hosts not loaded:', e.detail || e);
    }
    byId('wake-dialog').showModal();
    (mac.value ? via : mac).focus();
  }

  async wake() {
    const submit = byId('wake-form').querySelector('[type=submit]');
    const via = byId('wake-via').value;
    const body = via === 'hub' ? { via: 'hub' } : { via: 'agent', relayHostId: Number(via) };
    const mac = byId('wake-mac').value.trim();
    if (mac) body.mac = mac;
    submit.disabled = true;
    try {
      const command = await api.wake(this.hostId, body);
      this.onCommand(command);
      byId('wake-dialog').close();
      this.wol = await api.wol(this.hostId);
    } catch (e) {
      this.error('wake-error', e.detail || String(e));
    } finally {
      submit.disabled = false;
    }
  }

  error(id, message) {
    const node = byId(id);
    setText(node, message);
    node.hidden = !message;
  }
}
