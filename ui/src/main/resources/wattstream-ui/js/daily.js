// Energy (bars) and cost (points) per local day over the last 30 days, for the device the power chart
// shows: closed days from measurement_1d, today's from the stream processor.

import {api} from './api.js';
import {byId} from './dom.js';
import {DASH, formatMoney, formatNumber} from './format.js';

const REFRESH_MS = 60_000;
const COLORS = {energy: '#0a58ca', cost: '#8250df', axis: '#57606a', grid: '#eaeef2'};

export class DailyChart {
  #store;
  #el = byId('daily-chart');
  #summary = byId('daily-summary');
  #u = null;
  #device = null;
  #days = [];
  #seq = 0;

  constructor(store) {
    this.#store = store;
    new ResizeObserver(() => this.#u?.setSize(this.#size())).observe(this.#el);
    setInterval(() => this.#device && this.show(this.#device), REFRESH_MS);
  }

  async show(device) {
    this.#device = device;
    const seq = ++this.#seq;
    if (!device) return this.#describe(null);
    try {
      const rows = await api.daily(device);
      if (seq !== this.#seq) return;
      this.#days = rows.filter(r => r.device_id === device).sort((a, b) => a.day.localeCompare(b.day));
      this.#draw();
      this.#describe(null);
    } catch (e) {
      if (seq === this.#seq) this.#describe(e.message);
    }
  }

  #describe(error) {
    const n = this.#days.length;
    this.#el.dataset.days = String(error ? 0 : n);
    if (error) {
      this.#summary.textContent = `Could not load the daily figures: ${error}`;
      return;
    }
    const name = this.#device ? this.#store.nameOf(this.#device) : null;
    if (!name) {
      this.#summary.textContent = 'No device to show yet.';
      return;
    }
    if (n === 0) {
      this.#summary.textContent = `${name}: no energy recorded in the last 30 days.`;
      return;
    }
    const kwh = this.#days.reduce((sum, d) => sum + (Number(d.energy_wh) || 0), 0) / 1000;
    const priced = this.#days.every(d => d.cost != null) && new Set(this.#days.map(d => d.currency)).size === 1;
    const cost = priced ? this.#days.reduce((sum, d) => sum + Number(d.cost), 0) : null;
    this.#summary.textContent = `${name}: ${formatNumber(kwh, 3)} kWh over ${n} ${n === 1 ? 'day' : 'days'}`
      + (priced ? `, ${formatMoney(cost, this.#days[0].currency)}` : ', cost unknown for some days (no tariff)') + '.';
  }

  #size() {
    const width = Math.max(280, this.#el.clientWidth || 600);
    return {width, height: width < 500 ? 200 : 240};
  }

  #draw() {
    this.#u?.destroy();
    this.#u = null;
    if (typeof window.uPlot !== 'function') return;
    const currency = this.#days.find(d => d.currency)?.currency ?? null;
    const x = this.#days.map(d => Date.parse(d.window_start) / 1000);
    const data = [x, this.#days.map(d => (Number(d.energy_wh) || 0) / 1000),
      this.#days.map(d => (d.cost == null ? null : Number(d.cost)))];
    const bars = window.uPlot.paths?.bars ? window.uPlot.paths.bars({size: [0.7, 40]}) : undefined;
    const axis = extra => ({stroke: COLORS.axis, grid: {stroke: COLORS.grid}, ticks: {stroke: COLORS.grid}, ...extra});
    const day = 86400;
    this.#u = new window.uPlot({
      ...this.#size(),
      scales: {
        x: {time: true, range: (u, min, max) => [(min ?? 0) - day / 2, (max ?? 0) + day / 2]},
        kWh: {range: (u, min, max) => [0, Math.max(max ?? 0, 0.001) * 1.15]},
        cost: {range: (u, min, max) => [0, Math.max(max ?? 0, 0.01) * 1.15]},
      },
      series: [
        {label: 'Day', value: (u, v) => (v == null ? DASH : new Date(v * 1000).toLocaleDateString())},
        {label: 'Energy', scale: 'kWh', stroke: COLORS.energy, fill: 'rgba(10, 88, 202, 0.35)', paths: bars, points: {show: false},
          value: (u, v) => (v == null ? DASH : `${formatNumber(v, 3)} kWh`)},
        {label: 'Cost', scale: 'cost', stroke: COLORS.cost, width: 0, points: {show: true, size: 7, fill: COLORS.cost},
          value: (u, v) => (v == null ? DASH : formatMoney(v, currency))},
      ],
      axes: [
        axis({}),
        axis({scale: 'kWh', label: 'Energy (kWh)', size: 60}),
        axis({scale: 'cost', side: 1, label: currency ? `Cost (${currency})` : 'Cost', grid: {show: false}, stroke: COLORS.cost}),
      ],
    }, data, this.#el);
  }
}
