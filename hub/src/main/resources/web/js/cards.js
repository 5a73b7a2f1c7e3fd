// Host cards. Each card is built once; every later update of the same host only changes
// the text and attributes that differ, so live updates neither flicker nor steal focus.

import { copyFrom } from './copy.js';
import { el, svg, setText, setAttr } from './dom.js';
import * as fmt from './format.js';
import { statusOf, tagsOf } from './fleet.js';
import { KeyedList } from './keyed.js';
import { UNLIMITED, drawStale, watchNearness } from './slices.js';

const GAUGE_RADIUS = 52;
const GAUGE_LENGTH = 2 * Math.PI * GAUGE_RADIUS;

/** "warn" from 75 %, "crit" from 90 %: the same thresholds for CPU, memory and disk. */
function level(p) {
  if (p === null || p === undefined) return 'none';
  if (p >= 90) return 'crit';
  if (p >= 75) return 'warn';
  return 'ok';
}


/** The page of one host. */
export function hostPageUrl(id) {
  return `/host.html?id=${encodeURIComponent(id)}`;
}

/** The agent command an EMPTY card suggests; the key itself was shown only once. */
export function agentHint(ingestUrl) {
  return `java -jar servmon.jar agent --hub ${ingestUrl || '<ingest-url>'} --key <host-key>`;
}

/** The one-line install an EMPTY card suggests, when the hub serves the installer. */
export function installHint(installScriptUrl, curlFlags = '-fsSL') {
  return `curl ${curlFlags} ${installScriptUrl} | sudo sh -s -- --key <host-key>`;
}

function barMetric(label) {
  const fill = el('span', { class: 'bar-fill' });
  const text = el('span', { class: 'metric-value' });
  const row = el('div', { class: 'metric metric-bar' },
    el('dt', { text: label }),
    el('dd', {}, text, el('span', { class: 'bar', 'aria-hidden': 'true' }, fill)));
  return { row, text, fill };
}

function plainMetric(label, extraClass = '', hint = undefined) {
  const text = el('span', { class: 'metric-value' });
  const row = el('div', { class: `metric ${extraClass}`.trim() }, el('dt', { text: label, title: hint }), el('dd', {}, text));
  return { row, text };
}

/** Fills a tag list element with one chip per tag (only when the tags changed). */
export function showTags(node, tags) {
  const key = tags.join('\u0000');
  if (node.dataset.tags === key) return;
  node.dataset.tags = key;
  node.replaceChildren(...tags.map((t) => el('span', { class: 'tag', text: t })));
  node.hidden = tags.length === 0;
}

