// The stored history charts of Monitoring: CPU, RAM, temperature, storage, power, energy per inference, each with
// one line per chosen device (overlaid), the current value of each device beside the chart (or, while the pointer is
// over the chart, the values at that time), and for a device without a value the agent's reason.
// Data: the controller's stored samples of the range (GET /api/devices/<id>/telemetry), then live points from the
// agent's full telemetry once a second (monitoring.js feeds them here).
import { t, onLanguageChange } from '../../i18n.js';
import { el, say } from '../../dom.js';
import { num, clock } from '../../format.js';
import { timeChart } from '../../charts.js';
import { align, lastValue } from '../../decimate.js';
import { flatReason } from '../../telemetry_detail.js';

const pct = (v) => (v === null || v === undefined ? null : v * 100);
const same = (v) => (v === undefined ? null : v);

export const METRICS = [
  { key: 'cpu', label: 'mon.cpu', unit: '%', range: [0, 100], field: 'cpu_usage_ratio', value: (s) => pct(s.cpu_usage_ratio) },
  { key: 'ram', label: 'mon.ram', unit: '%', range: [0, 100], field: 'memory_used_ratio', value: (s) => pct(s.memory_used_ratio) },
  { key: 'temp', label: 'mon.temp', unit: '°C', field: 'temperature_c', value: (s) => same(s.temperature_c) },
  { key: 'storage', label: 'mon.storage', unit: '%', range: [0, 100], field: 'storage_used_ratio', value: (s) => pct(s.storage_used_ratio) },
  { key: 'power', label: 'mon.power', unit: 'W', field: 'power_w', value: (s) => same(s.power_w) },
  { key: 'energy', label: 'mon.energy', unit: 'mJ', field: 'energy_per_inference_j',
    value: (s) => (s.energy_per_inference_j == null ? null : s.energy_per_inference_j * 1000) },
];

// One device's samples, as plain arrays per metric (what decimate.align reads).
export class DeviceSeries {
  constructor() { this.clear(); }
  clear() {
    this.xs = [];
    this.ys = Object.fromEntries(METRICS.map((m) => [m.key, []]));
    this.values = Object.fromEntries(METRICS.map((m) => [m.key, 0]));  // non-null values held, per metric
    this.fields = new Set();  // flat fields the samples carried at all
  }
  get lastT() { return this.xs.length ? this.xs[this.xs.length - 1] : null; }
  // Samples later than the last one held, in time order. Returns how many were added.
  append(samples) {
    const fresh = samples.filter((s) => typeof s.t === 'number' && (this.lastT === null || s.t > this.lastT))
      .sort((a, b) => a.t - b.t);
    for (const s of fresh) {
      this.xs.push(s.t);
      for (const m of METRICS) {
        const v = m.value(s);
        this.ys[m.key].push(v);
        if (v !== null) this.values[m.key]++;
        if (m.field in s) this.fields.add(m.field);
      }
    }
    return fresh.length;
  }
  trim(since) {
    let i = 0;
    while (i < this.xs.length && this.xs[i] < since) i++;
    if (!i) return;
    this.xs.splice(0, i);
    for (const m of METRICS) {
      for (const v of this.ys[m.key].splice(0, i)) if (v !== null) this.values[m.key]--;
    }
  }
  count(key) { return this.values[key]; }
}

export class HistoryCharts {
  constructor(box) {
    this.box = box;
    this.panels = new Map();  // metric key -> {panel, title, now, note, chartBox, chart}
    this.devices = [];        // [{id, name, color}]
    for (const m of METRICS) {
      const title = el('h3', {}, t(m.label));
      const now = el('ul', { class: 'now', 'aria-live': 'off' });
      const note = el('p', { class: 'msg', hidden: true });
      const chartBox = el('div', { class: 'chart' });
      const panel = el('article', { class: 'panel chart-panel', dataset: { metric: m.key, points: '0' } }, title, now, note, chartBox);
      box.append(panel);
      this.panels.set(m.key, { panel, title, now, note, chartBox, chart: null, cursor: null });
    }
    onLanguageChange(() => this.rebuild());
  }

  // The devices drawn (order = colour order). Rebuilds the charts when the set changed.
  async setDevices(devices) {
    const key = (list) => list.map((d) => `${d.id}:${d.name}`).join('|');
    if (key(devices) === key(this.devices) && [...this.panels.values()].every((p) => p.chart)) return;
    this.devices = devices;
    await this.rebuild();
  }

