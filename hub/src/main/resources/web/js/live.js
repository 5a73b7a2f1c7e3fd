// The live stream (Server-Sent Events). The browser reconnects by itself after network
// errors; when the hub refuses the stream (e.g. the session expired) the EventSource is
// closed for good, so we check the session and open a new one with backoff.
// Every (re)connect reloads the host list: events sent while we were away are not replayed.

import { api, goToLogin } from './api.js';
import { setText } from './dom.js';

const EVENTS_URL = '/api/v1/events';
const MAX_BACKOFF_MS = 30_000;

function parse(event) {
  try {
    return JSON.parse(event.data);
  } catch (e) {
    console.warn('servmon: unreadable live event', event.type, e);
    return null;
  }
}

export function connectLive({ indicator, indicatorText, onHost, onHostDeleted, onConnected, onCommand }) {
  let source = null;
  let backoffMs = 1000;
  let timer = null;

  function show(state, text) {
    indicator.dataset.state = state;
    setText(indicatorText, text);
  }

  function open() {
    timer = null;
    source = new EventSource(EVENTS_URL);
    source.addEventListener('open', () => {
      backoffMs = 1000;
      show('live', 'live');
      onConnected();
    });
    source.addEventListener('host', (event) => {
      const host = parse(event);
      if (host) onHost(host);
    });
    source.addEventListener('host-deleted', (event) => {
      const data = parse(event);
      if (data && data.id !== undefined) onHostDeleted(data.id);
    });
    if (onCommand) {
      source.addEventListener('command', (event) => {
        const command = parse(event);
        if (command) onCommand(command);
      });
    }
    // The hub may have missed changes made through another hub replica: reload, as on connect.
    source.addEventListener('resync', () => onConnected());
    source.addEventListener('error', () => {
      show('reconnecting', 'reconnecting…');
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        retryLater();
      }
    });
  }

  async function retryLater() {
    if (timer) return;
    try {
      await api.session();
    } catch (e) {
      if (e.status === 401) {
        goToLogin();
        return;
      }
    }
    timer = window.setTimeout(open, backoffMs);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
  }

  // A stream left open in a hidden tab costs the hub little, but a laptop waking from sleep
  // may hold a dead one: reconnect when the page becomes visible and the stream is closed.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && source && source.readyState === EventSource.CLOSED && !timer) {
      backoffMs = 1000;
      open();
    }
  });

  show('connecting', 'connecting…');
  open();
}
