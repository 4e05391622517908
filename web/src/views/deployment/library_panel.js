// The model library: all rows (search, sort) or the recommended ones under the budgets, per device type.
// Clicking a row selects it for the preview, the predictor and the deploy button.
import { get, query } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, num, say, table } from '../../dom.js';
import { getState, setState, subscribe } from '../../state.js';

export function flagBadges(row) {
  return (row.flags ?? []).map((f) => el('span', { class: 'flag', title: detailsOf(row, f) }, f));
}
function detailsOf(row, flag) {
  return (row.flag_details ?? []).filter((d) => d.flag === flag).map((d) => d.detail).join('\n');
}

export async function startLibraryPanel(deviceTypes) {
  const form = $('#library-form');
  const device = $('#lib-device');
  const msg = $('#lib-msg');
  const out = $('#lib-table');
  let last = null;  // {rows, summary}
  let seq = 0;

  device.replaceChildren(...deviceTypes.map((d) => el('option', { value: d }, d)));
  if (deviceTypes.includes('jetson_nano')) device.value = 'jetson_nano';

  const mode = () => form.querySelector('input[name="lib-mode"]:checked').value;

  async function refresh() {
    const mine = ++seq;
    const budget = $('#budget').value;
    const common = { device_type: device.value };
    const r = mode() === 'recommended'
      ? await get('/api/models/recommended' + query({ ...common, max_energy: budget,
        max_size: $('#lib-max-size').value, max_latency: $('#lib-max-latency').value,
        include_flagged: $('#lib-flagged').checked ? 'true' : '' }))
      : await get('/api/models/all' + query({ ...common, q: $('#lib-search').value.trim(),
        sort: $('#lib-sort').value, limit: 500 }));
    if (mine !== seq) return;  // a newer request was sent meanwhile
    if (!r.ok) { last = null; out.replaceChildren(); say(msg, r.message, 'error'); return; }
    last = { data: r.data, recommended: mode() === 'recommended' };
    render();
  }

  function render() {
    if (!last) return;
    const { data, recommended } = last;
    const rows = data.models ?? [];
    say(msg, recommended
      ? t('library.count_recommended', { count: data.count, candidates: data.candidates, excluded: data.excluded_flagged })
      : t('library.count', { count: data.count, total: data.total }));
    if (!rows.length) { out.replaceChildren(el('p', {}, t('library.empty'))); return; }
    const selected = getState().model;
    out.replaceChildren(table(
      [t('col.model'), t('col.energy'), t('col.latency'), t('col.size'), t('col.params'), t('col.power'), t('col.flags')],
      rows.map((m) => el('tr', {
        class: 'pick' + (selected && selected.model === m.model && selected.device_type === m.device_type ? ' selected' : ''),
        dataset: { model: m.model },
        onclick: () => setState({ model: m }),
      },
      el('td', {}, m.model), el('td', { class: 'n' }, num(m.energy_mwh)), el('td', { class: 'n' }, num(m.latency_avg_s)),
      el('td', { class: 'n' }, num(m.size_mb)), el('td', { class: 'n' }, num(m.params_m)),
      el('td', { class: 'n' }, num(m.avg_power_w)), el('td', {}, flagBadges(m))))));
    out.querySelector('table').id = 'library-table';
  }

  // Re-query on every change; typing in the search box waits for a pause.
  let timer = 0;
  form.addEventListener('input', (e) => {
    clearTimeout(timer);
    timer = setTimeout(refresh, e.target.id === 'lib-search' ? 200 : 0);
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  $('#budget').addEventListener('change', () => { if (mode() === 'recommended') refresh(); });
  subscribe((s, patch) => { if ('model' in patch) render(); });
  onLanguageChange(render);
  await refresh();
}
