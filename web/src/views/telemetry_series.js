// Turning the controller's stored telemetry samples into chart series. A sample of GET /api/devices/<id>/telemetry
// (and of the `sample` events of .../telemetry/stream) is flat: {t (Unix s), cpu_usage_ratio (0..1),
// memory_used_ratio (0..1), temperature_c, power_w, energy_per_inference_j, storage_used_ratio (0..1),
// inference_per_s, inference_latency_p50_s, active_model}; null = the agent had no
// value. The chart shows each in the unit of its label (%, °C, W, mJ).

const pct = (v) => (v === null || v === undefined ? null : v * 100);
const same = (v) => (v === undefined ? null : v);

export const METRICS = [
  { key: 'cpu', label: 'mon.cpu', color: '#1f6feb', range: [0, 100], field: 'cpu_usage_ratio', value: (s) => pct(s.cpu_usage_ratio) },
  { key: 'ram', label: 'mon.ram', color: '#8250df', range: [0, 100], field: 'memory_used_ratio', value: (s) => pct(s.memory_used_ratio) },
  { key: 'temp', label: 'mon.temp', color: '#cf222e', field: 'temperature_c', value: (s) => same(s.temperature_c) },
  { key: 'storage', label: 'mon.storage', color: '#9a6700', range: [0, 100], field: 'storage_used_ratio', value: (s) => pct(s.storage_used_ratio) },
  { key: 'power', label: 'mon.power', color: '#1a7f37', power: true, field: 'power_w', value: (s) => same(s.power_w) },
  { key: 'energy', label: 'mon.energy', color: '#0a7ea4', power: true, field: 'energy_per_inference_j',
    value: (s) => (s.energy_per_inference_j == null ? null : s.energy_per_inference_j * 1000) },
];

export const timestampOf = (s) => (typeof s.t === 'number' ? s.t : null);

export function samplesOf(data) { return Array.isArray(data?.samples) ? data.samples : []; }

// Why a metric has no points in the samples held: 'not_recorded' when the controller's samples do not carry the
// field at all, 'no_value' when they carry it but every value is null (the device has no such sensor, or for
// energy per inference no power source or no running model), null when there are points.
export function whyEmpty(metric, samples) {
  if (!samples.length) return null;
  if (samples.some((s) => metric.value(s) !== null)) return null;
  return samples.some((s) => metric.field in s) ? 'no_value' : 'not_recorded';
}

// Appends new samples (sorted by time, later than the last one held) to per-metric arrays, and drops points older
// than the window. Kept as plain arrays so uPlot gets them without copying.
export class SeriesStore {
  constructor() { this.clear(); }
  clear() { this.xs = []; this.ys = Object.fromEntries(METRICS.map((m) => [m.key, []])); this.samples = []; }
  get lastTs() { return this.xs.length ? this.xs[this.xs.length - 1] : null; }
  get last() { return this.samples.length ? this.samples[this.samples.length - 1] : null; }
  append(samples) {
    const fresh = samples.filter((s) => timestampOf(s) !== null && (this.lastTs === null || timestampOf(s) > this.lastTs))
      .sort((a, b) => timestampOf(a) - timestampOf(b));
    for (const s of fresh) {
      this.xs.push(timestampOf(s));
      for (const m of METRICS) this.ys[m.key].push(m.value(s));
    }
    this.samples = this.samples.concat(fresh).slice(-50);  // a few recent ones, for the availability reasons
    return fresh.length;
  }
  trim(since) {
    let i = 0;
    while (i < this.xs.length && this.xs[i] < since) i++;
    if (!i) return;
    this.xs.splice(0, i);
    for (const m of METRICS) this.ys[m.key].splice(0, i);
  }
  count(key) {
    let n = 0;
    for (const v of this.ys[key]) if (v !== null) n++;
    return n;
  }
}
