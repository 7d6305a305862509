// Renders the store into the page: banners, latest readings, devices and alert history.
// Every piece of data goes through h()/textContent, never through HTML parsing.

import {byId, cell, h} from './dom.js';
import {DASH, formatAge, formatDuration, formatNumber, timeElement} from './format.js';
import {OFFLINE, POWER} from './store.js';

const STATE_WORDS = {over: 'Over threshold', offline: 'Offline', stale: 'Stale', normal: 'Normal', unknown: 'No data'};
const KIND_WORDS = {[POWER]: 'Power over threshold', [OFFLINE]: 'Device offline', DEVICE_ERROR: 'Device error',
  OVER_TEMPERATURE: 'Over temperature', COUNTER_RESET: 'Counter reset'};

function stateBadge(state) {
  return h('span', {class: `state state-${state}`}, STATE_WORDS[state] ?? state);
}

/** "last reading 2 min ago" for a device whose newest values are stale; null while they are live. */
function staleNote(store, deviceId) {
  if (!store.isStale(deviceId)) return null;
  return h('span', {class: 'stale-note'}, `last reading ${formatAge(store.ageOf(deviceId))}`);
}

function relayWords(output) {
  if (output === true) return 'On';
  if (output === false) return 'Off';
  return DASH;
}

function deviceCell(label, store, deviceId) {
  const name = store.nameOf(deviceId);
  return cell(label, [
    h('span', {class: 'device-name'}, name),
    name !== deviceId ? h('span', {class: 'device-id'}, deviceId) : null,
  ]);
}

function setEmpty(id, empty) {
  byId(id).hidden = !empty;
}

let announced = '';

/** Tells assistive technology which devices are alerting, only when that set changes. */
function announce(store, power, offline) {
  const key = JSON.stringify([power.map(p => p.device_id), offline.map(a => a.device_id)]);
  if (key === announced) return;
  const first = announced === '';
  announced = key;
  if (first && power.length === 0 && offline.length === 0) return;
  const parts = [];
  if (power.length > 0) parts.push(`Over threshold: ${power.map(p => store.nameOf(p.device_id)).join(', ')}.`);
  if (offline.length > 0) parts.push(`Offline: ${offline.map(a => store.nameOf(a.device_id)).join(', ')}.`);
  byId('announcer').textContent = parts.length > 0 ? parts.join(' ') : 'No active alerts.';
}

export function renderBanners(store) {
  const power = store.powerAlerts();
  const box = byId('power-alerts');
  box.hidden = power.length === 0;
  box.replaceChildren(...(power.length === 0 ? [] : [
    h('p', {class: 'banner-title'}, power.length === 1 ? 'Power alert' : `Power alerts (${power.length})`),
    h('ul', {}, power.map(p => h('li', {dataset: {deviceId: p.device_id}},
      h('strong', {}, store.nameOf(p.device_id)),
      ` is drawing ${formatNumber(p.power)} W, `, thresholdWords(store, p),
      p.since ? [' (since ', timeElement(p.since), ')'] : null,
      store.isStale(p.device_id) ? `; last reading ${formatAge(store.ageOf(p.device_id))}` : null))),
  ]));

  const offline = store.offlineAlerts();
  const off = byId('offline-alerts');
  off.hidden = offline.length === 0;
  off.replaceChildren(...(offline.length === 0 ? [] : [
    h('p', {class: 'banner-title'}, offline.length === 1 ? 'Device offline' : `Devices offline (${offline.length})`),
    h('ul', {}, offline.map(a => h('li', {dataset: {deviceId: a.device_id}},
      h('strong', {}, store.nameOf(a.device_id)), ' has sent nothing since ',
      timeElement(store.devices.get(a.device_id)?.last?.timestamp ?? a.started_at)))),
  ]));
  announce(store, power, offline);
}

/** A raised alert holds until the power is below the clear level, which may be under the threshold. */
function thresholdWords(store, p) {
  if (p.threshold == null) return 'over its threshold';
  if (p.power == null || p.power > p.threshold || store.hysteresis == null) {
    return `over its threshold of ${formatNumber(p.threshold)} W`;
  }
  return `under its threshold of ${formatNumber(p.threshold)} W but not yet below ${
    formatNumber(p.threshold * (1 - store.hysteresis))} W, where the alert clears`;
}

export function renderLatest(store) {
  const rows = store.latest.map(r => {
    // A device's newest reading shows the device's state now (a threshold changed since, it went
    // silent); older readings show how each was judged.
    const newest = store.devices.get(r.device_id)?.last;
    const state = newest && newest.timestamp === r.timestamp ? store.stateOf(r.device_id)
      : r.over_threshold === true ? 'over' : 'normal';
    return h('tr', {class: state === 'normal' ? null : state, dataset: {deviceId: r.device_id, timestamp: r.timestamp}},
      deviceCell('Device', store, r.device_id),
      cell('Time', timeElement(r.timestamp)),
      cell('Power (W)', formatNumber(r.power), 'num power'),
      cell('Voltage (V)', formatNumber(r.voltage), 'num'),
      cell('Current (A)', formatNumber(r.current, 2), 'num'),
      cell('Energy (Wh)', formatNumber(r.energy), 'num'),
      cell('State', stateBadge(state)));
  });
  byId('latest').tBodies[0].replaceChildren(...rows);
  setEmpty('latest-empty', rows.length === 0);
}

