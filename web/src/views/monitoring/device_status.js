// A device's current state from its agent's full telemetry (GET /api/devices/<id>/telemetry/latest), as
// label/value pairs: CPU (total and per core), memory, temperature (hottest sensor), power (total and per rail), GPU,
// EMC, fans, power mode, throttling (on Raspberry Pi the under-voltage and throttled flags, now and since boot),
// battery, the inference loop. Each figure the agent lacks shows the agent's own reason.
import { t, term } from '../../i18n.js';
import { el, kv } from '../../dom.js';
import { num, pct, withUnit, hertz, seconds, integer } from '../../format.js';
import { section, reasonOf, powerMode, throttleState } from '../../telemetry_detail.js';

const unavailable = (reason) => el('span', { class: 'unavailable' }, reason ? t('status.unavailable_reason', { reason })
  : t('status.not_reported'));

function cpuText(tel) {
  const c = section(tel, 'cpu');
  if (c.available === false) return unavailable(c.reason);
  const cores = (c.per_core_usage_ratio ?? []).map((v) => num(v * 100, 2)).join(' · ');
  if (c.usage_ratio == null) return unavailable(t('status.cpu_first_sample'));
  return `${pct(c.usage_ratio)}${cores ? ` (${t('status.per_core')}: ${cores} %)` : ''}`;
}

function powerText(tel) {
  const p = section(tel, 'power');
  if (p.available === false) return unavailable(p.reason);
  const rails = (p.rails ?? []).filter((r) => r.watts != null)
    .map((r) => el('li', { dataset: { rail: r.rail } }, `${r.rail}${r.is_total ? ` (${t('status.total')})` : ''}: ${withUnit(r.watts, 'W')}` +
      (r.volts != null ? ` · ${withUnit(r.volts, 'V')}` : '') + (r.amps != null ? ` · ${withUnit(r.amps, 'A')}` : '')));
  return [el('b', {}, withUnit(p.total_watts, 'W')), p.total_method ? el('small', {}, ` (${p.total_method})`) : '',
    rails.length ? el('ul', { class: 'rails' }, rails) : ''];
}

function gpuText(tel) {
  const g = section(tel, 'gpu');
  if (g.available === false) return unavailable(g.reason);
  return `${pct(g.load_ratio)} @ ${hertz(g.freq_hz)}${g.max_freq_hz ? ` / ${hertz(g.max_freq_hz)}` : ''}${g.governor ? ` (${g.governor})` : ''}`;
}

function emcText(tel) {
  const e = section(tel, 'emc');
  if (e.available === false) return unavailable(e.reason);
  return `${e.load_ratio == null ? t('common.unavailable') : pct(e.load_ratio)} @ ${hertz(e.freq_hz)}`;
}

function fanText(tel) {
  const f = section(tel, 'fans');
  if (f.available === false) return unavailable(f.reason);
  return (f.fans ?? []).map((x) => `${x.fan}: ${x.rpm == null ? t('common.unavailable') : `${integer(x.rpm)} rpm`}` +
    (x.pwm_ratio == null ? '' : ` (PWM ${pct(x.pwm_ratio, 2)})`)).join(' · ') || t('common.none');
}

function modeText(tel) {
  const m = powerMode(tel);
  if (!m.available) return unavailable(m.reason);
  return `${m.name ?? '?'}${m.id != null ? ` (#${m.id})` : ''}${m.jetsonClocks == null ? ''
    : ` · jetson_clocks ${t(m.jetsonClocks ? 'status.on' : 'status.off')}`}`;
}

function throttleText(tel) {
  const s = throttleState(tel);
  if (!s.available) return unavailable(s.reason);
  const head = s.now === null ? '' : t(s.now ? 'status.throttled_now' : 'status.not_throttled');
  const flags = s.flags.filter((f) => f.active_now || f.occurred || (f.events ?? 0) > 0)
    .map((f) => el('li', { dataset: { flag: f.flag, now: String(!!f.active_now) } },
      `${term('throttle', f.flag)}: ${t(f.active_now ? 'status.flag_now' : 'status.flag_occurred')}` +
      (f.events ? ` (${integer(f.events)})` : '') + (f.source ? ` — ${f.source}` : '')));
  return [head, flags.length ? el('ul', { class: 'flags' }, flags) : (head ? '' : t('common.none'))];
}

function tempText(tel) {
  const th = section(tel, 'thermal');
  if (th.available === false) return unavailable(th.reason);
  const hottest = (th.sensors ?? []).reduce((a, s) => (a && a.celsius >= s.celsius ? a : s), null);
  return `${withUnit(th.max_celsius, '°C')}${hottest ? ` (${hottest.type ?? hottest.sensor})` : ''}`;
}

function batteryText(tel) {
  const b = section(tel, 'power_supply');
  if (b.available === false) return unavailable(b.reason);
  const bat = (b.batteries ?? [])[0];
  if (!bat) return t('common.none');
  return `${pct(bat.capacity_percent == null ? null : bat.capacity_percent / 100)}${b.on_battery ? ` · ${t('status.on_battery')}` : ''}`;
}

function loopText(tel) {
  const i = tel?.inference;
  if (!i || i.throughput_per_s == null) return unavailable(t('mon.loop_idle'));
  return `${num(i.throughput_per_s)} /s · p50 ${seconds(i.latency_p50_s)}`;
}

function energyText(tel) {
  const e = section(tel, 'energy_model');
  if (e.available === false) return unavailable(e.reason);
  if (e.per_inference_j == null) return unavailable(e.gross_energy_per_inference_reason ?? e.net_energy_reason);
  return `${withUnit(e.per_inference_j * 1000, 'mJ')}${e.model ? ` (${e.model})` : ''}`;
}

// [{key, label, value}] in display order.
export function statusItems(tel) {
  return [
    ['cpu', t('status.cpu'), cpuText(tel)],
    ['memory', t('status.memory'), section(tel, 'memory').available === false ? unavailable(reasonOf(tel, 'memory')) : pct(tel.memory?.used_ratio)],
    ['temperature', t('status.temperature'), tempText(tel)],
    ['power', t('status.power'), powerText(tel)],
    ['gpu', t('status.gpu'), gpuText(tel)],
    ['emc', t('status.emc'), emcText(tel)],
    ['fans', t('status.fans'), fanText(tel)],
    ['power_mode', t('status.power_mode'), modeText(tel)],
    ['throttle', t('status.throttle'), throttleText(tel)],
    ['battery', t('status.battery'), batteryText(tel)],
    ['loop', t('mon.inference_rate'), loopText(tel)],
    ['energy', t('mon.energy'), energyText(tel)],
  ];
}

// A definition list of the items (each <dd data-item="key">).
export function statusList(tel) {
  return statusItems(tel).flatMap(([key, label, value]) => kv(label, value, { 'data-item': key }));
}
