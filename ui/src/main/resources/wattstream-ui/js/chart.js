// The power chart (uPlot, loaded from the webjar as window.uPlot): one device at a time, live
// readings of the last 15 minutes or window aggregates for longer ranges, threshold line, drag to
// zoom, voltage and current as optional series on their own axes.

import {api} from './api.js';
import {byId} from './dom.js';
import {DASH, formatDateTime, formatNumber, toDate} from './format.js';

const LIVE_SPAN_S = 15 * 60;
const HOUR_S = 3600;
const AGG_REFRESH_MS = 30_000;
const LEVEL_NAMES = {'1m': '1-minute', '1h': '1-hour', '1d': 'daily'};
const SERIES = {power: 1, threshold: 2, voltage: 3, current: 4, powerMax: 5};
const COLORS = {power: '#0a58ca', threshold: '#a40e26', voltage: '#8250df', current: '#116329', powerMax: '#6c8ebf', axis: '#57606a', grid: '#eaeef2'};

const seconds = value => toDate(value).getTime() / 1000;
const unit = (suffix, digits = 1) => (u, v) => (v == null ? DASH : `${formatNumber(v, digits)} ${suffix}`);

/**
 * How a range is queried: 'live' reads raw readings; 1 h and 24 h read 1-minute aggregates; a custom
 * range leaves the level to the API ('auto': 1-minute, hourly or daily windows by the range's length).
 */
export function planRange(kind, from, to, now = new Date()) {
  switch (kind) {
    case 'live': return {kind, start: new Date(now - LIVE_SPAN_S * 1000), end: null, window: null};
    case '1h': return {kind, start: new Date(now - HOUR_S * 1000), end: now, window: '1m'};
    case '24h': return {kind, start: new Date(now - 24 * HOUR_S * 1000), end: now, window: '1m'};
    case 'custom': {
      if (!from || !to) throw new RangeError('Choose both a start and an end.');
      if (!(from < to)) throw new RangeError('The start must be before the end.');
      return {kind, start: from, end: to, window: 'auto'};
    }
    default: throw new RangeError(`unknown range ${kind}`);
  }
}

export class PowerChart {
  #store;
  #el = byId('chart');
  #summary = byId('chart-summary');
  #u = null;
  #device = null;
  #plan = planRange('live');
  /** live: [{t, power, voltage, current}]; aggregates: [{t, power, powerMax, voltage, current}] */
  #points = [];
  #zoomed = false;
  #loading = 0;
  #buffer = null;
  #visible = {voltage: false, current: false};
  #error = null;
  /** The aggregate level that answered the current range ('1m', '1h' or '1d'). */
  #level = null;

