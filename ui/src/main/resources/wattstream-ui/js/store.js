// What the dashboard knows, fed by the initial load, the SSE feed and the polling fallback alike.
// Views subscribe and re-render on change; changes are batched so a burst of events renders once.
//
// Alerts arrive from several sources that may lag one another (the feed, the stored alert rows, the
// stream processor's state in /api/devices/), so an alert transition only ever replaces an older
// one: a later start wins, and for the same start CLEARED wins over RAISED (a RAISED with the same
// start is the same alert re-judged, e.g. on a new threshold, and replaces it).
//
// A device is stale when nothing was received from it for the stream processor's stale time (half its
// offline time): its newest values are then shown with their age, never as live ones.

export const POWER = 'POWER_OVER_THRESHOLD';
export const OFFLINE = 'DEVICE_OFFLINE';
const LATEST_ROWS = 10;
const HISTORY_ROWS = 200;

const time = value => {
  const t = Date.parse(value);
  return Number.isNaN(t) ? -Infinity : t;
};
const readingKey = r => `${r.device_id}|${r.timestamp}`;
// Two device errors of one device are two alerts: their detail (the error) is part of the identity.
const alertKey = a => (a.detail ? `${a.device_id}|${a.kind}|${a.detail}` : `${a.device_id}|${a.kind}`);
const historyKey = a => `${a.device_id}|${a.kind}|${a.started_at}|${a.detail ?? ''}`;
// An acknowledgement names its alert by the same fields; the start by its instant, however it is spelled.
const ackKey = a => `${a.device_id}|${a.kind}|${Date.parse(a.started_at)}|${a.detail ?? ''}`;

/** True when transition b should replace a (same device and kind). */
function newer(b, a) {
  if (!a) return true;
  const tb = time(b.started_at);
  const ta = time(a.started_at);
  if (tb !== ta) return tb > ta;
  return b.state === 'CLEARED' || a.state === 'RAISED';
}

export class Store {
  defaultThresholdW = null;
  hysteresis = null;
  staleAfterMs = null;
  /**
   * device_id -> {device_id, name, site, threshold_w, effective_threshold_w, last (newest reading),
   * heardAt (epoch ms of the latest receipt of any of its readings), registered, listed (the device
   * list has had it: until then its threshold is not known)}
   */
  devices = new Map();
  /** newest first, at most 10 */
  latest = [];
  /** `${device_id}|${kind}` -> the newest known transition of that alert */
  alerts = new Map();
  /** device_id -> the newest reading of that device when it is over its threshold */
  overByReading = new Map();
  /** alert transitions, newest start first */
  history = [];
  /** Acknowledgements seen since the page loaded (feed or own clicks), by alert. */
  acks = new Map();

  #listeners = new Set();
  #pending = false;

  subscribe(fn) {
    this.#listeners.add(fn);
  }

  changed() {
    if (this.#pending) return;
    this.#pending = true;
    setTimeout(() => {
      this.#pending = false;
      for (const fn of this.#listeners) fn(this);
    }, 30);
  }

  setConfig(config) {
    this.defaultThresholdW = numberOrNull(config.alert_threshold_w);
    this.hysteresis = numberOrNull(config.alert_hysteresis);
    const stale = numberOrNull(config.stale_after_s);
    this.staleAfterMs = stale === null ? null : stale * 1000;
    this.changed();
  }

  #device(id) {
    let d = this.devices.get(id);
    if (!d) {
      d = {device_id: id, name: null, site: null, threshold_w: null, effective_threshold_w: null, last: null,
        heardAt: -Infinity, registered: false, listed: false};
      this.devices.set(id, d);
    }
    return d;
  }

  /**
   * Devices from /api/devices/: registry metadata, the newest stored reading and the stream
   * processor's live state (latest reading, last transition of each alert kind).
   */
  setDevices(list) {
    for (const item of list) {
      if (!item || typeof item.device_id !== 'string') continue;
      const d = this.#device(item.device_id);
      d.name = item.name ?? null;
      d.site = item.site ?? null;
      d.threshold_w = numberOrNull(item.threshold_w);
      d.effective_threshold_w = numberOrNull(item.effective_threshold_w);
      d.registered = item.registered === true;
      d.listed = true;
      for (const r of [item.last_reading, item.live?.latest_reading]) {
        if (r && typeof r === 'object' && r.timestamp) this.#addReading({...r, device_id: item.device_id});
      }
      for (const a of item.live?.alerts ?? []) this.#mergeAlert({...a, device_id: item.device_id});
    }
    this.changed();
  }

  /** A reading from the feed or a poll; returns false for one already known. */
  ingestReading(r) {
    if (!r || typeof r.device_id !== 'string' || r.timestamp == null) return false;
    const isNew = this.#addReading(r);
    this.changed();
    return isNew;
  }

  #addReading(r) {
    const key = readingKey(r);
    const last = this.devices.get(r.device_id)?.last;
    const isNew = !this.latest.some(x => readingKey(x) === key) && !(last && readingKey(last) === key);
    this.latest = [r, ...this.latest.filter(x => readingKey(x) !== key)]
      .sort((a, b) => time(b.timestamp) - time(a.timestamp))
      .slice(0, LATEST_ROWS);
    this.#trackLast(r);
    return isNew;
  }

