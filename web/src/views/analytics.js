// The Analytics view, from the catalog: energy against latency with the Pareto front, the energy histogram,
// the leaderboard per device type, and the catalog's data-quality report (rows per flag, with examples).
import { get, query } from '../api.js';
import { t, onLanguageChange } from '../i18n.js';
import { $, el, num, say, table } from '../dom.js';
import { loadDeviceTypes } from '../devices.js';
import { barChart, logScatter } from '../charts.js';
import { flagBadges } from './deployment/library_panel.js';
import { logHistogram, paretoFront } from './pareto.js';

export async function startAnalytics() {
  const device = $('#an-device');
  const msg = $('#an-msg');
  const types = await loadDeviceTypes();
  device.replaceChildren(...types.map((d) => el('option', { value: d }, d)));
  if (types.includes('jetson_nano')) device.value = 'jetson_nano';
  let rows = [];
  let report = null;
  let scatter = null;
  let hist = null;

  async function makeCharts() {
    $('#an-scatter').replaceChildren();
    $('#an-hist').replaceChildren();
    scatter = await logScatter($('#an-scatter'), {
      xLabel: t('col.latency'), yLabel: t('col.energy'),
      series: [{ label: t('an.scatter_clean'), color: '#1f6feb' }, { label: t('an.scatter_flagged'), color: '#9a6700' },
        { label: t('an.scatter_front'), color: '#cf222e', line: true }],
    });
    hist = await barChart($('#an-hist'), { xLabel: t('col.energy'), yLabel: t('an.hist_rows') });
  }

  function renderCharts() {
    const usable = rows.filter((r) => r.latency_avg_s > 0 && r.energy_mwh > 0).sort((a, b) => a.latency_avg_s - b.latency_avg_s);
    const clean = usable.filter((r) => !r.flags?.length);
    const front = new Set(paretoFront(clean));
    const xs = usable.map((r) => r.latency_avg_s);
    scatter.setData([xs,
      usable.map((r) => (r.flags?.length ? null : r.energy_mwh)),
      usable.map((r) => (r.flags?.length ? r.energy_mwh : null)),
      usable.map((r) => (front.has(r) ? r.energy_mwh : null))]);
    $('#an-scatter').dataset.points = String(usable.length);
    $('#an-scatter').dataset.front = [...front].map((r) => r.model).join(',');
    const bins = logHistogram(clean.map((r) => r.energy_mwh));
    hist.setData([bins.map((b) => b.lo), bins.map((b) => b.count)]);
  }

  function renderLeaderboard() {
    const clean = rows.filter((r) => !r.flags?.length && r.energy_mwh != null).sort((a, b) => a.energy_mwh - b.energy_mwh).slice(0, 25);
    $('#an-leaderboard').replaceChildren(table(
      [t('col.rank'), t('col.model'), t('col.energy'), t('col.latency'), t('col.size'), t('col.params'), t('col.power')],
      clean.map((r, i) => el('tr', {}, el('td', { class: 'n' }, i + 1), el('td', {}, r.model),
        el('td', { class: 'n' }, num(r.energy_mwh)), el('td', { class: 'n' }, num(r.latency_avg_s)),
        el('td', { class: 'n' }, num(r.size_mb)), el('td', { class: 'n' }, num(r.params_m)),
        el('td', { class: 'n' }, num(r.avg_power_w))))));
  }

  function renderQuality() {
    if (!report) return;
    const devs = Object.entries(report.devices ?? {}).map(([d, v]) => el('li', {}, t('an.device_rows', { device: d, ...v })));
    const flags = Object.entries(report.flags ?? {}).sort((a, b) => b[1].rows - a[1].rows);
    const tbl = table([t('an.col_flag'), t('an.col_rows'), t('an.col_examples')],
      flags.map(([flag, f]) => el('tr', { dataset: { flag } },
        el('td', {}, el('span', { class: 'flag' }, flag)),
        el('td', { class: 'n flag-rows' }, f.rows),
        el('td', { class: 'examples' }, el('ul', {}, (f.examples ?? []).map((x) =>
          el('li', {}, `${x.model} (${x.device_type}, line ${x.line}): ${x.detail}`)))))));
    tbl.id = 'quality-table';
    for (const td of tbl.querySelectorAll('td.examples')) td.style.whiteSpace = 'normal';
    $('#an-quality').replaceChildren(el('p', {}, t('an.quality_summary', { rows: report.rows, clean: report.clean_rows })),
      el('ul', {}, devs), tbl);
  }

  async function refresh() {
    const [all, rep] = await Promise.all([
      get('/api/models/all' + query({ device_type: device.value, sort: 'energy' })),
      report ? Promise.resolve({ ok: true, data: report }) : get('/api/catalog/report?examples=3'),
    ]);
    if (!all.ok) { say(msg, all.message, 'error'); rows = []; } else { say(msg, ''); rows = all.data.models ?? []; }
    if (rep.ok) report = rep.data; else say(msg, rep.message, 'error');
    renderCharts();
    renderLeaderboard();
    renderQuality();
  }

  device.addEventListener('change', refresh);
  onLanguageChange(async () => { await makeCharts(); renderCharts(); renderLeaderboard(); renderQuality(); });
  await makeCharts();
  await refresh();
  return {};
}
