// The Monitoring view: per registered device, charts of the telemetry the controller stored
// (GET /api/devices/<id>/telemetry?since=&until=&step= for the chosen range), then new points live from
// GET /api/devices/<id>/telemetry/stream (server-sent `sample` and `offline` events); the device's state, active
// model, and measured against predicted energy (GET /api/energy/compare).
import { get, query } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { $, el, num, say, table, when } from '../dom.js';
import { loadDevices } from '../devices.js';
import { timeChart } from '../charts.js';
import { METRICS, SeriesStore, samplesOf, whyEmpty } from './telemetry_series.js';

const STATUS_MS = 5000;        // device list (online, last seen) and the comparison are asked again this often
const MAX_POINTS = 17280;      // 24 h of 5-second samples; longer ranges ask the controller to average into buckets

export async function startMonitoring() {
  const picker = $('#mon-device');
  const range = $('#mon-range');
  const msg = $('#mon-msg');
  const chartsBox = $('#mon-charts');
  const store = new SeriesStore();
  const charts = new Map();  // metric key -> {panel, plot, note, title, count}
  let devices = [];
  let compare = [];          // rows of /api/energy/compare
  let offlineError = null;   // the last `offline` event of the stream, cleared by the next sample
  let stream = null;
  let timer = 0;
  let visible = false;
  let drawQueued = false;
  let loadSeq = 0;

  for (const m of METRICS) {
    const title = el('h2', {}, t(m.label));
    const note = el('p', { class: 'msg', hidden: true });
    const box = el('div', { class: 'chart' });
    const count = el('small', { class: 'points' });
    const panel = el('article', { class: 'panel chart-panel', dataset: { metric: m.key, points: '0' } }, title, count, note, box);
    chartsBox.append(panel);
    charts.set(m.key, { panel, title, note, box, count, plot: await timeChart(box, { label: t(m.label), color: m.color, yRange: m.range }) });
  }

  const device = () => devices.find((x) => x.id === picker.value);

  async function refreshDevices() {
    const r = await loadDevices();
    devices = r.devices;
    const chosen = picker.value;
    const labels = devices.map((d) => [d.id, `${d.name} (${d.address})`]);
    const same = picker.options.length === labels.length &&
      labels.every(([v, text], i) => picker.options[i].value === v && picker.options[i].text === text);
    if (!same) picker.replaceChildren(...labels.map(([v, text]) => el('option', { value: v }, text)));
    if (devices.some((d) => d.id === chosen)) picker.value = chosen;
    if (!r.ok) say(msg, r.message, 'warn');
    else if (!devices.length) say(msg, t('mon.pick_device'));
    return r.ok && devices.length > 0;
  }

  async function refreshCompare() {
    const out = $('#cmp-table');
    const cmsg = $('#cmp-msg');
    const r = await get('/api/energy/compare');
    if (!r.ok) { compare = []; out.replaceChildren(); say(cmsg, r.message, r.missing ? 'warn' : 'error'); return; }
    compare = r.data.devices ?? [];
    renderCompare();
  }

  function renderCompare() {
    const out = $('#cmp-table');
    const cmsg = $('#cmp-msg');
    if (!compare.length) { out.replaceChildren(); say(cmsg, t('mon.compare_none')); return; }
    say(cmsg, '');
    const mj = (v) => (v == null ? t('common.unavailable') : `${num(v)} mJ`);
    out.replaceChildren(table(
      [t('mon.col_device'), t('mon.col_model'), t('mon.col_predicted_run'), t('mon.col_predicted'), t('mon.col_measured'), t('mon.col_error')],
      compare.map((c) => el('tr', { dataset: { device: String(c.device_id) }, class: String(c.device_id) === picker.value ? 'selected' : '' },
        el('td', {}, c.device), el('td', {}, c.model),
        el('td', { class: 'n' }, c.predicted_energy_mwh == null ? t('common.unavailable') : `${num(c.predicted_energy_mwh)} mWh (${c.prediction_source})`),
        el('td', { class: 'n' }, mj(c.predicted_per_inference_mj)),
        el('td', { class: c.measured_per_inference_mj == null ? 'wrap' : 'n' }, c.measured_per_inference_mj == null
          ? `${t('common.unavailable')}: ${c.measured_unavailable ?? ''}` : mj(c.measured_per_inference_mj)),
        el('td', { class: 'n' }, c.error_pct == null ? '' : `${c.error_pct > 0 ? '+' : ''}${num(c.error_pct)} %`)))));
    out.querySelector('table').id = 'cmp-entries';
  }

  function renderStatus() {
    const d = device();
    const out = $('#mon-status');
    if (!d) { out.replaceChildren(); return; }
    const item = (k, v) => [el('dt', {}, t(k)), el('dd', {}, v)];
    const online = offlineError ? false : d.online;
    const error = offlineError ?? d.raw.last_error;
    const sampled = store.last?.active_model;
    const deployed = compare.find((c) => String(c.device_id) === d.id);
    const active = sampled ? sampled
      : deployed ? t('mon.from_deployment', { model: deployed.model, id: deployed.deployment_id }) : t('common.none');
    out.replaceChildren(
      ...item('mon.status', `${online === null ? '?' : t(online ? 'device.online' : 'device.offline')}` +
        (d.lastSeen ? ` · ${t('device.last_seen', { when: when(d.lastSeen) })}` : '') +
        (!online && error ? ` · ${error}` : '')),
      ...item('mon.active_model', active),
      ...item('mon.inference_rate', store.last?.inference_per_s == null ? t('mon.loop_idle')
        : `${Number(store.last.inference_per_s.toPrecision(3))} /s`),
      ...item('mon.latency', store.last?.inference_latency_p50_s == null ? t('mon.loop_idle')
        : `${Number((store.last.inference_latency_p50_s * 1000).toPrecision(3))} ms (p50)`));
  }

  function renderCharts() {
    drawQueued = false;
    chartsBox.hidden = !picker.value;  // no device, no charts: the message above says why
    for (const m of METRICS) {
      const c = charts.get(m.key);
      c.title.textContent = t(m.label);
      const why = whyEmpty(m, store.samples);
      const n = store.samples.length;
      if (why === 'not_recorded') say(c.note, t('mon.not_recorded', { field: m.field }), 'warn');
      else if (why && m.key === 'power') say(c.note, `${t('mon.no_power')} (${t('mon.no_value', { n })})`, 'warn');
      else if (why && m.key === 'energy') say(c.note, t('mon.no_energy', { n }), 'warn');
      else if (why) say(c.note, t('mon.no_sensor', { reason: t('mon.no_value', { n }) }), 'warn');
      else say(c.note, '');
      c.box.hidden = !!why;
      const points = store.count(m.key);
      c.count.textContent = t('mon.points', { n: points });
      c.panel.dataset.points = String(points);
      c.plot.setData([store.xs, store.ys[m.key]]);
    }
  }

  function draw() {  // many stream events in a burst: one redraw per frame
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(renderCharts);
  }

  function closeStream() { stream?.close(); stream = null; }

  // New points as the controller stores them. On every (re)connection, fetch what was stored since the last point
  // held, so a dropped connection leaves no gap.
  function openStream(id) {
    closeStream();
    const es = new EventSource(`/api/devices/${encodeURIComponent(id)}/telemetry/stream`);
    stream = es;
    es.addEventListener('open', () => { if (stream === es) loadSince(id, store.lastTs, loadSeq); });
    es.addEventListener('sample', (ev) => {
      let s;
      try { s = JSON.parse(ev.data); } catch { return; }
      offlineError = null;
      if (store.append([s])) { store.trim(Date.now() / 1000 - Number(range.value)); say(msg, ''); draw(); renderStatus(); }
    });
    es.addEventListener('offline', (ev) => {
      try { offlineError = JSON.parse(ev.data).error ?? 'offline'; } catch { offlineError = 'offline'; }
      say(msg, t('mon.unreachable', { error: offlineError }), 'error');
      renderStatus();
    });
  }

  async function loadSince(id, since, seq) {
    const now = Date.now() / 1000;
    const windowS = Number(range.value);
    const step = windowS / MAX_POINTS >= 5 ? windowS / MAX_POINTS : 0;
    const r = await get(`/api/devices/${encodeURIComponent(id)}/telemetry` +
      query({ since: since ?? now - windowS, until: now + 60, step: since === null ? step : 0 }));
    if (seq !== loadSeq) return;  // another device or range was chosen meanwhile
    if (!r.ok) { say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    store.append(samplesOf(r.data));
    store.trim(now - windowS);
    if (!store.xs.length) say(msg, t('mon.no_data'), 'warn');
    else if (!offlineError) say(msg, '');
    renderCharts();
    renderStatus();
  }

  // A device or range chosen: the stored history of the range, then the live stream.
  async function load() {
    const seq = ++loadSeq;
    closeStream();
    store.clear();
    offlineError = null;
    const id = picker.value;
    renderStatus();
    if (!id) { renderCharts(); return; }
    await loadSince(id, null, seq);
    if (seq === loadSeq && visible) openStream(id);
  }

  async function tick() {
    await refreshDevices();
    await refreshCompare();
    renderStatus();
  }

  picker.addEventListener('change', () => { load(); renderCompare(); });
  range.addEventListener('change', load);
  onLanguageChange(() => { renderStatus(); renderCharts(); renderCompare(); });

  await refreshDevices();
  await refreshCompare();
  renderCharts();
  return {  // show() loads the chosen device's history and opens its stream; hide() closes it
    show() {
      if (visible) return;
      visible = true;
      clearInterval(timer);
      timer = setInterval(tick, STATUS_MS);
      load();
    },
    hide() { visible = false; clearInterval(timer); closeStream(); },
  };
}
