// Work in slices: a big job (applying the live updates of 1,000 hosts) runs as short tasks with
// the main thread free in between, so the page answers input and no task runs long (> 50 ms,
// the browser's "long task"). A view does what fits in a slice and says whether it is done; the
// page calls it again in a task of its own, with the newest data, until it is.

/**
 * Work per task. A slice on a busy machine (or descheduled for a moment) takes several times
 * its CPU time; 8 ms leaves room for that and for the frame's style, layout and paint.
 */
export const SLICE_MS = 8;

/** A time budget starting now: `left()` is true while less than `ms` have passed. */
export function budget(ms = SLICE_MS) {
  const end = performance.now() + ms;
  return { left: () => performance.now() < end };
}

/** A budget that never runs out: for callers that want everything done at once. */
export const UNLIMITED = { left: () => true };

/**
 * Runs `fn` soon in a task of its own: scheduler.postTask where the browser has it (runs
 * before timers, without the 4 ms clamp of nested timeouts), else a zero timeout.
 */
export function nextTask(fn) {
  if (globalThis.scheduler && typeof globalThis.scheduler.postTask === 'function') {
    // An error inside postTask only rejects its promise: report it like any uncaught error.
    globalThis.scheduler.postTask(fn, { priority: 'user-visible' }).catch((e) => window.reportError(e));
  } else {
    window.setTimeout(fn, 0);
  }
}

/**
 * Keeps `item.near` true while its element is on screen or close to it. Cards and table rows
 * carry `content-visibility: auto`; the browser already tracks which of them it skips (off
 * screen) and says so with a `contentvisibilityautostatechange` event, so this costs no
 * observer of its own. An item coming near gets its "last seen" text refreshed at once (it is
 * not ticked while far). Browsers without the event never clear `near`: everything is ticked,
 * as before.
 */
export function watchNearness(item, element) {
  item.near = true;
  element.addEventListener('contentvisibilityautostatechange', (e) => {
    const near = !e.skipped;
    if (near && !item.near) item.tick(Date.now());
    item.near = near;
  });
}

/**
 * Draws the items whose host changed (`stale`: [item, host] pairs) while `time` lasts, those on
 * screen first; at least one, so every call gets somewhere.
 * @returns true when all were drawn
 */
export function drawStale(stale, time, draw) {
  if (stale.length > 1) stale.sort((a, b) => Number(b[0].near) - Number(a[0].near));
  let drawn = 0;
  for (const [item, host] of stale) {
    if (drawn > 0 && !time.left()) return false;
    draw(item, host);
    drawn++;
  }
  return true;
}