  async rebuild() {
    for (const m of METRICS) {
      const p = this.panels.get(m.key);
      p.nowKey = null;
      p.title.textContent = t(m.label);
      p.chart?.destroy();
      p.chartBox.replaceChildren();
      p.chart = await timeChart(p.chartBox, {
        series: this.devices.map((d) => ({ label: d.name, color: d.color })), yRange: m.range,
        onCursor: (idx) => { p.cursor = idx; this.renderNow(m); },
      });
    }
    this.last?.();
  }

  // series: Map id -> DeviceSeries; details: Map id -> latest full telemetry (for reasons); t0..t1 the window.
  draw(series, details, t0, t1) {
    this.last = () => this.draw(series, details, t0, t1);
    this.series = series;
    this.details = details;
    for (const m of METRICS) {
      const p = this.panels.get(m.key);
      if (!p.chart) continue;
      const list = this.devices.map((d) => {
        const s = series.get(d.id);
        return { xs: s?.xs ?? [], ys: s?.ys[m.key] ?? [] };
      });
      // A low/high pair per two pixel columns: peaks stay visible, uPlot draws one point per column at most. The
      // plot's width is what it was last sized to (charts.js follows the panel), so nothing here forces a layout.
      const data = align(list, { t0, t1, buckets: Math.ceil(p.chart.plot.width / 2) });
      p.data = data;
      p.chart.plot.setData(data);
      const points = this.devices.reduce((n, d) => n + (series.get(d.id)?.count(m.key) ?? 0), 0);
      if (p.panel.dataset.points !== String(points)) p.panel.dataset.points = String(points);
      const empty = this.devices.length > 0 && points === 0;
      if (p.chartBox.hidden !== empty) p.chartBox.hidden = empty;
      say(p.note, empty ? t('mon.none_has', { metric: t(m.label) }) : '', 'warn');
      this.renderNow(m);
    }
  }

  // Beside the chart: each device's current value (or at the pointer), or why it has none. The list items are kept
  // and only their text changes, so a redraw does not rebuild the DOM.
  renderNow(m) {
    const p = this.panels.get(m.key);
    if (!this.series) return;
    const cursorX = p.cursor !== null && p.cursor !== undefined && p.data ? p.data[0][p.cursor] : null;
    const key = this.devices.map((d) => `${d.id}:${d.name}:${d.color}`).join('|');
    if (p.nowKey !== key) {
      p.nowKey = key;
      p.items = this.devices.map((d) => {
        const value = el('span', { class: 'value' });
        const li = el('li', { dataset: { device: d.id } }, el('span', { class: 'swatch', style: `background:${d.color}` }),
          el('span', { class: 'who' }, d.name), ' ', value);
        return { li, value };
      });
      p.at = el('li', { class: 'at', hidden: true });
      p.now.replaceChildren(...p.items.map((i) => i.li), p.at);
    }
    this.devices.forEach((d, k) => {
      const s = this.series.get(d.id);
      const list = { xs: s?.xs ?? [], ys: s?.ys[m.key] ?? [] };
      let text;
      let state = 'value';
      if (cursorX !== null) {
        const v = p.data[k + 1][p.cursor] ?? p.data[k + 1][p.cursor - 1];
        text = v === null || v === undefined ? '–' : `${num(v)} ${m.unit}`;
      } else {
        const last = lastValue(list);
        if (last) text = `${num(last.y)} ${m.unit}`;
        else {
          state = 'unavailable';
          const tel = this.details?.get(d.id);
          const why = tel ? flatReason(tel, m.field) : null;
          text = why ? t('status.unavailable_reason', { reason: why })
            : s && s.xs.length && !s.fields.has(m.field) ? t('mon.not_recorded', { field: m.field })
              : s && s.xs.length ? t('mon.no_value', { n: s.xs.length }) : t('mon.no_data_device');
        }
      }
      const item = p.items[k];
      if (item.value.textContent !== text) item.value.textContent = text;
      if (item.li.dataset.state !== state) item.li.dataset.state = state;
      const points = String(s?.count(m.key) ?? 0);
      if (item.li.dataset.points !== points) item.li.dataset.points = points;
    });
    const at = cursorX !== null ? clock(cursorX) : '';
    if (p.at.textContent !== at) p.at.textContent = at;
    p.at.hidden = !at;
  }
}
