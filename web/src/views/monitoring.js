// The Monitoring view: per registered device, charts of the telemetry the controller stored
// (GET /api/devices/<id>/telemetry?since=&until=), polled every 5 s for new points; the agent's active model,
// inference rate and latency; measured against predicted energy (GET /api/energy/compare).
import { get, query } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { $, el, num, say, table, when } from '../dom.js';
import { loadDevices } from '../devices.js';
import { timeChart } from '../charts.js';
import { METRICS, SeriesStore, samplesOf, unavailableReason } from './telemetry_series.js';

const POLL_MS = 5000;

export async function startMonitoring() {
  const picker = $('#mon-device');
  const range = $('#mon-range');
  const msg = $('#mon-msg');
  const chartsBox = $('#mon-charts');
  const store = new SeriesStore();
  const charts = new Map();  // metric key -> {panel, plot, note, title}
  let devices = [];
  let timer = 0;
  let visible = false;
  let busy = false;

  for (const m of METRICS) {
    const title = el('h2', {}, t(m.label));
    const note = el('p', { class: 'msg', hidden: true });
    const box = el('div', { class: 'chart' });
    const count = el('small', { class: 'points' });
    const panel = el('article', { class: 'panel chart-panel', dataset: { metric: m.key } }, title, count, note, box);
    chartsBox.append(panel);
    charts.set(m.key, { panel, title, note, box, count, plot: await timeChart(box, { label: t(m.label), color: m.color, yRange: m.range }) });
  }

  async function refreshDevices() {
    const r = await loadDevices();
    devices = r.devices;
    const chosen = picker.value;
    picker.replaceChildren(...devices.map((d) => el('option', { value: d.id }, `${d.name} (${d.address})`)));
    if (devices.some((d) => d.id === chosen)) picker.value = chosen;
    if (!r.ok) say(msg, r.message, 'warn');
    else if (!devices.length) say(msg, t('mon.pick_device'));
    return r.ok && devices.length > 0;
  }

  function renderStatus() {
    const d = devices.find((x) => x.id === picker.value);
    const out = $('#mon-status');
    if (!d) { out.replaceChildren(); return; }
    const st = d.raw.status ?? d.raw.agent_status ?? d.raw;
    const loop = st.inference?.loop ?? {};
    const active = st.active_model ?? null;
    const item = (k, v) => [el('dt', {}, t(k)), el('dd', {}, v)];
    out.replaceChildren(
      ...item('mon.status', `${d.online === null ? '?' : t(d.online ? 'device.online' : 'device.offline')}` +
        (d.lastSeen ? ` · ${t('device.last_seen', { when: when(d.lastSeen) })}` : '')),
      ...item('mon.active_model', active ? (active.name ?? active.model_name ?? String(active)) : t('common.none')),
      ...item('mon.inference_rate', loop.throughput_per_s == null ? t('common.unavailable') : `${num(loop.throughput_per_s)} /s`),
      ...item('mon.latency', loop.latency_mean_s == null ? t('common.unavailable') : `${num(loop.latency_mean_s * 1000)} ms`));
  }

  function renderCharts() {
    chartsBox.hidden = !picker.value;  // no device, no charts: the message above says why
    for (const m of METRICS) {
      const c = charts.get(m.key);
      c.title.textContent = t(m.label);
      const reason = store.xs.length ? unavailableReason(m, store.samples) : null;
      const hasPoints = store.ys[m.key].some((v) => v !== null);
      if (!hasPoints && reason) {
        say(c.note, m.power ? `${t('mon.no_power')} (${reason})` : t('mon.no_sensor', { reason }), 'warn');
      } else say(c.note, '');
      c.box.hidden = !hasPoints && !!reason;
      c.count.textContent = t('mon.points', { n: store.ys[m.key].filter((v) => v !== null).length });
      c.panel.dataset.points = String(store.xs.length);
      c.plot.setData([store.xs, store.ys[m.key]]);
    }
  }

  async function pull(reset) {
    if (busy) return;
    const id = picker.value;
    if (!id) { renderCharts(); return; }
    busy = true;
    try {
      const now = Date.now() / 1000;
      const windowS = Number(range.value);
      if (reset) store.clear();
      const since = store.lastTs ?? now - windowS;
      const r = await get(`/api/devices/${encodeURIComponent(id)}/telemetry` + query({ since, until: now + 60 }));
      if (!r.ok) { say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
      store.append(samplesOf(r.data));
      store.trim(now - windowS);
      say(msg, store.xs.length ? '' : t('mon.no_data'), 'warn');
      renderCharts();
    } finally { busy = false; }
  }

  async function pullCompare() {
    const out = $('#cmp-table');
    const cmsg = $('#cmp-msg');
    const r = await get('/api/energy/compare' + query({ device: picker.value }));
    if (!r.ok) { out.replaceChildren(); say(cmsg, r.message, r.missing ? 'warn' : 'error'); return; }
    const rows = Array.isArray(r.data) ? r.data : (r.data.comparisons ?? r.data.items ?? r.data.rows ?? []);
    if (!rows.length) { out.replaceChildren(); say(cmsg, t('mon.compare_none')); return; }
    say(cmsg, '');
    // Show the columns the controller sends, numbers as they are: the comparison's fields belong to issue 5.
    const cols = [...new Set(rows.flatMap((x) => Object.keys(x).filter((k) => typeof x[k] !== 'object')))];
    out.replaceChildren(table(cols, rows.map((x) => el('tr', {}, cols.map((k) =>
      el('td', { class: typeof x[k] === 'number' ? 'n' : '' }, typeof x[k] === 'number' ? num(x[k]) : String(x[k] ?? '')))))));
  }

  async function tick() {
    if (!visible) return;
    await refreshDevices();
    renderStatus();
    await pull(false);
    timer = setTimeout(tick, POLL_MS);
  }

  picker.addEventListener('change', () => { renderStatus(); pull(true); pullCompare(); });
  range.addEventListener('change', () => pull(true));
  onLanguageChange(() => { renderStatus(); renderCharts(); });

  const ok = await refreshDevices();
  renderStatus();
  if (ok) { await pull(true); pullCompare(); } else renderCharts();
  return {
    show() { if (!visible) { visible = true; clearTimeout(timer); timer = setTimeout(tick, POLL_MS); } },
    hide() { visible = false; clearTimeout(timer); },
  };
}
