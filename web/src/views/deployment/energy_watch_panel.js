// Energy watch (the original dashboard's panel, made honest): per device, the energy budget its deployment was given,
// the prediction made at deploy, the energy measured now for the same thing (per inference as the agent measures
// it, and per measured run with the prediction's own number of inferences, so it compares with the budget), and the
// trend of the measurement over the last hour (GET /api/devices/<id>/telemetry, this model's samples only).
// Where there is no measurement, the controller's reason is shown.
import { get, query } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say, table } from '../../dom.js';
import { num, withUnit, ago } from '../../format.js';

const REFRESH_MS = 10000;
const TREND_S = 3600;

// The measured energy per inference as one measured run of the prediction, in mWh: the prediction holds N inferences
// per run (N = predicted mWh x 3600 / predicted mJ), so measured mJ x N / 3600 = measured mJ x predicted mWh /
// predicted mJ.
export function perRunLikeForLike(row) {
  const m = row.measured_per_inference_mj, pr = row.predicted_energy_mwh, pi = row.predicted_per_inference_mj;
  if (m == null || pr == null || !pi) return null;
  return m * (pr / pi);
}

// The change between the first and the last quarter of the samples, in percent, or null with fewer than 4.
export function trendPct(values) {
  if (values.length < 4) return null;
  const q = Math.max(1, Math.floor(values.length / 4));
  const mean = (a) => a.reduce((s, v) => s + v, 0) / a.length;
  const first = mean(values.slice(0, q)), last = mean(values.slice(-q));
  return first > 0 ? ((last - first) / first) * 100 : null;
}

function sparkline(values) {
  const w = 120, h = 28;
  const lo = Math.min(...values), hi = Math.max(...values);
  const span = hi - lo || 1;
  const pts = values.map((v, i) => `${((i / (values.length - 1)) * w).toFixed(1)},${(h - 2 - ((v - lo) / span) * (h - 4)).toFixed(1)}`);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('role', 'img');
  svg.setAttribute('class', 'spark');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', pts.join(' '));
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', '#0a7ea4');
  line.setAttribute('stroke-width', '1.5');
  svg.append(line);
  return svg;
}

export function startEnergyWatchPanel() {
  const out = $('#watch-table');
  const msg = $('#watch-msg');
  const budgets = new Map();  // deployment id -> max_energy (a finished record does not change)
  let rows = null;
  let trends = new Map();     // device id -> number[] (mJ per inference)
  let timer = 0;

  async function budgetOf(id) {
    if (!budgets.has(id)) {
      const r = await get(`/api/deployments/${encodeURIComponent(id)}`);
      if (!r.ok) return undefined;
      budgets.set(id, r.data.max_energy ?? r.data.energy_budget_mwh ?? null);
    }
    return budgets.get(id);
  }

  async function trendOf(row) {
    const now = Date.now() / 1000;
    const r = await get(`/api/devices/${encodeURIComponent(row.device_id)}/telemetry` +
      query({ since: now - TREND_S, until: now + 60, step: 60 }));
    if (!r.ok) return [];
    return (r.data.samples ?? []).filter((s) => s.active_model === row.model && s.energy_per_inference_j != null)
      .map((s) => s.energy_per_inference_j * 1000);
  }

  function render() {
    if (!rows) return;
    if (!rows.length) { out.replaceChildren(); say(msg, t('watch.none')); return; }
    say(msg, '');
    out.replaceChildren(table(
      [t('mon.col_device'), t('mon.col_model'), { text: t('watch.budget'), n: true }, { text: t('watch.predicted'), n: true },
        { text: t('watch.measured'), n: true }, t('watch.verdict'), t('watch.trend')],
      rows.map((c) => {
        const run = perRunLikeForLike(c);
        const budget = c.budget;
        const values = trends.get(String(c.device_id)) ?? [];
        const change = trendPct(values);
        const verdict = run == null || budget == null ? t('common.unavailable')
          : run <= budget ? t('watch.within', { pct: num((run / budget) * 100) }) : t('watch.over', { pct: num((run / budget) * 100) });
        return el('tr', { dataset: { device: String(c.device_id) } },
          el('td', {}, c.device), el('td', {}, c.model),
          el('td', { class: 'n budget' }, budget === undefined ? '…' : withUnit(budget, 'mWh')),
          el('td', { class: 'n predicted' }, c.predicted_energy_mwh == null ? t('common.unavailable')
            : `${withUnit(c.predicted_energy_mwh, 'mWh')} · ${withUnit(c.predicted_per_inference_mj, 'mJ')} (${c.prediction_source})`),
          el('td', { class: c.measured_per_inference_mj == null ? 'wrap measured' : 'n measured' },
            c.measured_per_inference_mj == null ? `${t('common.unavailable')}: ${c.measured_unavailable ?? ''}`
              : [withUnit(c.measured_per_inference_mj, 'mJ'), run == null ? '' : ` ≈ ${withUnit(run, 'mWh')}`,
                c.measured_at ? el('small', {}, ` ${ago(c.measured_at)}`) : '']),
          el('td', { class: 'verdict' }, verdict),
          el('td', { class: 'trend' }, values.length >= 2 ? [sparkline(values), ' ',
            change == null ? '' : `${change > 0 ? '+' : ''}${num(change)} %`] : t('watch.no_trend')));
      }), 'watch-entries'));
  }

  async function refresh() {
    const r = await get('/api/energy/compare');
    if (!r.ok) { rows = null; out.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    const list = r.data.devices ?? [];
    const withBudgets = await Promise.all(list.map(async (c) => ({ ...c, budget: await budgetOf(c.deployment_id) })));
    const trendList = await Promise.all(list.map(async (c) => [String(c.device_id), await trendOf(c)]));
    rows = withBudgets;
    trends = new Map(trendList);
    render();
  }

  onLanguageChange(render);
  refresh();
  return {
    refresh,
    show() { clearInterval(timer); timer = setInterval(refresh, REFRESH_MS); },
    hide() { clearInterval(timer); },
  };
}