  constructor(store) {
    this.#store = store;
    new ResizeObserver(() => this.#resize()).observe(this.#el);
    // Keep the live window sliding even when no reading arrives.
    setInterval(() => this.#plan.kind === 'live' && this.#trimAndDraw(), 5000);
    // 1 h and 24 h end "now": fetch the minutes that closed since, keeping any zoom.
    setInterval(() => (this.#plan.kind === '1h' || this.#plan.kind === '24h') && this.#refreshAggregates(), AGG_REFRESH_MS);
  }

  get device() {
    return this.#device;
  }

  /** Shows a device over a range (see planRange); reloads the data. */
  async show(device, plan = this.#plan) {
    this.#device = device;
    this.#plan = plan;
    this.#setZoomed(false);
    this.#error = null;
    const seq = ++this.#loading;
    this.#buffer = [];
    this.#points = [];
    this.#build();
    if (!device) return this.#describe();
    this.#summary.textContent = 'Loading…';
    try {
      const points = plan.window == null
        ? (await api.measurements(device, plan.start, plan.end)).map(r => readingPoint(r))
        : await this.#fetchAggregates(plan, device);
      if (seq !== this.#loading) return;
      this.#points = points;
      for (const p of this.#buffer) this.#insert(p);
    } catch (e) {
      if (seq !== this.#loading) return;
      this.#error = e.message;
    } finally {
      if (seq === this.#loading) this.#buffer = null;
    }
    this.#trimAndDraw();
  }

  async #refreshAggregates() {
    const seq = this.#loading;
    const plan = planRange(this.#plan.kind);
    try {
      const points = await this.#fetchAggregates(plan, this.#device);
      if (seq !== this.#loading) return; // the view changed meanwhile
      this.#plan = plan;
      this.#points = points;
      this.#error = null;
      this.#draw(!this.#zoomed);
    } catch (e) {
      // Keep what is shown; the next refresh tries again.
    }
  }

  async #fetchAggregates(plan, device) {
    const body = await api.aggregates(plan.window, plan.start, plan.end, device);
    this.#level = body.window;
    return body.results
      .filter(w => w.device_id == null || w.device_id === device)
      .map(w => ({t: seconds(w.window_start), power: w.power_avg, powerMax: w.power_max, voltage: w.voltage_avg, current: w.current_avg}))
      .sort((a, b) => a.t - b.t);
  }

  /** A reading from the feed: appended when it belongs to the live view. */
  addReading(r) {
    if (this.#plan.kind !== 'live' || r.device_id !== this.#device || toDate(r.timestamp) == null) return;
    const p = readingPoint(r);
    if (this.#buffer) this.#buffer.push(p);
    else {
      this.#insert(p);
      this.#trimAndDraw();
    }
  }

  setVisible(name, show) {
    this.#visible[name] = show;
    this.#u?.setSeries(SERIES[name], {show});
  }

  resetZoom() {
    this.#setZoomed(false);
    this.#draw(true);
  }

  #setZoomed(zoomed) {
    this.#zoomed = zoomed;
    this.#el.dataset.zoomed = String(zoomed);
  }

  /** The device threshold may change (registry edit, config load): redraw the line. */
  refreshThreshold() {
    if (this.#u) this.#draw(false);
  }

  #insert(p) {
    const pts = this.#points;
    let i = pts.length;
    while (i > 0 && pts[i - 1].t > p.t) i--;
    if (i > 0 && pts[i - 1].t === p.t) pts[i - 1] = p;
    else pts.splice(i, 0, p);
  }

  #trimAndDraw() {
    if (this.#plan.kind === 'live') {
      const cutoff = Date.now() / 1000 - LIVE_SPAN_S;
      const first = this.#points.findIndex(p => p.t >= cutoff);
      this.#points = first < 0 ? [] : this.#points.slice(first);
    }
    this.#draw(!this.#zoomed);
  }

  #threshold() {
    return this.#device ? this.#store.thresholdOf(this.#device) : null;
  }

  #data() {
    const pts = this.#points;
    const thr = this.#threshold();
    const data = [
      pts.map(p => p.t),
      pts.map(p => p.power ?? null),
      pts.map(() => thr),
      pts.map(p => p.voltage ?? null),
      pts.map(p => p.current ?? null),
    ];
    if (this.#plan.window != null) data.push(pts.map(p => p.powerMax ?? null));
    return data;
  }

  #draw(resetX) {
    if (!this.#u) return;
    this.#u.setData(this.#data(), false);
    if (resetX) {
      const [min, max] = this.#xRange();
      this.#u.setScale('x', {min, max});
    }
    this.#describe();
  }

  #xRange() {
    const p = this.#plan;
    if (p.kind === 'live') {
      const now = Date.now() / 1000;
      return [now - LIVE_SPAN_S, now];
    }
    return [p.start.getTime() / 1000, (p.end ?? new Date()).getTime() / 1000];
  }

  #drawThreshold(u) {
    const thr = this.#threshold();
    if (thr == null || !u.series[SERIES.threshold].show) return;
    const y = Math.round(u.valToPos(thr, 'W', true));
    const {left, top, width, height} = u.bbox;
    if (y < top || y > top + height) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = COLORS.threshold;
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(left, y);
    ctx.lineTo(left + width, y);
    ctx.stroke();
    ctx.restore();
  }

  #describe() {
    const n = this.#points.length;
    this.#el.dataset.points = String(n);
    const name = this.#device ? this.#store.nameOf(this.#device) : null;
    let text;
    if (this.#error) text = `Could not load the chart data: ${this.#error}`;
    else if (!name) text = 'No device to show yet.';
    else if (n === 0) text = `${name}: no data in this range.`;
    else {
      const last = this.#points[n - 1];
      const what = this.#plan.window == null ? 'readings' : `${LEVEL_NAMES[this.#level] ?? this.#level} averages`;
      text = `${name}: ${n} ${what}; latest ${formatNumber(last.power)} W at ${formatDateTime(last.t * 1000)}; threshold ${formatNumber(this.#threshold())} W.`;
    }
    this.#summary.textContent = text;
  }

  #size() {
    const width = Math.max(280, this.#el.clientWidth || 600);
    return {width, height: width < 500 ? 240 : 320};
  }

  #resize() {
    if (this.#u) this.#u.setSize(this.#size());
  }

  #build() {
    this.#u?.destroy();
    this.#u = null;
    if (typeof window.uPlot !== 'function') {
      this.#error = 'the chart library did not load';
      return;
    }
    const agg = this.#plan.window != null;
    const series = [
      {label: 'Time', value: (u, v) => (v == null ? DASH : formatDateTime(v * 1000))},
      {label: agg ? 'Power (avg)' : 'Power', scale: 'W', stroke: COLORS.power, width: 2, value: unit('W'),
        points: {size: 5}},
      {label: 'Threshold', scale: 'W', stroke: COLORS.threshold, width: 1.5, dash: [6, 4], points: {show: false}, value: unit('W')},
      {label: 'Voltage', scale: 'V', stroke: COLORS.voltage, width: 1.5, show: this.#visible.voltage, value: unit('V')},
      {label: 'Current', scale: 'A', stroke: COLORS.current, width: 1.5, show: this.#visible.current, value: unit('A', 2)},
    ];
    if (agg) series.push({label: 'Power (max)', scale: 'W', stroke: COLORS.powerMax, width: 1, value: unit('W')});
    const axis = extra => ({stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid}, ...extra});
    const opts = {
      ...this.#size(),
      cursor: {drag: {x: true, y: false, setScale: true}},
      scales: {
        x: {time: true},
        // Power axis always includes 0 and the threshold, so the line is visible next to the data.
        W: {range: (u, min, max) => {
          const thr = this.#threshold() ?? 0;
          const lo = Math.min(0, min ?? 0);
          const hi = Math.max(max ?? 0, thr) * 1.1 || 10;
          return [lo, hi];
        }},
      },
      series,
      axes: [
        axis({}),
        axis({scale: 'W', label: 'Power (W)', size: 60}),
        axis({scale: 'V', side: 1, label: 'Voltage (V)', grid: {show: false}, stroke: COLORS.voltage}),
        axis({scale: 'A', side: 1, label: 'Current (A)', grid: {show: false}, stroke: COLORS.current}),
      ],
      hooks: {
        // The threshold as a line across the whole plot, even where there is no data to pair it with.
        draw: [u => this.#drawThreshold(u)],
        setSelect: [u => { if (u.select.width > 0) this.#setZoomed(true); }],
        // Legend clicks toggle series too: keep the checkboxes in step.
        setSeries: [(u, i) => {
          for (const name of ['voltage', 'current']) {
            if (i === SERIES[name]) {
              this.#visible[name] = u.series[i].show;
              byId(`show-${name}`).checked = u.series[i].show;
            }
          }
        }],
      },
    };
    this.#el.replaceChildren();
    this.#u = new window.uPlot(opts, this.#data(), this.#el);
    this.#u.over.addEventListener('dblclick', () => this.resetZoom());
    const [min, max] = this.#xRange();
    this.#u.setScale('x', {min, max});
  }
}

function readingPoint(r) {
  return {t: seconds(r.timestamp), power: r.power, voltage: r.voltage, current: r.current};
}
