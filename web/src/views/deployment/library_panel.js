// The model library: all rows (search, sort, by the controller) or the recommended ones under the budgets, per device
// type; in Recommended mode the search and the sort apply to the recommended rows here, and an empty answer says why.
// Clicking a row (or Enter on it) selects it for the preview, the predictor and the deploy button.
import { get, query } from '../../api.js';
import { t, term, onLanguageChange } from '../../i18n.js';
import { $, el, say, table } from '../../dom.js';
import { num } from '../../format.js';
import { getState, setState, subscribe } from '../../state.js';

export function flagBadges(row) {
  return (row.flags ?? []).map((f) => el('span', { class: 'flag', title: detailsOf(row, f), dataset: { flag: f } }, term('flag', f)));
}
function detailsOf(row, flag) {
  return (row.flag_details ?? []).filter((d) => d.flag === flag).map((d) => d.detail).join('\n');
}

// Client-side sort keys, as the controller's sort= names them.
const SORT = {
  model: (r) => r.model, energy: (r) => r.energy_mwh, latency: (r) => r.latency_avg_s, size: (r) => r.size_mb,
  params: (r) => r.params_m, power: (r) => r.avg_power_w,
};
export function sortRows(rows, key) {
  const f = SORT[key] ?? SORT.model;
  return [...rows].sort((a, b) => {
    const x = f(a), y = f(b);
    if (x === y) return 0;
    if (x === null || x === undefined) return 1;  // rows without the figure last
    if (y === null || y === undefined) return -1;
    return typeof x === 'string' ? x.localeCompare(y) : x - y;
  });
}

export async function startLibraryPanel(deviceTypes) {
  const form = $('#library-form');
  const device = $('#lib-device');
  const msg = $('#lib-msg');
  const out = $('#lib-table');
  let last = null;  // {data, recommended, rows shown, why}
  let seq = 0;
  const census = new Map();  // device type -> {rows, withLatency} (why a recommendation can be empty)

  device.replaceChildren(...deviceTypes.map((d) => el('option', { value: d }, d)));
  if (deviceTypes.includes('jetson_nano')) device.value = 'jetson_nano';

  const mode = () => form.querySelector('input[name="lib-mode"]:checked').value;

  async function rowsOf(type) {
    if (!census.has(type)) {
      const r = await get('/api/models/all' + query({ device_type: type, limit: 1000 }));
      const rows = r.ok ? (r.data.models ?? []) : [];
      census.set(type, { rows: rows.length, withLatency: rows.filter((m) => m.latency_avg_s > 0).length });
    }
    return census.get(type);
  }

  async function whyNone(data) {
    const c = await rowsOf(device.value);
    const b = data.budgets ?? {};
    if (!c.rows) return t('library.why_no_rows', { device: device.value });
    if (b.max_latency_s != null && !c.withLatency) return t('library.why_no_latency', { device: device.value });
    if ((data.candidates ?? 0) === 0) return t('library.why_over_budget', { rows: c.rows });
    return t('library.why_all_flagged', { excluded: data.excluded_flagged ?? 0 });
  }

  async function refresh() {
    const mine = ++seq;
    const budget = $('#budget').value;
    const common = { device_type: device.value };
    const recommended = mode() === 'recommended';
    const r = recommended
      ? await get('/api/models/recommended' + query({ ...common, max_energy: budget,
        max_size: $('#lib-max-size').value, max_latency: $('#lib-max-latency').value,
        include_flagged: $('#lib-flagged').checked ? 'true' : '' }))
      : await get('/api/models/all' + query({ ...common, q: $('#lib-search').value.trim(),
        sort: $('#lib-sort').value, limit: 500 }));
    if (mine !== seq) return;  // a newer request was sent meanwhile
    if (!r.ok) { last = null; out.replaceChildren(); say(msg, r.message, 'error'); return; }
    const why = recommended && !(r.data.models ?? []).length ? await whyNone(r.data) : '';
    if (mine !== seq) return;
    last = { data: r.data, recommended, why };
    render();
  }

  function shownRows() {
    const { data, recommended } = last;
    let rows = data.models ?? [];
    if (!recommended) return rows;
    const q = $('#lib-search').value.trim().toLowerCase();
    if (q) rows = rows.filter((m) => m.model.toLowerCase().includes(q));
    // The controller ranks recommendations by energy; another sort is applied here, as the user asked.
    return $('#lib-sort').value === 'energy' ? rows : sortRows(rows, $('#lib-sort').value);
  }

  function render() {
    if (!last) return;
    const { data, recommended, why } = last;
    const rows = shownRows();
    let line = recommended
      ? t('library.count_recommended', { count: data.count, candidates: data.candidates, excluded: data.excluded_flagged })
      : t('library.count', { count: data.count, total: data.total });
    if (recommended && rows.length !== (data.models ?? []).length) line += ` ${t('library.filtered', { shown: rows.length })}`;
    if (why) line += ` ${why}`;
    say(msg, line, why ? 'warn' : 'info');
    if (!rows.length) { out.replaceChildren(el('p', {}, t('library.empty'))); return; }
    const selected = getState().model;
    const pick = (m) => setState({ model: m });
    out.replaceChildren(table(
      [t('col.model'), { text: t('col.energy'), n: true }, { text: t('col.latency'), n: true }, { text: t('col.size'), n: true },
        { text: t('col.params'), n: true }, { text: t('col.power'), n: true }, t('col.flags')],
      rows.map((m) => el('tr', {
        class: 'pick' + (selected && selected.model === m.model && selected.device_type === m.device_type ? ' selected' : ''),
        dataset: { model: m.model }, tabindex: 0,
        'aria-selected': String(!!(selected && selected.model === m.model)),
        onclick: () => pick(m),
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(m); } },
      },
      el('td', {}, m.model), el('td', { class: 'n' }, num(m.energy_mwh)), el('td', { class: 'n' }, num(m.latency_avg_s)),
      el('td', { class: 'n' }, num(m.size_mb)), el('td', { class: 'n' }, num(m.params_m)),
      el('td', { class: 'n' }, num(m.avg_power_w)), el('td', {}, flagBadges(m)))), 'library-table'));
  }

  // Re-query on every change; typing in the search box waits for a pause. In Recommended mode the search and the
  // sort only filter what is held.
  let timer = 0;
  form.addEventListener('input', (e) => {
    clearTimeout(timer);
    if (mode() === 'recommended' && (e.target.id === 'lib-search' || e.target.id === 'lib-sort')) { render(); return; }
    timer = setTimeout(refresh, e.target.id === 'lib-search' ? 200 : 0);
  });
  form.addEventListener('submit', (e) => { e.preventDefault(); refresh(); });
  $('#budget').addEventListener('change', () => { if (mode() === 'recommended') refresh(); });
  subscribe((s, patch) => {
    if (!('model' in patch) || !last) return;
    // Re-mark the selection without rebuilding the table (a keyboard user keeps the focus on the row).
    for (const tr of out.querySelectorAll('tbody tr')) {
      const on = !!(s.model && tr.dataset.model === s.model.model && s.model.device_type === device.value);
      tr.classList.toggle('selected', on);
      tr.setAttribute('aria-selected', String(on));
    }
  });
  onLanguageChange(render);
  await refresh();
}
