// Reading an agent's full GET /telemetry answer (through GET /api/devices/<id>/telemetry/latest) defensively: each
// series with its value, or the agent's own reason when it has none. Nothing here invents a value: a missing field
// is "unavailable" with the reason the agent gave, or "not reported by this agent" when it gave none.
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const numOr = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

// The section of the answer, or {available:false, reason} when absent.
export function section(tel, name) {
  const s = tel?.[name];
  if (isObj(s)) return s;
  return { available: false, reason: null };
}

// Why a section has nothing: the agent's reason, or null (the caller says "not reported").
export function reasonOf(tel, name) {
  const s = section(tel, name);
  if (s.available === false) return s.reason ?? null;
  return null;
}

// The flat figures the history charts use (same as the controller stores: src/controller/telemetry_poller.cpp).
export function flatSample(tel, t) {
  return {
    t,
    cpu_usage_ratio: numOr(tel?.cpu?.usage_ratio),
    memory_used_ratio: numOr(tel?.memory?.used_ratio),
    temperature_c: numOr(tel?.thermal?.max_celsius),
    power_w: numOr(tel?.power?.total_watts),
    energy_per_inference_j: numOr(tel?.energy_model?.per_inference_j),
    storage_used_ratio: numOr(tel?.storage?.used_ratio),
    inference_per_s: numOr(tel?.inference?.throughput_per_s),
    inference_latency_p50_s: numOr(tel?.inference?.latency_p50_s),
    active_model: typeof tel?.energy_model?.model === 'string' ? tel.energy_model.model : '',
  };
}

// Why a flat history figure is missing on this device now, in the agent's words (null when it gave none).
export function flatReason(tel, field) {
  switch (field) {
    case 'cpu_usage_ratio': return reasonOf(tel, 'cpu');
    case 'memory_used_ratio': return reasonOf(tel, 'memory');
    case 'temperature_c': return reasonOf(tel, 'thermal');
    case 'power_w': return reasonOf(tel, 'power');
    case 'storage_used_ratio': return reasonOf(tel, 'storage');
    case 'energy_per_inference_j': {
      const e = section(tel, 'energy_model');
      if (e.available === false) return e.reason ?? null;
      return e.gross_energy_per_inference_reason ?? e.net_energy_reason ?? null;
    }
    default: return null;
  }
}

// Live detail series, each {key, values: {seriesName: number|null}} from one answer.
export function detailValues(tel) {
  const rails = {};
  for (const r of section(tel, 'power').rails ?? []) if (r?.rail) rails[r.rail] = numOr(r.watts);
  const cores = {};
  (section(tel, 'cpu').per_core_usage_ratio ?? []).forEach((v, i) => { cores[`cpu${i}`] = numOr(v) === null ? null : v * 100; });
  const freqs = {};
  for (const c of section(tel, 'cpu_frequency').cores ?? []) if (c && c.core !== undefined) freqs[`cpu${c.core}`] = numOr(c.hz) === null ? null : c.hz / 1e6;
  const gpu = section(tel, 'gpu');
  const emc = section(tel, 'emc');
  const fans = {};
  for (const f of section(tel, 'fans').fans ?? []) if (f?.fan) fans[f.fan] = numOr(f.rpm);
  const temps = {};
  for (const s of section(tel, 'thermal').sensors ?? []) if (s) temps[s.type ?? s.sensor] = numOr(s.celsius);
  return {
    rails, cores, freqs, fans, temps,
    gpu: { load: numOr(gpu.load_ratio) === null ? null : gpu.load_ratio * 100, mhz: numOr(gpu.freq_hz) === null ? null : gpu.freq_hz / 1e6 },
    emc: { load: numOr(emc.load_ratio) === null ? null : emc.load_ratio * 100, mhz: numOr(emc.freq_hz) === null ? null : emc.freq_hz / 1e6 },
  };
}

// Throttling: {now: bool|null, flags: [{flag, active_now, occurred, events, source}]} or null with a reason.
export function throttleState(tel) {
  const s = section(tel, 'throttle');
  if (s.available === false) return { available: false, reason: s.reason ?? null };
  return { available: true, now: typeof s.throttled_now === 'boolean' ? s.throttled_now : null,
    flags: Array.isArray(s.flags) ? s.flags.filter(isObj) : [] };
}

export function powerMode(tel) {
  const s = section(tel, 'power_mode');
  if (s.available === false) return { available: false, reason: s.reason ?? null };
  return { available: true, name: s.name ?? null, id: s.id ?? null, jetsonClocks: s.jetson_clocks_active ?? null };
}
