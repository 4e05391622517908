// The Monitoring view. Choose one or several devices (drawn together) and a range:
//   - a card per device with its current state from its agent (GET /api/devices/<id>/telemetry/latest, once a second:
//     the agent's rate, whatever the controller's --poll-interval), every figure with the agent's reason when absent;
//   - the stored history of the range (GET /api/devices/<id>/telemetry?since=&until=&step=) with those live points
//     added as they come, current values beside each chart (history.js);
//   - live detail of the first chosen device: power per rail, per-core CPU, GPU, EMC, fans, sensors (detail_charts.js).
// Polling runs only while the view is shown and the page visible.
import { get, query } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { $, el, say } from '../dom.js';
import { loadDevices, PALETTE } from '../devices.js';
import { flatSample } from '../telemetry_detail.js';
import { statusChip } from './deployment/targets_panel.js';
import { statusList } from './monitoring/device_status.js';
import { DeviceSeries, HistoryCharts } from './monitoring/history.js';
import { DetailCharts } from './monitoring/detail_charts.js';

const LIVE_MS = 1000;          // the agents sample once a second
const DEVICES_MS = 5000;       // online/offline, names
const MAX_POINTS = 17280;      // per device and range: longer ranges ask the controller to average into buckets
const MAX_DEVICES = 10;

