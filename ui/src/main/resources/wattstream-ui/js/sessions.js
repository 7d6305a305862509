// Charging sessions: the "now charging" panel (open sessions, ticking) and the recent sessions table.
// Open sessions come from /api/sessions/live (the stream processor's state) and the feed's session
// events; between those, each reading of a charging meter adds its energy and cost, so the figures
// move with every reading. The server's figures replace the local sums whenever they arrive.

import {api} from './api.js';
import {byId, cell, h} from './dom.js';
import {DASH, formatDuration, formatMoney, formatNumber, timeElement, toDate} from './format.js';

const LIVE_REFRESH_MS = 5000;
const RECENT_REFRESH_MS = 30_000;

const time = v => toDate(v)?.getTime() ?? -Infinity;

export class Sessions {
  #store;
  /** device_id -> open session (figures as of last_reading_at) */
  #open = new Map();
  #recent = [];
  #liveError = null;

  constructor(store) {
    this.#store = store;
    setInterval(() => this.loadLive(), LIVE_REFRESH_MS);
    setInterval(() => this.loadRecent(), RECENT_REFRESH_MS);
    // Durations tick every second, whatever the readings do.
    setInterval(() => this.#tick(), 1000);
  }

  async loadLive() {
    try {
      const list = await api.liveSessions();
      this.#open = new Map(list.map(s => [s.device_id, s]));
      this.#liveError = null;
    } catch (e) {
      this.#liveError = e.message;
    }
    this.render();
  }

  async loadRecent() {
    try {
      this.#recent = await api.sessions(20);
    } catch {
      // keep what is shown; the next refresh tries again
    }
    this.renderTable();
  }

  /** An OPENED / UPDATED / CLOSED event from the feed. */
  onSession(s) {
    if (!s || typeof s.device_id !== 'string') return;
    if (s.state === 'CLOSED') {
      if (this.#open.get(s.device_id)?.session_id === s.session_id) this.#open.delete(s.device_id);
      this.#recent = [s, ...this.#recent.filter(x => x.session_id !== s.session_id)].slice(0, 20);
      this.renderTable();
    } else {
      const known = this.#open.get(s.device_id);
      if (!known || known.session_id !== s.session_id || time(s.last_reading_at) >= time(known.last_reading_at)) {
        this.#open.set(s.device_id, s);
      }
    }
    this.render();
  }

  /** A reading of a charging meter adds its energy and cost to the session shown. */
  onReading(r) {
    const s = this.#open.get(r?.device_id);
    if (!s || time(r.timestamp) <= time(s.last_reading_at)) return;
    const delta = Number(r.energy_delta_wh) || 0;
    this.#open.set(r.device_id, {
      ...s,
      energy_wh: (Number(s.energy_wh) || 0) + delta,
      cost: s.cost != null && r.cost != null && r.currency === s.currency ? Number(s.cost) + Number(r.cost) : s.cost,
      last_reading_at: r.timestamp,
    });
    this.render();
  }

  render() {
    const list = [...this.#open.values()].sort((a, b) => a.device_id.localeCompare(b.device_id));
    byId('charging').replaceChildren(...list.map(s => {
      const power = this.#store.devices.get(s.device_id)?.last?.power;
      return h('li', {dataset: {deviceId: s.device_id, sessionId: s.session_id, startedAt: s.started_at}},
        h('strong', {class: 'device-name'}, this.#store.nameOf(s.device_id)),
        h('span', {class: 'device-id'}, s.site ?? s.device_id),
        h('dl', {class: 'figures'},
          h('dt', {}, 'Power'), h('dd', {class: 'power'}, `${formatNumber(power)} W`),
          h('dt', {}, 'Duration'), h('dd', {class: 'duration'}, formatDuration(elapsed(s))),
          h('dt', {}, 'Energy'), h('dd', {class: 'energy'}, `${formatNumber((Number(s.energy_wh) || 0) / 1000, 3)} kWh`),
          h('dt', {}, 'Cost'), h('dd', {class: 'cost'}, s.cost == null ? 'no tariff' : formatMoney(s.cost, s.currency))));
    }));
    byId('charging-empty').hidden = list.length > 0;
    const note = byId('charging-note');
    note.hidden = this.#liveError == null;
    note.textContent = this.#liveError ? `Live sessions unavailable: ${this.#liveError}` : '';
  }

  #tick() {
    for (const li of byId('charging').children) {
      const s = this.#open.get(li.dataset.deviceId);
      const dd = li.querySelector('.duration');
      if (s && dd) dd.textContent = formatDuration(elapsed(s));
    }
  }

  renderTable() {
    const rows = this.#recent.map(s => {
      const open = s.state !== 'CLOSED';
      return h('tr', {dataset: {sessionId: s.session_id, deviceId: s.device_id}},
        cell('Device', [h('span', {class: 'device-name'}, this.#store.nameOf(s.device_id)),
          h('span', {class: 'device-id'}, s.device_id)]),
        cell('Started', timeElement(s.started_at, true)),
        cell('Ended', open ? DASH : timeElement(s.ended_at, true)),
        cell('Duration', formatDuration(s.duration_s), 'num'),
        cell('Energy (kWh)', formatNumber((Number(s.energy_wh) || 0) / 1000, 3), 'num'),
        cell('Cost', s.cost == null ? 'no tariff' : formatMoney(s.cost_rounded ?? s.cost, s.currency), 'num cost'),
        cell('Pauses', String(s.pauses ?? 0), 'num'),
        cell('State', h('span', {class: `state ${open ? 'state-over' : 'state-normal'}`},
          open ? 'Charging' : s.offline ? 'Closed (meter offline)' : 'Closed')));
    });
    byId('sessions').tBodies[0].replaceChildren(...rows);
    byId('sessions-empty').hidden = rows.length > 0;
  }
}

/** Seconds since the session started (it is open, so its end is now). */
function elapsed(s) {
  const start = time(s.started_at);
  return Number.isFinite(start) ? (Date.now() - start) / 1000 : null;
}
