// Live detail of one device (the first one chosen), from its agent's full telemetry once a second: power per rail,
// CPU load per core, CPU clock per core, GPU load and clock, EMC (memory controller) load, fans, temperature per
// sensor. The controller keeps no history of these: they start when the view is opened (the panel says so). A
// series the device does not have shows the agent's reason instead of a chart.
import { t, onLanguageChange } from '../../i18n.js';
import { el, say } from '../../dom.js';
import { num } from '../../format.js';
import { timeChart } from '../../charts.js';
import { detailValues, reasonOf } from '../../telemetry_detail.js';
import { PALETTE } from '../../devices.js';

// key: which part of detailValues(); section: the telemetry section whose reason explains an absence.
export const DETAILS = [
  { key: 'rails', label: 'detail.rails', unit: 'W', section: 'power', pick: (v) => v.rails },
  { key: 'cores', label: 'detail.cores', unit: '%', section: 'cpu', range: [0, 100], pick: (v) => v.cores },
  { key: 'freqs', label: 'detail.freqs', unit: 'MHz', section: 'cpu_frequency', pick: (v) => v.freqs },
  { key: 'gpu_load', label: 'detail.gpu_load', unit: '%', section: 'gpu', range: [0, 100], pick: (v) => ({ GPU: v.gpu.load }) },
  { key: 'gpu_freq', label: 'detail.gpu_freq', unit: 'MHz', section: 'gpu', pick: (v) => ({ GPU: v.gpu.mhz }) },
  { key: 'emc', label: 'detail.emc', unit: '%', section: 'emc', range: [0, 100], pick: (v) => ({ EMC: v.emc.load }) },
  { key: 'fans', label: 'detail.fans', unit: 'rpm', section: 'fans', pick: (v) => v.fans },
  { key: 'temps', label: 'detail.temps', unit: '°C', section: 'thermal', pick: (v) => v.temps },
];

export class DetailCharts {
  constructor(box) {
    this.box = box;
    this.panels = new Map();
    this.reset('');
    for (const d of DETAILS) {
      const title = el('h3', {}, t(d.label));
      const now = el('ul', { class: 'now' });
      const note = el('p', { class: 'msg', hidden: true });
      const chartBox = el('div', { class: 'chart' });
      const panel = el('article', { class: 'panel chart-panel', dataset: { detail: d.key, points: '0' } }, title, now, note, chartBox);
      box.append(panel);
      this.panels.set(d.key, { panel, title, now, note, chartBox, chart: null, names: [] });
    }
    onLanguageChange(() => { for (const d of DETAILS) this.panels.get(d.key).title.textContent = t(d.label); this.render(); });
  }

  reset(deviceId) {
    this.deviceId = deviceId;
    this.xs = [];
    this.ys = new Map();  // detail key -> Map name -> values[]
    this.tel = null;
    for (const p of this.panels.values()) { p.chart?.destroy(); p.chart = null; p.names = []; p.chartBox.replaceChildren(); }
  }

  // One answer of the agent (t: its sample time).
  add(tel, tSample, windowStart) {
    if (this.xs.length && tSample <= this.xs[this.xs.length - 1]) { this.tel = tel; return false; }
    this.tel = tel;
    const v = detailValues(tel);
    const n = this.xs.length;
    this.xs.push(tSample);
    for (const d of DETAILS) {
      if (!this.ys.has(d.key)) this.ys.set(d.key, new Map());
      const series = this.ys.get(d.key);
      const values = d.pick(v);
      for (const name of Object.keys(values)) if (!series.has(name)) series.set(name, new Array(n).fill(null));
      for (const [name, arr] of series) arr.push(values[name] ?? null);
    }
    let cut = 0;
    while (cut < this.xs.length && this.xs[cut] < windowStart) cut++;
    if (cut) { this.xs.splice(0, cut); for (const s of this.ys.values()) for (const arr of s.values()) arr.splice(0, cut); }
    return true;
  }

  async render() {
    for (const d of DETAILS) {
      const p = this.panels.get(d.key);
      const series = this.ys.get(d.key) ?? new Map();
      const names = [...series.keys()];
      const has = names.some((name) => series.get(name).some((v) => v !== null));
      const reason = this.tel ? reasonOf(this.tel, d.section) : null;
      p.panel.dataset.points = String(has ? this.xs.length : 0);
      if (!has) {
        p.chartBox.hidden = true;
        p.now.replaceChildren();
        say(p.note, !this.tel ? t('common.loading') : reason ? t('status.unavailable_reason', { reason }) : t('detail.no_values'), 'warn');
        continue;
      }
      say(p.note, '');
      p.chartBox.hidden = false;
      if (!p.chart || names.join('|') !== p.names.join('|')) {
        p.chart?.destroy();
        p.chartBox.replaceChildren();
        p.names = names;
        p.chart = await timeChart(p.chartBox, { series: names.map((name, i) => ({ label: name, color: PALETTE[i % PALETTE.length] })),
          yRange: d.range });
      }
      p.chart.plot.setData([this.xs, ...names.map((name) => series.get(name))]);
      p.now.replaceChildren(...names.map((name, i) => {
        const arr = series.get(name);
        const v = arr[arr.length - 1];
        return el('li', { dataset: { series: name } }, el('span', { class: 'swatch', style: `background:${PALETTE[i % PALETTE.length]}` }),
          el('span', { class: 'who' }, name), ' ', el('span', { class: 'value' }, v === null ? t('common.unavailable') : `${num(v)} ${d.unit}`));
      }));
    }
  }
}
