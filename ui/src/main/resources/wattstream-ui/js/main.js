// Wires the dashboard together: initial load, live feed with polling fallback, chart controls.

import {api, session} from './api.js';
import {PowerChart, planRange} from './chart.js';
import {DailyChart} from './daily.js';
import {byId, h} from './dom.js';
import {toDate, toLocalInput} from './format.js';
import {LiveFeed} from './live.js';
import {Sessions} from './sessions.js';
import {POWER, Store} from './store.js';
import {renderBanners, renderConnection, renderDevices, renderDeviceSelect, renderHistory, renderLatest, renderSession, showLoadError,
  showLoginError} from './views.js';

const DEVICES_REFRESH_MS = 15_000;
const HISTORY_REFRESH_MS = 30_000;
const HISTORY_DAYS = 7;
const CATCH_UP_MS = [3000, 10_000];
/** Ages ("last reading 2 min ago") and stale states move on without any event: redraw this often. */
const AGES_REFRESH_MS = 5000;

const store = new Store();
const chart = new PowerChart(store);
const sessions = new Sessions(store);
const daily = new DailyChart(store);

/** The power chart and the daily chart show the same device. */
function showDevice(device, plan) {
  chart.show(device, plan);
  daily.show(device);
}

store.subscribe(s => {
  renderBanners(s);
  renderLatest(s);
  renderDevices(s);
  renderHistory(s, session.current?.role === 'admin');
  renderDeviceSelect(s, chart.device);
  sessions.render();
  sessions.renderTable();
  if (!chart.device && s.devices.size > 0) showDevice(s.deviceList()[0].device_id, currentPlan());
  else chart.refreshThreshold();
});

/** Runs a load step; a failure is shown on the page instead of breaking the others. */
async function attempt(what, fn) {
  try {
    await fn();
    return true;
  } catch (e) {
    showLoadError(`Could not load ${what}: ${e.message}`);
    return false;
  }
}

const loadConfig = () => attempt('the settings', async () => store.setConfig(await api.config()));
const loadDevices = () => attempt('the devices', async () => store.setDevices(await api.devices()));
const loadActiveAlerts = async () => store.ingestAlertRows(await api.alerts('active'));
const loadRecentAlerts = async () => store.ingestAlertRows(await api.alerts('all', {limit: 20}));
const loadHistory = () => attempt('the alert history', async () =>
  store.ingestAlertRows(await api.alerts('all', {start: new Date(Date.now() - HISTORY_DAYS * 86400_000)})));
const loadLatest = async () => {
  for (const r of (await api.latest(10)).reverse()) ingestReading(r);
};

function ingestReading(r) {
  const known = store.devices.has(r?.device_id);
  if (store.ingestReading(r)) {
    chart.addReading(r);
    sessions.onReading(r);
  }
  if (!known) refreshDevicesSoon();
}

// A device seen for the first time, or an alert judged by a threshold the device list does not show
// yet (it was just changed): fetch the registry entries (name, site, threshold) soon.
let devicesTimer = null;
function refreshDevicesSoon() {
  devicesTimer ??= setTimeout(() => {
    devicesTimer = null;
    loadDevices();
  }, 300);
}

/** Everything that the feed may have missed while it was down. */
async function resync() {
  const ok = await Promise.all([
    loadConfig(),
    loadDevices(),
    attempt('the latest readings', loadLatest),
    attempt('the active alerts', loadActiveAlerts),
    loadHistory(),
    sessions.loadLive().then(() => true),
    sessions.loadRecent().then(() => true),
  ]);
  if (ok.every(Boolean)) showLoadError(null);
}

const feed = new LiveFeed({
  onReading: ingestReading,
  onSession: s => sessions.onSession(s),
  onAlert: a => {
    const newThreshold = a?.kind === POWER && a.threshold_w != null && a.threshold_w !== store.thresholdOf(a.device_id);
    if (!store.devices.has(a?.device_id) || newThreshold) refreshDevicesSoon();
    store.ingestAlert(a);
  },
  onAck: ack => store.ingestAck(ack),
  onOpen: () => {
    resync();
    // Readings published just before the feed opened reach the page only through the database,
    // which the sink writes a moment later: look again once it has caught up.
    for (const ms of CATCH_UP_MS) setTimeout(() => loadLatest().catch(() => {}), ms);
  },
  poll: () => Promise.all([loadLatest(), loadRecentAlerts()]),
  onState: renderConnection,
});

// Chart controls.
const form = byId('chart-controls');
const customBox = byId('custom-range');
const fromInput = byId('custom-from');
const toInput = byId('custom-to');

function rangeKind() {
  return form.elements.range.value;
}

function currentPlan() {
  return planRange(rangeKind(), toDate(fromInput.value), toDate(toInput.value));
}

function showChart() {
  let plan;
  try {
    plan = currentPlan();
  } catch (e) {
    byId('chart-summary').textContent = e.message;
    return;
  }
  showDevice(byId('chart-device').value || chart.device, plan);
}

form.addEventListener('change', e => {
  const t = e.target;
  if (t.name === 'range') {
    customBox.hidden = t.value !== 'custom';
    if (t.value === 'custom') {
      if (!fromInput.value) fromInput.value = toLocalInput(new Date(Date.now() - 3 * 3600_000));
      if (!toInput.value) toInput.value = toLocalInput(new Date());
      return; // wait for "Show"
    }
    showChart();
  } else if (t.id === 'chart-device') {
    showChart();
  } else if (t.id === 'show-voltage') {
    chart.setVisible('voltage', t.checked);
  } else if (t.id === 'show-current') {
    chart.setVisible('current', t.checked);
  }
});
form.addEventListener('submit', e => {
  e.preventDefault();
  showChart();
});
byId('reset-zoom').addEventListener('click', () => chart.resetZoom());

// The export of what the chart shows: the selected device's readings over the chosen range.
byId('csv-export').addEventListener('click', () => {
  let plan;
  try {
    plan = currentPlan();
  } catch (e) {
    byId('chart-summary').textContent = e.message;
    return;
  }
  const link = h('a', {href: api.csvUrl(byId('chart-device').value || chart.device, plan.start, plan.end), download: ''});
  document.body.append(link);
  link.click();
  link.remove();
});

// Login, log-out and acknowledgements.
byId('login-form').addEventListener('submit', async e => {
  e.preventDefault();
  const field = byId('login-token');
  try {
    await session.login(field.value.trim());
    showLoginError(null);
    showLoadError(null);
    resync();
  } catch (err) {
    showLoginError(`Log-in failed: ${err.message}`);
  } finally {
    field.value = '';
    renderSession(session.current);
    store.changed();
  }
});
byId('logout').addEventListener('click', async () => {
  await session.logout().catch(() => {});
  renderSession(null);
  store.changed();
});
byId('alert-history').addEventListener('click', async e => {
  const button = e.target.closest('button.ack');
  if (!button) return;
  button.disabled = true;
  try {
    store.ingestAck(await api.ack(button.dataset.alertId));
  } catch (err) {
    button.disabled = false;
    showLoadError(`Could not acknowledge the alert: ${err.message}`);
  }
});

// Start: who is logged in, data, then the feed (which resyncs again once it is open).
session.load().catch(() => null).then(current => {
  renderSession(current);
  return resync();
}).finally(() => feed.start());
setInterval(() => {
  loadDevices();
  // The thresholds come from the stream processor: while it was unreachable there were none to draw.
  if (store.defaultThresholdW === null) loadConfig();
}, DEVICES_REFRESH_MS);
setInterval(loadHistory, HISTORY_REFRESH_MS);
setInterval(() => store.changed(), AGES_REFRESH_MS);