export function renderDevices(store) {
  const rows = store.deviceList().map(d => {
    const state = store.stateOf(d.device_id);
    return h('tr', {class: state === 'normal' || state === 'unknown' ? null : state, dataset: {deviceId: d.device_id}},
      deviceCell('Name', store, d.device_id),
      cell('Site', d.site || d.last?.site || DASH, 'site'),
      cell('Last seen', timeElement(d.last?.timestamp)),
      cell('Power (W)', formatNumber(d.last?.power), 'num'),
      cell('Relay', relayWords(d.last?.output), 'relay'),
      cell('Temperature (°C)', formatNumber(d.last?.temperature_c), 'num temperature'),
      cell('Threshold (W)', formatNumber(store.thresholdOf(d.device_id)), 'num'),
      cell('State', h('span', {}, stateBadge(state), staleNote(store, d.device_id))));
  });
  byId('devices').tBodies[0].replaceChildren(...rows);
  setEmpty('devices-empty', rows.length === 0);
}

/** Acknowledged (by whom, when, the note as its title), an Ack button for an admin, or a dash. */
function ackCell(store, a, canAck) {
  const ack = store.ackOf(a);
  if (ack) {
    return cell('Acknowledged', h('span', {class: 'acked', title: ack.ack_note || null},
      'by ', ack.acked_by, ' ', timeElement(ack.acked_at)));
  }
  if (canAck && a.id && a.state !== 'EVENT') {
    return cell('Acknowledged', h('button', {type: 'button', class: 'ack', dataset: {alertId: a.id}}, 'Ack'));
  }
  return cell('Acknowledged', a.state === 'EVENT' ? DASH : 'No');
}

export function renderHistory(store, canAck = false) {
  const rows = store.history.map(a => {
    const active = a.state === 'RAISED';
    return h('tr', {class: active ? (a.kind === OFFLINE ? 'offline' : 'over') : null, dataset: {deviceId: a.device_id}},
      deviceCell('Device', store, a.device_id),
      cell('Alert', (KIND_WORDS[a.kind] ?? a.kind) + (a.detail ? ` (${a.detail})` : '')),
      cell('State', h('span', {class: `state ${active ? 'state-over' : 'state-normal'}`},
        active ? 'Active' : a.state === 'EVENT' ? 'Event' : 'Cleared')),
      cell('Started', timeElement(a.started_at, true)),
      cell('Ended', timeElement(a.ended_at, true)),
      cell('Duration', formatDuration(a.duration_s), 'num'),
      cell('Peak (W)', formatNumber(a.peak_w ?? a.power_w), 'num'),
      cell('Threshold (W)', formatNumber(a.threshold_w), 'num'),
      ackCell(store, a, canAck));
  });
  byId('alert-history').tBodies[0].replaceChildren(...rows);
  setEmpty('history-empty', rows.length === 0);
}

/** Keeps the chart's device selector in step with the known devices, preserving the choice. */
export function renderDeviceSelect(store, selected) {
  const select = byId('chart-device');
  const devices = store.deviceList();
  const current = [...select.options].map(o => `${o.value}\u0000${o.textContent}`).join('\u0001');
  const wanted = devices.map(d => `${d.device_id}\u0000${optionText(store, d.device_id)}`).join('\u0001');
  if (current !== wanted) {
    select.replaceChildren(...devices.map(d => h('option', {value: d.device_id}, optionText(store, d.device_id))));
  }
  if (selected && select.value !== selected) select.value = selected;
}

function optionText(store, id) {
  const name = store.nameOf(id);
  return name === id ? id : `${name} (${id})`;
}

const CONNECTION_WORDS = {
  connecting: 'Connecting…',
  live: 'Live',
  polling: 'Polling every 2 s',
  offline: 'Offline – retrying',
};

export function renderConnection(state) {
  const el = byId('connection');
  el.dataset.state = state;
  el.querySelector('.connection-text').textContent = CONNECTION_WORDS[state] ?? state;
}

/** The login box: a token field while nobody is logged in, else who it is and a log-out button. */
export function renderSession(current) {
  byId('login-form').hidden = current != null;
  byId('logged-in').hidden = current == null;
  byId('session-who').textContent = current ? `${current.name} (${current.role})` : '';
}

export function showLoginError(message) {
  const el = byId('login-error');
  el.hidden = !message;
  el.textContent = message ?? '';
}

export function showLoadError(message) {
  const el = byId('load-error');
  el.hidden = !message;
  el.textContent = message ?? '';
}