  #trackLast(r) {
    const d = this.#device(r.device_id);
    if (!d.registered) {
      d.name ??= r.device_name ?? null;
      d.site ??= r.site ?? null;
    }
    // Receipt, not device time: a back-filled reading or a lagging device clock is not silence.
    d.heardAt = Math.max(d.heardAt, time(r.received_at ?? r.timestamp));
    if (d.last && time(d.last.timestamp) > time(r.timestamp)) return;
    d.last = r;
    if (r.over_threshold === true) this.overByReading.set(r.device_id, r);
    else this.overByReading.delete(r.device_id);
  }

  #mergeAlert(a) {
    if (!a || typeof a.device_id !== 'string' || !a.kind || !a.state) return false;
    const key = alertKey(a);
    if (!newer(a, this.alerts.get(key))) return false;
    this.alerts.set(key, a);
    this.#device(a.device_id);
    return true;
  }

  /** An alert transition from the feed. */
  ingestAlert(a) {
    this.#mergeAlert(a);
    this.#addHistory([a]);
    this.changed();
  }

  /** An acknowledgement (from the feed or the API's answer): shown on its alert's row. */
  ingestAck(ack) {
    if (!ack || typeof ack.device_id !== 'string') return;
    this.acks.set(ackKey(ack), ack);
    this.changed();
  }

  /** The alert's acknowledgement ({acked_by, acked_at, ack_note}), or null. */
  ackOf(a) {
    return this.acks.get(ackKey(a)) ?? (a.acknowledged ? a : null);
  }

  /** Stored alert rows (active or all): merged like feed events, and into the history. */
  ingestAlertRows(list) {
    for (const a of list) this.#mergeAlert(a);
    this.#addHistory(list);
    this.changed();
  }

  #addHistory(list) {
    const byKey = new Map(this.history.map(a => [historyKey(a), a]));
    for (const a of list) {
      if (!a || typeof a.device_id !== 'string') continue;
      const k = historyKey(a);
      if (newer(a, byKey.get(k))) byKey.set(k, a);
    }
    this.history = [...byKey.values()]
      .sort((x, y) => time(y.started_at) - time(x.started_at))
      .slice(0, HISTORY_ROWS);
  }

  #active(deviceId, kind) {
    return this.alerts.get(`${deviceId}|${kind}`)?.state === 'RAISED';
  }

  /**
   * The device's threshold, null while the device list has not had it: a device first seen in the
   * feed may have its own, and naming the default meanwhile would show a wrong figure.
   */
  thresholdOf(deviceId) {
    const d = this.devices.get(deviceId);
    if (!d?.listed) return null;
    return d.effective_threshold_w ?? d.threshold_w ?? this.defaultThresholdW;
  }

  nameOf(deviceId) {
    const d = this.devices.get(deviceId);
    return d?.name || d?.last?.device_name || deviceId;
  }

  /**
   * Whether the device's newest reading was over its threshold and no alert transition has judged it
   * since: a power alert cleared after it (e.g. because its threshold was raised) outranks its flag.
   */
  #overByReading(deviceId) {
    const r = this.overByReading.get(deviceId);
    if (!r) return false;
    const a = this.alerts.get(`${deviceId}|${POWER}`);
    return !(a?.state === 'CLEARED' && time(a.ended_at) >= time(r.timestamp));
  }

  /** Milliseconds since anything was received from the device; null when nothing was. */
  ageOf(deviceId, now = Date.now()) {
    const heard = this.devices.get(deviceId)?.heardAt ?? -Infinity;
    return Number.isFinite(heard) ? Math.max(0, now - heard) : null;
  }

  /** Whether the device's newest values are too old to be shown as live (see the top of this file). */
  isStale(deviceId, now = Date.now()) {
    const age = this.ageOf(deviceId, now);
    return age !== null && this.staleAfterMs !== null && age > this.staleAfterMs;
  }

  /** 'over' | 'offline' | 'stale' | 'normal' | 'unknown' */
  stateOf(deviceId, now = Date.now()) {
    if (this.#active(deviceId, POWER) || this.#overByReading(deviceId)) return 'over';
    if (this.#active(deviceId, OFFLINE)) return 'offline';
    if (!this.devices.get(deviceId)?.last) return 'unknown';
    return this.isStale(deviceId, now) ? 'stale' : 'normal';
  }

  /** Devices currently over their threshold, each with the power and threshold to show. */
  powerAlerts() {
    const ids = new Set([...this.overByReading.keys()].filter(id => this.#overByReading(id)));
    for (const a of this.alerts.values()) if (a.kind === POWER && a.state === 'RAISED') ids.add(a.device_id);
    return [...ids].sort().map(id => {
      const alert = this.#active(id, POWER) ? this.alerts.get(`${id}|${POWER}`) : null;
      const last = this.devices.get(id)?.last;
      return {
        device_id: id,
        power: last?.power ?? alert?.power_w ?? null,
        // The threshold the stream processor judged by; the device's own when no alert is raised yet.
        threshold: alert?.threshold_w ?? this.thresholdOf(id),
        since: alert?.started_at ?? this.overByReading.get(id)?.timestamp ?? null,
      };
    });
  }

  offlineAlerts() {
    return [...this.alerts.values()].filter(a => a.kind === OFFLINE && a.state === 'RAISED')
      .sort((x, y) => x.device_id.localeCompare(y.device_id));
  }

  /** Devices, most recently seen first, then those that never reported, by id. */
  deviceList() {
    return [...this.devices.values()].sort((a, b) => {
      const ta = time(a.last?.timestamp);
      const tb = time(b.last?.timestamp);
      if (ta !== tb) return tb > ta ? 1 : -1;
      return a.device_id.localeCompare(b.device_id);
    });
  }
}

function numberOrNull(v) {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