export async function startMonitoring() {
  const pickBox = $('#mon-devices');
  const range = $('#mon-range');
  const msg = $('#mon-msg');
  const cards = $('#mon-status');
  const history = new HistoryCharts($('#mon-charts'));
  const detail = new DetailCharts($('#mon-detail'));
  let devices = [];
  let chosen = [];                 // device ids, in the order they were ticked
  const series = new Map();        // id -> DeviceSeries
  const latest = new Map();        // id -> /telemetry/latest answer
  let visible = false;
  let liveTimer = 0, devTimer = 0;
  let seq = 0;
  let drawQueued = false;

  const windowS = () => Number(range.value);
  const colored = () => chosen.map((id, i) => {
    const d = devices.find((x) => x.id === id);
    return { id, name: d?.name ?? id, color: PALETTE[i % PALETTE.length] };
  });

  function renderPicker() {
    pickBox.replaceChildren(...devices.map((d) => el('label', { class: 'check', dataset: { device: d.id } },
      el('input', { type: 'checkbox', value: d.id, checked: chosen.includes(d.id),
        disabled: !chosen.includes(d.id) && chosen.length >= MAX_DEVICES,
        onchange: (e) => choose(d.id, e.target.checked) }), ' ', d.name, ' ', statusChip(d))));
    if (!devices.length) say(msg, t('mon.pick_device')); else if (!chosen.length) say(msg, t('mon.choose')); else say(msg, '');
  }

  // MQTT-mode agents are not called by the controller: no full telemetry for them, their stored samples only.
  const notCalled = (dev) => !!dev?.transport && dev.transport !== 'lan';

  function renderCards() {
    cards.replaceChildren(...colored().map((d) => {
      const dev = devices.find((x) => x.id === d.id);
      const r = latest.get(d.id);
      return el('article', { class: 'status-card', dataset: { device: d.id } },
        el('h3', {}, el('span', { class: 'swatch', style: `background:${d.color}` }), d.name, ' ', dev ? statusChip(dev) : ''),
        r?.error ? el('p', { class: 'msg msg-warn' }, t('device_page.stale', { age: Math.round(r.age_s), error: r.error })) : null,
        !r && dev?.lastError ? el('p', { class: 'msg msg-error' }, t('mon.unreachable', { error: dev.lastError })) : null,
        r ? el('dl', { class: 'kv' }, statusList(r.telemetry))
          : el('p', { class: 'hint' }, notCalled(dev) ? t('mon.not_called', { transport: dev.transport }) : t('common.loading')));
    }));
  }

  function draw() {
    if (drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(() => {
      drawQueued = false;
      const now = Date.now() / 1000;
      history.draw(series, new Map([...latest].map(([id, r]) => [id, r.telemetry])), now - windowS(), now + 1);
      detail.render();
    });
  }

  async function loadHistory(id, mine) {
    const now = Date.now() / 1000;
    const w = windowS();
    const step = w / MAX_POINTS >= 5 ? Math.ceil(w / MAX_POINTS) : 0;
    const r = await get(`/api/devices/${encodeURIComponent(id)}/telemetry` + query({ since: now - w, until: now + 60, step }));
    if (mine !== seq) return;
    if (!r.ok) { say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    const s = series.get(id) ?? new DeviceSeries();
    series.set(id, s);
    s.append(Array.isArray(r.data?.samples) ? r.data.samples : []);
    draw();
  }

  // Once a second on a fixed cadence (not a second after the last answer), each chosen device's newest telemetry:
  // anything older than half a second is fetched from the agent by the controller.
  async function live(mine) {
    if (mine !== seq) return;
    const started = Date.now();
    if (visible && !document.hidden) {
      await Promise.all(chosen.map(async (id) => {
        if (notCalled(devices.find((x) => x.id === id))) return;  // its agent is not called: stored samples only
        const r = await get(`/api/devices/${encodeURIComponent(id)}/telemetry/latest?max_age=0.5`);
        if (mine !== seq) return;
        if (!r.ok) { latest.delete(id); return; }
        latest.set(id, r.data);
        const tel = r.data.telemetry ?? {};
        const tSample = typeof tel.timestamp_s === 'number' ? tel.timestamp_s : r.data.t;
        if (!r.data.stale) {
          series.get(id)?.append([flatSample(tel, tSample)]);
          if (id === chosen[0]) detail.add(tel, tSample, Date.now() / 1000 - windowS());
        }
      }));
      if (mine !== seq) return;
      for (const s of series.values()) s.trim(Date.now() / 1000 - windowS());
      renderCards();
      draw();
    }
    liveTimer = setTimeout(() => live(mine), Math.max(100, LIVE_MS - (Date.now() - started)));
  }

  // The chosen devices or the range changed: load each one's stored history, then follow live.
  async function load() {
    const mine = ++seq;
    clearTimeout(liveTimer);
    series.clear();
    latest.clear();
    detail.reset(chosen[0] ?? '');
    $('#mon-detail-title').textContent = chosen.length
      ? t('mon.detail_title', { device: colored()[0].name }) : t('mon.detail_title_none');
    await history.setDevices(colored());
    renderCards();
    for (const id of chosen) series.set(id, new DeviceSeries());
    await Promise.all(chosen.map((id) => loadHistory(id, mine)));
    if (mine === seq && visible) live(mine);
  }

  function choose(id, on) {
    chosen = on ? [...chosen.filter((x) => x !== id), id] : chosen.filter((x) => x !== id);
    renderPicker();
    load();
  }

  async function refreshDevices() {
    const r = await loadDevices();
    if (!r.ok) { say(msg, r.message, 'warn'); return; }
    devices = r.devices;
    const before = chosen.join();
    chosen = chosen.filter((id) => devices.some((d) => d.id === id));
    renderPicker();
    renderCards();
    if (chosen.join() !== before) load();
  }

  range.addEventListener('change', load);
  document.addEventListener('visibilitychange', () => { if (!document.hidden && visible) draw(); });
  onLanguageChange(() => { renderPicker(); renderCards(); load(); });

  await refreshDevices();
  return {
    // #monitoring/<id> chooses that device (first); otherwise the first registered device when none is chosen.
    show(arg) {
      visible = true;
      if (arg && devices.some((d) => d.id === arg)) chosen = [arg, ...chosen.filter((x) => x !== arg)];
      else if (!chosen.length && devices.length) chosen = [devices[0].id];
      renderPicker();
      clearInterval(devTimer);
      devTimer = setInterval(refreshDevices, DEVICES_MS);
      load();
    },
    hide() { visible = false; seq++; clearTimeout(liveTimer); clearInterval(devTimer); },
  };
}