class HostCard {
  constructor(host, actions) {
    this.id = host.id;
    this.name = null;

    // The name opens the host's page: charts, history, processes, inventory.
    this.titleLink = el('a', { class: 'card-link', href: hostPageUrl(host.id), 'data-testid': 'host-link' });
    this.title = el('h3', { class: 'card-title' }, this.titleLink);
    this.badge = el('span', { class: 'badge', 'data-testid': 'host-status' });
    this.sub = el('p', { class: 'card-sub' });
    this.tags = el('p', { class: 'tags', 'data-testid': 'host-tags', hidden: true });

    const track = svg('circle', { class: 'gauge-track', cx: 60, cy: 60, r: GAUGE_RADIUS });
    this.arc = svg('circle', {
      class: 'gauge-arc', cx: 60, cy: 60, r: GAUGE_RADIUS,
      'stroke-dasharray': GAUGE_LENGTH.toFixed(2), 'stroke-dashoffset': GAUGE_LENGTH.toFixed(2),
      transform: 'rotate(-90 60 60)',
    });
    this.gaugeText = el('span', { class: 'gauge-value' });
    this.gauge = el('div', {
      class: 'gauge', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-testid': 'cpu-gauge',
    },
    svg('svg', { viewBox: '0 0 120 120', 'aria-hidden': 'true', focusable: 'false' }, track, this.arc),
    el('span', { class: 'gauge-center', 'aria-hidden': 'true' }, this.gaugeText, el('span', { class: 'gauge-caption', text: 'CPU' })));

    this.mem = barMetric('Memory');
    this.disk = barMetric('Disk');
    this.net = plainMetric('Network', 'metric-net');
    this.rx = el('span', { class: 'net-rx', title: 'received' });
    this.tx = el('span', { class: 'net-tx', title: 'sent' });
    this.net.text.append(this.rx, ' ', this.tx);
    this.load = plainMetric('Load', '', '1-minute load average');
    this.users = plainMetric('Users', '', 'users logged in');
    this.uptime = plainMetric('Uptime');
    this.power = plainMetric('Power');

    this.live = el('div', { class: 'card-live' },
      this.gauge,
      el('dl', { class: 'metrics' }, this.mem.row, this.disk.row, this.net.row),
      el('dl', { class: 'stats' }, this.load.row, this.users.row, this.uptime.row, this.power.row));

    this.hintCode = el('code', { 'data-testid': 'agent-hint' });
    this.installCode = el('code', { 'data-testid': 'install-hint' });
    const copyInstall = el('button', { type: 'button', class: 'btn btn-small', text: 'Copy', 'data-testid': 'copy-install-hint' });
    copyInstall.addEventListener('click', () => copyFrom(this.installCode, copyInstall));
    this.installHint = el('div', {},
      el('p', { text: 'Install the agent on the server with the key you were given when you added it:' }),
      el('div', { class: 'copy-row' }, el('pre', { class: 'code' }, this.installCode), copyInstall));
    this.manualLabel = el('p');
    this.empty = el('div', { class: 'card-empty' },
      el('p', { class: 'card-empty-title', text: 'Waiting for first report' }),
      this.installHint,
      this.manualLabel,
      el('pre', { class: 'code' }, this.hintCode));

    this.seenLabel = el('span', { class: 'seen-label' });
    this.seenTime = el('time', { class: 'seen-time', 'data-testid': 'last-seen' });
    this.detailsLink = el('a', { class: 'btn btn-quiet btn-small', href: hostPageUrl(host.id), 'data-testid': 'host-details', text: 'Charts' });
    this.deleteButton = el('button', { type: 'button', class: 'btn btn-quiet btn-small', 'data-testid': 'delete-host', text: 'Delete' });
    this.deleteButton.addEventListener('click', () => actions.onDelete(this.id, this.name));
    this.wakeButton = el('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'wake-host', text: 'Wake', hidden: true });
    this.wakeButton.addEventListener('click', () => actions.onWake?.(this.id, this.name, this.wakeButton));

    this.root = el('article', { class: 'card', 'data-testid': 'host-card', 'data-host-id': host.id },
      el('header', { class: 'card-head' }, el('div', { class: 'card-heading' }, this.title, this.sub, this.tags), this.badge),
      this.live,
      this.empty,
      el('footer', { class: 'card-foot' }, el('span', { class: 'seen' }, this.seenLabel, ' ', this.seenTime),
        el('span', { class: 'card-actions' }, this.wakeButton, this.detailsLink, this.deleteButton)));
    this.root.setAttribute('aria-labelledby', `host-${host.id}-title`);
    this.title.id = `host-${host.id}-title`;
    watchNearness(this, this.root);
  }

  /** The EMPTY card's commands: install with the hub's script when it has one, else (and also) by hand. */
  showHints(urls) {
    setText(this.hintCode, agentHint(urls.ingestUrl));
    this.installHint.hidden = !urls.installScriptUrl;
    if (urls.installScriptUrl) setText(this.installCode, installHint(urls.installScriptUrl, urls.installCurlFlags || '-fsSL'));
    setText(this.manualLabel, urls.installScriptUrl ? 'or run it by hand:' : 'Start the agent on the server with the key you were given when you added it:');
  }

  update(host, urls, canEdit) {
    const status = statusOf(host);
    this.name = host.name;
    this.status = status;
    setAttr(this.root, 'data-host-name', host.name);
    setAttr(this.root, 'data-status', status);
    setText(this.titleLink, host.name);
    setAttr(this.title, 'title', host.name);
    setText(this.badge, status);
    setAttr(this.badge, 'data-status', status);
    setAttr(this.deleteButton, 'aria-label', `Delete host ${host.name}`);
    setAttr(this.detailsLink, 'aria-label', `Charts and history of ${host.name}`);
    this.deleteButton.hidden = !canEdit;
    setAttr(this.wakeButton, 'aria-label', `Wake host ${host.name}`);

    const sub = [];
    if (host.agentVersion) sub.push(`agent ${host.agentVersion}`);
    if (host.intervalSeconds) sub.push(`every ${host.intervalSeconds} s`);
    setText(this.sub, sub.join(' · '));
    this.sub.hidden = sub.length === 0;

    showTags(this.tags, tagsOf(host));

    const latest = host.latest;
    const empty = status === 'EMPTY' || !latest;
    this.live.hidden = empty;
    this.empty.hidden = !empty;
    if (empty) {
      this.showHints(urls);
    } else {
      this.updateFigures(latest);
    }

    const seenAt = empty ? host.createdAtMs : (host.lastSeenAtMs ?? latest.atMs);
    setText(this.seenLabel, empty ? 'added' : 'last seen');
    this.seenTime.dataset.at = String(seenAt);
    setAttr(this.seenTime, 'datetime', fmt.iso(seenAt));
    setAttr(this.seenTime, 'title', fmt.absolute(seenAt));
    this.tick(Date.now());
  }

  updateFigures(latest) {
    const cpu = typeof latest.cpuPercent === 'number' ? Math.min(100, Math.max(0, latest.cpuPercent)) : null;
    setText(this.gaugeText, fmt.percent(cpu));
    setAttr(this.gauge, 'aria-valuenow', cpu === null ? null : cpu.toFixed(1));
    setAttr(this.gauge, 'aria-valuetext', cpu === null ? 'unknown' : fmt.percent(cpu));
    setAttr(this.gauge, 'aria-label', `CPU of ${this.name}`);
    setAttr(this.gauge, 'data-level', level(cpu));
    // A round line cap would draw a dot for 0 %.
    setAttr(this.gauge, 'data-zero', cpu !== null && cpu < 0.5);
    setAttr(this.arc, 'stroke-dashoffset', (GAUGE_LENGTH * (1 - (cpu ?? 0) / 100)).toFixed(2));

    this.bar(this.mem, latest.memUsedBytes, latest.memTotalBytes);
    this.bar(this.disk, latest.diskUsedBytes, latest.diskTotalBytes);
    setText(this.rx, `↓ ${fmt.rate(latest.netRxBytesPerSec)}`);
    setText(this.tx, `↑ ${fmt.rate(latest.netTxBytesPerSec)}`);
    setText(this.load.text, fmt.load(latest.load1));
    setText(this.users.text, fmt.count(latest.usersLoggedIn));
    setText(this.uptime.text, fmt.duration(latest.uptimeSeconds));
    const hasPower = typeof latest.powerWatts === 'number';
    this.power.row.hidden = !hasPower;
    if (hasPower) setText(this.power.text, fmt.watts(latest.powerWatts));
  }

  bar(metric, used, total) {
    const p = fmt.share(used, total);
    setText(metric.text, fmt.bytePair(used, total));
    setAttr(metric.row, 'data-level', level(p));
    setAttr(metric.row, 'title', p === null ? null : `${fmt.percent(p)} used`);
    const width = `${(p ?? 0).toFixed(1)}%`;
    if (metric.fill.style.width !== width) metric.fill.style.width = width;
  }

  tick(nowMs) {
    const at = Number(this.seenTime.dataset.at);
    setText(this.seenTime, fmt.ago(at, nowMs));
  }
}

/**
 * The grid of host cards. {@link Board#sync} makes it show a list of hosts: cards are created
 * once, updated in place only when their host changed, hidden when filtered out, and moved only
 * when the order changed, so live updates neither flicker nor steal focus.
 */
export class Board {
  /**
   * @param grid the element the cards live in
   * @param actions { onDelete(id, name), onWake(id, name, button) }
   */
  constructor(grid, actions) {
    this.grid = grid;
    this.actions = actions;
    this.cards = new Map();
    this.list = new KeyedList(grid);
    this.generation = 0;
    this.urls = { ingestUrl: null, installScriptUrl: null, installCurlFlags: null };
    this.canEdit = true;
    this.wakeable = new Set();
  }

