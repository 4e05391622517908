// Turning stored telemetry samples into chart series. A sample is the agent's snapshot JSON (cpu, memory, storage,
// thermal, power, energy sections, each with `available` and a `reason` when not) as the controller stored it;
// flat column names are read too. A section that is unavailable in every sample is reported with its reason.

const pct = (v) => (v === null || v === undefined ? null : v * 100);

export const METRICS = [
  { key: 'cpu', label: 'mon.cpu', color: '#1f6feb', range: [0, 100], section: (s) => s.cpu,
    value: (s) => pct(s.cpu?.usage_ratio ?? s.cpu_usage_ratio) },
  { key: 'ram', label: 'mon.ram', color: '#8250df', range: [0, 100], section: (s) => s.memory,
    value: (s) => pct(s.memory?.used_ratio ?? s.memory_used_ratio) },
  { key: 'temp', label: 'mon.temp', color: '#cf222e', section: (s) => s.thermal,
    value: (s) => s.thermal?.max_celsius ?? s.temperature_c ?? null },
  { key: 'storage', label: 'mon.storage', color: '#9a6700', range: [0, 100], section: (s) => s.storage,
    value: (s) => pct(s.storage?.used_ratio ?? s.storage_used_ratio) },
  { key: 'power', label: 'mon.power', color: '#1a7f37', power: true, section: (s) => s.power,
    value: (s) => s.power?.total_watts ?? s.power_w ?? null },
  { key: 'energy', label: 'mon.energy', color: '#0a7ea4', power: true, section: (s) => s.energy,
    value: (s) => s.energy?.total_joules ?? s.energy_j ?? null },
];

export const timestampOf = (s) => s.timestamp_s ?? s.ts ?? s.t ?? null;

export function samplesOf(data) {
  if (Array.isArray(data)) return data;
  return data?.samples ?? data?.points ?? data?.telemetry ?? [];
}

// Why a metric has no points: the reason of the last sample whose section said unavailable, or null if it has points.
export function unavailableReason(metric, samples) {
  let reason = null;
  for (const s of samples) {
    if (metric.value(s) !== null) return null;
    const sec = metric.section(s);
    if (sec && sec.available === false) reason = sec.reason || 'unavailable';
  }
  return reason;
}

// Appends new samples (sorted by time, later than the last one held) to per-metric arrays, and drops points older
// than the window. Kept as plain arrays so uPlot gets them without copying.
export class SeriesStore {
  constructor() { this.clear(); }
  clear() { this.xs = []; this.ys = Object.fromEntries(METRICS.map((m) => [m.key, []])); this.samples = []; }
  get lastTs() { return this.xs.length ? this.xs[this.xs.length - 1] : null; }
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
}
