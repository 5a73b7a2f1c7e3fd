// The host page's side panels, from GET /api/v1/hosts/{id}: top processes, filesystems,
// logged-in users and the inventory. Rebuilt from scratch on each update: they are small and
// hold nothing a person could be focused on.

import { el, byId, setText } from './dom.js';
import * as fmt from './format.js';

const MAX_PROCESSES = 15;

function num(v) {
  return typeof v === 'number' && Number.isFinite(v);
}

function cell(text, className, title) {
  return el('td', { class: className, text, title });
}

/** Top processes, busiest first (the agent sends the union of its top-by-CPU and top-by-memory lists). */
export function topProcesses(processes, limit = MAX_PROCESSES) {
  return [...processes].sort((a, b) => (num(b.cpuPercent) ? b.cpuPercent : -1) - (num(a.cpuPercent) ? a.cpuPercent : -1)
    || (b.rssBytes || 0) - (a.rssBytes || 0)).slice(0, limit);
}

export class Panels {
  constructor() {
    this.procsBody = byId('procs-table').tBodies[0];
    this.lastScan = null; // { atMs, processes }: samples between two process scans carry none
  }

  /** `host` as GET /api/v1/hosts/{id} answers it. */
  update(host) {
    const sample = host.sample || null;
    this.processes(sample, host.processes, host.processesAtMs);
    this.filesystems(sample);
    this.users(sample);
    this.inventory(host.inventory || null, host.inventoryAtMs);
  }

  /** The newest scan: from the latest sample, or the one the hub kept (samples between scans carry none). */
  processes(sample, kept, keptAtMs) {
    if (sample && sample.processes && sample.processes.length > 0) {
      this.lastScan = { atMs: sample.atMs, processes: sample.processes };
    }
    if (Array.isArray(kept) && kept.length > 0 && (!this.lastScan || keptAtMs > this.lastScan.atMs)) {
      this.lastScan = { atMs: keptAtMs, processes: kept };
    }
    const table = byId('procs-table');
    const empty = byId('procs-empty');
    const scan = this.lastScan;
    table.hidden = !scan;
    empty.hidden = !!scan;
    setText(byId('procs-at'), scan ? fmt.ago(scan.atMs) : '');
    byId('procs-at').title = scan ? fmt.absolute(scan.atMs) : '';
    if (!scan) {
      setText(empty, sample ? 'Waiting for the agent\u2019s next process scan.' : 'No report yet.');
      return;
    }
    this.procsBody.replaceChildren(...topProcesses(scan.processes).map((p) => el('tr', {},
      el('td', { class: 'ellipsis', title: `${p.name} (pid ${p.pid})` }, el('span', { text: p.name || '?' }), ' ',
        el('span', { class: 'muted small', text: String(p.pid) })),
      cell(p.user || '–', 'ellipsis'),
      cell(num(p.cpuPercent) ? fmt.metric(p.cpuPercent, 'percent') : '–', 'num'),
      cell(fmt.bytes(p.rssBytes), 'num'))));
  }

  filesystems(sample) {
    const list = sample ? sample.filesystems || [] : [];
    const body = byId('fs-table').tBodies[0];
    byId('fs-table').hidden = list.length === 0;
    byId('fs-empty').hidden = list.length > 0;
    body.replaceChildren(...list.map((fs) => {
      const share = fmt.share(fs.usedBytes, fs.totalBytes);
      const fill = el('span', { class: 'bar-fill' });
      fill.style.width = `${(share ?? 0).toFixed(1)}%`;
      const level = share === null ? 'none' : share >= 90 ? 'crit' : share >= 75 ? 'warn' : 'ok';
      const free = num(fs.freeBytes) ? fs.freeBytes : fs.totalBytes - fs.usedBytes;
      const inodes = num(fs.inodesTotal) && fs.inodesTotal > 0 && num(fs.inodesUsed)
        ? `, inodes ${fmt.percent(fmt.share(fs.inodesUsed, fs.inodesTotal))} used` : '';
      return el('tr', { 'data-level': level },
        el('td', { class: 'ellipsis', title: [fs.mount, fs.type, fs.device].filter(Boolean).join(' · ') },
          el('span', { text: fs.mount }), el('br'), el('span', { class: 'muted small', text: [fs.type, fs.device].filter(Boolean).join(' · ') })),
        el('td', { class: 'num', title: `${fmt.percent(share)} used${inodes}` },
          el('span', { text: fmt.bytePair(fs.usedBytes, fs.totalBytes) }),
          el('span', { class: 'bar', 'aria-hidden': 'true' }, fill)),
        cell(fmt.bytes(free), 'num'));
    }));
  }

