// The Analytics view, from the catalog: energy against latency with the Pareto front (hover a point for its model),
// the energy histogram, the leaderboard per device type, and the catalog's data-quality report (rows per flag, with
// examples). Device types whose files record a run's duration instead of a per-inference latency (rpi5) are drawn
// against that duration and say so; a chart with nothing to draw says why.
import { get, query } from '../api.js';
import { t, term, onLanguageChange } from '../i18n.js';
import { $, el, say, table } from '../dom.js';
import { num } from '../format.js';
import { loadDeviceTypes } from '../devices.js';
import { barChart, logScatter } from '../charts.js';
import { logHistogram, paretoFront } from './pareto.js';

// Which x the scatter uses for these rows: per-inference latency when any row has it, else the run's duration.
export function xAxisOf(rows) {
  if (rows.some((r) => r.latency_avg_s > 0)) return { key: 'latency_avg_s', label: 'col.latency' };
  if (rows.some((r) => r.duration_avg_s > 0)) return { key: 'duration_avg_s', label: 'col.duration' };
  return null;
}

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
  let usable = [];
  let axis = null;

  async function makeCharts() {
    scatter?.destroy();
    hist?.destroy();
    $('#an-scatter').replaceChildren();
    $('#an-hist').replaceChildren();
    axis = xAxisOf(rows);
    scatter = await logScatter($('#an-scatter'), {
      xLabel: t(axis?.label ?? 'col.latency'), yLabel: t('col.energy'),
      series: [{ label: t('an.scatter_clean'), color: '#1f6feb' }, { label: t('an.scatter_flagged'), color: '#9a6700' },
        { label: t('an.scatter_front'), color: '#cf222e', line: true }],
      labelOf: (s, i) => {
        const r = usable[i];
        return r ? `${r.model} · ${num(r.energy_mwh)} mWh · ${num(r[axis.key])} s${r.flags?.length ? ` · ${r.flags.map((f) => term('flag', f)).join(', ')}` : ''}` : '';
      },
    });
    hist = await barChart($('#an-hist'), { xLabel: t('col.energy'), yLabel: t('an.hist_rows') });
  }

  function renderCharts() {
    const x = axis?.key;
    usable = x ? rows.filter((r) => r[x] > 0 && r.energy_mwh > 0).sort((a, b) => a[x] - b[x]) : [];
    const clean = usable.filter((r) => !r.flags?.length);
    const front = new Set(paretoFront(clean, (r) => r[x]));
    scatter.plot.setData([usable.map((r) => r[x]),
      usable.map((r) => (r.flags?.length ? null : r.energy_mwh)),
      usable.map((r) => (r.flags?.length ? r.energy_mwh : null)),
      usable.map((r) => (front.has(r) ? r.energy_mwh : null))]);
    $('#an-scatter').dataset.points = String(usable.length);
    $('#an-scatter').dataset.axis = x ?? '';
    $('#an-scatter').dataset.front = [...front].map((r) => r.model).join(',');
    $('#an-scatter-title').textContent = t(x === 'duration_avg_s' ? 'an.scatter_duration' : 'an.scatter');
    const smsg = $('#an-scatter-msg');
    if (!rows.length) say(smsg, t('an.no_rows', { device: device.value }), 'warn');
    else if (!usable.length) say(smsg, t('an.no_pairs', { device: device.value }), 'warn');
    else if (x === 'duration_avg_s') say(smsg, t('an.duration_note', { device: device.value }), 'info');
    else say(smsg, '');
    $('#an-scatter').hidden = !usable.length;
    // The histogram needs energy only: every clean row with one.
    const energies = rows.filter((r) => !r.flags?.length && r.energy_mwh > 0).map((r) => r.energy_mwh);
    const bins = logHistogram(energies);
    hist.plot.setData([bins.map((b) => b.lo), bins.map((b) => b.count)]);
    $('#an-hist').dataset.rows = String(energies.length);
    $('#an-hist').hidden = !energies.length;
    say($('#an-hist-msg'), energies.length ? '' : t('an.no_clean_energy', { device: device.value }), 'warn');
  }

  function renderLeaderboard() {
    const clean = rows.filter((r) => !r.flags?.length && r.energy_mwh != null).sort((a, b) => a.energy_mwh - b.energy_mwh).slice(0, 25);
    $('#an-leaderboard').replaceChildren(clean.length ? table(
      [t('col.rank'), t('col.model'), { text: t('col.energy'), n: true }, { text: t('col.latency'), n: true }, { text: t('col.size'), n: true },
        { text: t('col.params'), n: true }, { text: t('col.power'), n: true }],
      clean.map((r, i) => el('tr', {}, el('td', { class: 'n' }, i + 1), el('td', {}, r.model),
        el('td', { class: 'n' }, num(r.energy_mwh)), el('td', { class: 'n' }, num(r.latency_avg_s)),
        el('td', { class: 'n' }, num(r.size_mb)), el('td', { class: 'n' }, num(r.params_m)),
        el('td', { class: 'n' }, num(r.avg_power_w)))), 'leaderboard-table') : el('p', { class: 'hint' }, t('an.no_clean_energy', { device: device.value })));
  }

  function renderQuality() {
    if (!report) return;
    const devs = Object.entries(report.devices ?? {}).map(([d, v]) => el('li', {}, t('an.device_rows', { device: d, ...v })));
    const flags = Object.entries(report.flags ?? {}).sort((a, b) => b[1].rows - a[1].rows);
    const tbl = table([t('an.col_flag'), { text: t('an.col_rows'), n: true }, t('an.col_examples')],
      flags.map(([flag, f]) => el('tr', { dataset: { flag } },
        el('td', {}, el('span', { class: 'flag', title: flag }, term('flag', flag))),
        el('td', { class: 'n flag-rows' }, f.rows),
        el('td', { class: 'examples wrap' }, el('ul', {}, (f.examples ?? []).map((x) =>
          el('li', {}, t('an.example', { model: x.model, device: x.device_type, line: x.line, detail: x.detail }))))))), 'quality-table');
    $('#an-quality').replaceChildren(el('p', {}, t('an.quality_summary', { rows: report.rows, clean: report.clean_rows })),
      el('ul', {}, devs), el('div', { class: 'scroll' }, tbl));
  }

  async function refresh() {
    const [all, rep] = await Promise.all([
      get('/api/models/all' + query({ device_type: device.value, sort: 'energy', limit: 1000 })),
      report ? Promise.resolve({ ok: true, data: report }) : get('/api/catalog/report?examples=3'),
    ]);
    if (!all.ok) { say(msg, all.message, 'error'); rows = []; } else { say(msg, ''); rows = all.data.models ?? []; }
    if (rep.ok) report = rep.data; else say(msg, rep.message, 'error');
    await makeCharts();
    renderCharts();
    renderLeaderboard();
    renderQuality();
  }

  device.addEventListener('change', refresh);
  onLanguageChange(async () => { await makeCharts(); renderCharts(); renderLeaderboard(); renderQuality(); });
  await refresh();
  return {};
}