  /** Hosts whose MAC address the hub knows: their cards offer Wake while they are OFF. */
  setWakeable(ids) {
    this.wakeable = new Set(ids);
    for (const card of this.cards.values()) this.showWake(card);
  }

  showWake(card) {
    card.wakeButton.hidden = !(this.canEdit && card.status === 'OFF' && this.wakeable.has(card.id));
  }

  /** Where agents report and where the install script is (null: the hub has none). */
  setAgentUrls(ingestUrl, installScriptUrl, installCurlFlags = null) {
    this.urls = { ingestUrl, installScriptUrl, installCurlFlags };
    for (const card of this.cards.values()) {
      if (card.status === 'EMPTY') card.showHints(this.urls);
    }
  }

  setCanEdit(canEdit) {
    this.canEdit = canEdit;
  }

  /**
   * Shows exactly these hosts, in this order; `visible(host)` false hides a card (filter)
   * without dropping it. At most `build` new cards are built per call, so a first load of
   * 1,000 hosts is built in chunks the browser can paint between; cards whose host changed are
   * redrawn while `time` lasts (see slices.js), those on screen first, so 1,000 live updates
   * never make one long task. Call again (with the newest hosts) until it returns true.
   * @returns true when every host has its card and every card shows its host
   */
  sync(hosts, visible = () => true, { build = Infinity, time = UNLIMITED } = {}) {
    const generation = ++this.generation;
    const placed = [];
    const stale = [];
    let complete = true;
    for (const host of hosts) {
      let card = this.cards.get(host.id);
      if (!card) {
        if (build <= 0) {
          complete = false;
          continue;
        }
        build--;
        card = new HostCard(host, this.actions);
        this.cards.set(host.id, card);
        this.draw(card, host);
      } else if (card.host !== host || card.canEdit !== this.canEdit) {
        stale.push([card, host]);
      }
      card.generation = generation;
      const show = visible(host);
      if (card.root.hidden === show) {
        card.root.hidden = !show;
        // Hidden cards are not ticked.
        if (show) card.tick(Date.now());
      }
      placed.push(host.id);
    }
    for (const [id, card] of this.cards) {
      if (card.generation !== generation) this.cards.delete(id);
    }
    // Only cards whose place changed move (none on a live update of a fleet in name order).
    this.list.place(placed, (id) => this.cards.get(id).root);
    return drawStale(stale, time, (card, host) => this.draw(card, host)) && complete;
  }

  draw(card, host) {
    card.update(host, this.urls, this.canEdit);
    this.showWake(card);
    card.host = host;
    card.canEdit = this.canEdit;
  }

  /** Refreshes "last seen 3 s ago" on the cards on screen (or close); the rest when they come near. */
  tick(nowMs = Date.now()) {
    for (const card of this.cards.values()) {
      if (card.near && !card.root.hidden) card.tick(nowMs);
    }
  }

  cardOf(id) {
    return this.cards.get(id)?.root;
  }
}
