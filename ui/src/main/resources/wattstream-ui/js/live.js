// The live connection: Server-Sent Events from /api/stream, and while the stream is down a poll of
// the latest readings every 2 s. Reports its state as 'connecting' | 'live' | 'polling' | 'offline'.

import {STREAM_URL} from './api.js';

const POLL_MS = 2000;
const REOPEN_MS = 5000;

export class LiveFeed {
  #handlers;
  #source = null;
  #pollTimer = null;
  #state = null;

  /** handlers: onReading(reading), onAlert(alert), onAck(ack), onSession(session event), onOpen() (resync after (re)connect), poll() (promise), onState(state) */
  constructor(handlers) {
    this.#handlers = handlers;
  }

  start() {
    this.#setState('connecting');
    this.#open();
  }

  #open() {
    const source = new EventSource(STREAM_URL());
    this.#source = source;
    source.addEventListener('open', () => {
      this.#stopPolling();
      this.#setState('live');
      this.#handlers.onOpen();
    });
    source.addEventListener('reading', e => this.#dispatch(e, this.#handlers.onReading));
    source.addEventListener('alert', e => this.#dispatch(e, this.#handlers.onAlert));
    source.addEventListener('ack', e => this.#dispatch(e, this.#handlers.onAck));
    source.addEventListener('session', e => this.#dispatch(e, this.#handlers.onSession));
    source.addEventListener('error', () => {
      // The browser retries by itself while CONNECTING; CLOSED (e.g. an HTTP error) needs a new source.
      this.#startPolling();
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(() => this.#source === source && this.#open(), REOPEN_MS);
      }
    });
  }

  #dispatch(event, handler) {
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      console.warn('ignoring an unparsable', event.type, 'event');
      return;
    }
    handler(data);
  }

  #startPolling() {
    if (this.#pollTimer) return;
    const tick = async () => {
      try {
        await this.#handlers.poll();
        if (this.#pollTimer) this.#setState('polling');
      } catch {
        if (this.#pollTimer) this.#setState('offline');
      }
    };
    this.#pollTimer = setInterval(tick, POLL_MS);
    tick();
  }

  #stopPolling() {
    clearInterval(this.#pollTimer);
    this.#pollTimer = null;
  }

  #setState(state) {
    if (state === this.#state) return;
    this.#state = state;
    this.#handlers.onState(state);
  }
}