  users(sample) {
    const users = sample ? sample.users || [] : [];
    const count = sample && num(sample.usersLoggedIn) ? sample.usersLoggedIn : users.length;
    setText(byId('users-count'), sample ? `(${count})` : '');
    byId('users-empty').hidden = users.length > 0;
    setText(byId('users-empty'), sample ? (count > 0 ? `${count} session(s); the agent sent no details.` : 'Nobody is logged in.') : 'No report yet.');
    byId('users-list').replaceChildren(...users.map((u) => {
      const where = [u.tty, u.from ? `from ${u.from}` : 'local'].filter(Boolean).join(', ');
      const since = num(u.sinceMs) ? el('time', { datetime: fmt.iso(u.sinceMs), title: fmt.absolute(u.sinceMs), text: `since ${fmt.ago(u.sinceMs)}` }) : null;
      return el('li', {}, el('strong', { text: u.user || '?' }), ' ', el('span', { class: 'muted', text: where }), since ? ' · ' : null, since);
    }));
  }

  inventory(inv, atMs) {
    const dl = byId('inventory');
    byId('inv-empty').hidden = !!inv;
    dl.hidden = !inv;
    setText(byId('inv-at'), inv && num(atMs) ? `as of ${fmt.ago(atMs)}` : '');
    if (!inv) return;
    const rows = [];
    const row = (label, ...value) => {
      if (value.length === 0 || value.every((v) => v === null || v === undefined || v === '')) return;
      rows.push(el('div', { class: 'inv-row' }, el('dt', { text: label }), el('dd', {}, ...value)));
    };
    row('Hostname', inv.hostname);
    row('OS', inv.os);
    row('Kernel', inv.kernel);
    row('Architecture', inv.arch);
    const cores = [num(inv.cpuCores) ? `${inv.cpuCores} threads` : null, num(inv.cpuPhysicalCores) ? `${inv.cpuPhysicalCores} cores` : null]
      .filter(Boolean).join(', ');
    row('CPU', [inv.cpuModel, cores].filter(Boolean).join(' · '));
    row('Memory', num(inv.memTotalBytes) ? fmt.bytes(inv.memTotalBytes) : null);
    if ((inv.disks || []).length) {
      row('Disks', el('ul', { class: 'plain-list' }, ...inv.disks.map((d) => el('li', {},
        el('span', { class: 'mono', text: d.name }), ' ',
        el('span', { text: [d.model, num(d.sizeBytes) ? fmt.bytes(d.sizeBytes) : null, d.rotational === true ? 'HDD' : d.rotational === false ? 'SSD' : null]
          .filter(Boolean).join(' · ') })))));
    }
    if ((inv.nics || []).length) {
      row('Network', el('ul', { class: 'plain-list' }, ...inv.nics.map((n) => el('li', { 'data-testid': 'nic' },
        el('span', { class: 'mono', text: n.name }), ' ',
        el('span', { class: 'mono muted', text: n.mac || '' }),
        num(n.speedMbps) && n.speedMbps > 0 ? el('span', { class: 'muted', text: ` · ${n.speedMbps} Mb/s` }) : null,
        (n.addresses || []).length ? el('br') : null,
        (n.addresses || []).length ? el('span', { class: 'mono small', text: n.addresses.join(', ') }) : null))));
    }
    row('Agent', inv.agentVersion);
    dl.replaceChildren(...rows);
  }
}
