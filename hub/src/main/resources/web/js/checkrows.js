// What the checks page and the host page share about one check: its status, last result and
// uptime as text, and the response-time sparkline.

import { svg } from './dom.js';
import * as fmt from './format.js';
import { linePoints } from './sparks.js';

/** 'UP', 'DOWN', 'PAUSED' or 'PENDING' (no result yet). */
export function state(view) {
  if (!view.enabled) return 'PAUSED';
  if (!view.last) return 'PENDING';
  return view.last.up ? 'UP' : 'DOWN';
}

export function uptime(p) {
  return typeof p === 'number' ? `${p >= 99.995 ? '100' : p.toFixed(2)} %` : '–';
}

export function responseText(view) {
  return view.last && typeof view.last.responseMs === 'number' ? fmt.metric(view.last.responseMs, 'ms') : '–';
}

/** Where the check runs: 'hub', or the host whose agent runs it (its id when the name is not known). */
export function runsOn(view, hostNames) {
  if (view.agentHostId === null || view.agentHostId === undefined) return 'hub';
  return `${hostNames.get(view.agentHostId) || `host ${view.agentHostId}`} (agent)`;
}

/** "status 200 · 3 s ago". */
export function lastText(view, nowMs = Date.now()) {
  if (!view.last) return view.enabled ? 'waiting for the first run' : 'paused';
  return `${view.last.message || (view.last.up ? 'up' : 'down')} · ${fmt.ago(view.last.atMs, nowMs)}`;
}

/** A 100 × 30 sparkline of response times (oldest first; nulls are gaps). */
export function sparkline(values) {
  const line = svg('polyline', { class: 'spark-line', points: linePoints(values) });
  return svg('svg', { class: 'check-spark', viewBox: '0 0 100 30', preserveAspectRatio: 'none', 'aria-hidden': 'true', focusable: 'false' }, line);
}
