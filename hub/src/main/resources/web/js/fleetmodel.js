// The overview's hosts as last heard of: the list from GET /api/v1/hosts plus every live event
// since. Views do not listen to events themselves: changes are gathered and handed to the page
// once per animation frame (twice a second for a large fleet), so 1,000 hosts reporting every
// 10 s cost a few small renders a second instead of one per event.

const byName = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
/** Above this many hosts, changes are gathered for a while before the page renders them. */
export const LARGE_FLEET = 200;
const LARGE_FLEET_FLUSH_MS = 500;

export class FleetModel {
  /** @param onFlush called (at most once per frame) after hosts changed */
  constructor(onFlush) {
    this.hosts = new Map(); // id → host (a new object per change, so views compare references)
    this.updatedAt = new Map(); // id → performance.now() of the last change
    this.deletedAt = new Map(); // id → performance.now() of its host-deleted event
    this.sortedCache = null;
    this.onFlush = onFlush;
    this.scheduled = false;
    this.flushedAt = 0;
  }

  upsert(host) {
    if (!host || host.id === undefined || host.id === null) return;
    const old = this.hosts.get(host.id);
    if (!old || old.name !== host.name) this.sortedCache = null;
    this.hosts.set(host.id, host);
    this.updatedAt.set(host.id, performance.now());
    this.schedule();
  }

  remove(id) {
    this.deletedAt.set(id, performance.now());
    if (this.hosts.delete(id)) {
      this.updatedAt.delete(id);
      this.sortedCache = null;
      this.schedule();
    }
  }

  /**
   * Makes the model hold exactly these hosts (after a reconnect or a reload). `requestedAt`
   * (performance.now() when the list was requested) keeps a live event that arrived while the
   * list was on its way from being overwritten by the older list: a host that turned OFF
   * meanwhile would otherwise show ON until its next change.
   */
  replaceAll(hosts, requestedAt = -Infinity) {
    const listed = new Set();
    for (const host of hosts) {
      if (!host || host.id === undefined || host.id === null) continue;
      listed.add(host.id);
      const deletedMeanwhile = (this.deletedAt.get(host.id) ?? -Infinity) >= requestedAt;
      if (!deletedMeanwhile && (this.updatedAt.get(host.id) ?? -Infinity) < requestedAt) {
        const old = this.hosts.get(host.id);
        if (!old || old.name !== host.name) this.sortedCache = null;
        this.hosts.set(host.id, host);
        this.updatedAt.set(host.id, requestedAt);
      }
    }
    for (const id of [...this.hosts.keys()]) {
      if (!listed.has(id) && (this.updatedAt.get(id) ?? -Infinity) < requestedAt) {
        this.hosts.delete(id);
        this.updatedAt.delete(id);
        this.sortedCache = null;
      }
    }
    for (const [id, at] of [...this.deletedAt]) {
      if (at < requestedAt) this.deletedAt.delete(id);
    }
    this.flushNow();
  }

  /** All hosts in name order (cached until a host is added, renamed or removed). */
  sortedByName() {
    if (!this.sortedCache) {
      this.sortedCache = [...this.hosts.values()].sort((a, b) => byName.compare(a.name || '', b.name || ''));
    } else {
      // Same members and names; pick up the newest object of each.
      for (let i = 0; i < this.sortedCache.length; i++) {
        const newest = this.hosts.get(this.sortedCache[i].id);
        if (newest) this.sortedCache[i] = newest;
      }
    }
    return this.sortedCache;
  }

  get(id) {
    return this.hosts.get(id);
  }

  get size() {
    return this.hosts.size;
  }

  /**
   * Renders soon: in the next animation frame for a small fleet; for a large one at most every
   * {@link LARGE_FLEET_FLUSH_MS}, so 1,000 hosts reporting every 10 s (100 events a second)
   * cost two renders a second rather than sixty. A large fleet's render runs in a task of its
   * own rather than inside an animation frame, where its slice of work (see slices.js) would
   * add to the frame's style, layout and paint in one task.
   */
  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    const visible = document.visibilityState === 'visible';
    if (this.hosts.size > LARGE_FLEET || !visible) {
      // A hidden tab gets no animation frames; a timeout still keeps the model's views current.
      const wait = this.hosts.size > LARGE_FLEET ? Math.max(0, this.flushedAt + LARGE_FLEET_FLUSH_MS - performance.now()) : 0;
      window.setTimeout(() => this.flushNow(), Math.max(wait, visible ? 0 : 250));
    } else {
      window.requestAnimationFrame(() => this.flushNow());
    }
  }

  flushNow() {
    this.scheduled = false;
    this.flushedAt = performance.now();
    this.onFlush();
  }
}
