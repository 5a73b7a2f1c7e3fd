// The host page's "Checks" section: the checks bound to this host (status, last result, uptime),
// kept live from `check` events, and for operators the host's place on the public status page.

import { api } from './api.js';
import { byId, el, setText } from './dom.js';
import * as rows from './checkrows.js';

export class HostChecks {
  constructor(hostId, editable) {
    this.hostId = hostId;
    this.views = new Map();
    const box = byId('host-public');
    byId('host-public-label').hidden = !editable;
    box.addEventListener('change', async () => {
      try {
        await api.setHostPublic(hostId, box.checked);
      } catch (e) {
        box.checked = !box.checked;
        console.warn('servmon: status page setting not saved:', e.detail || e);
      }
    });
    if (editable) {
      api.hostPublic(hostId).then((r) => { box.checked = r.public; }, (e) => console.warn('servmon:', e.detail || e));
    }
  }

  async load() {
    try {
      const list = await api.checks(this.hostId);
      this.views.clear();
      for (const v of list) this.views.set(v.id, v);
      this.render();
    } catch (e) {
      console.warn('servmon: host checks not loaded:', e.detail || e);
    }
  }

  /** A live `check` event (of any check: others are ignored, or dropped if they left this host). */
  upsert(view) {
    if (view.hostId === this.hostId) this.views.set(view.id, view);
    else if (!this.views.delete(view.id)) return;
    this.render();
  }

  remove(id) {
    if (this.views.delete(id)) this.render();
  }

  render() {
    const list = [...this.views.values()].sort((a, b) => a.name.localeCompare(b.name));
    byId('host-checks-empty').hidden = list.length > 0;
    byId('host-checks-list').replaceChildren(...list.map((v) => {
      const st = rows.state(v);
      return el('li', { class: 'host-check', 'data-testid': 'host-check', 'data-check-name': v.name, 'data-status': st },
        el('span', { class: 'status-dot', 'data-status': st, text: st }), ' ',
        el('a', { href: '/checks.html', class: 'host-check-name', text: v.name }), ' ',
        el('span', { class: 'muted small', text: `${rows.lastText(v)} · 24 h ${rows.uptime(v.uptime24h)} · 30 d ${rows.uptime(v.uptime30d)}` }));
    }));
    setText(byId('host-checks-count'), list.length ? `(${list.length})` : '');
  }
}
