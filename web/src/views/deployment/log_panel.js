// The deployment log (GET /api/logs: {logs: [deployment records]}), newest first, filtered here by text (device,
// model, error) and result; "Export CSV" saves the rows shown, the other link the controller's full export
// (GET /api/logs/export).
import { get } from '../../api.js';
import { t, term, onLanguageChange } from '../../i18n.js';
import { $, el, say, table, download, setOptions } from '../../dom.js';
import { when } from '../../format.js';

const STATUSES = ['succeeded', 'failed', 'rejected', 'skipped', 'interrupted', 'running'];
const LIMIT = 500;

// RFC 4180 quoting.
const cell = (v) => {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function logsToCsv(logs) {
  const cols = ['deployment_id', 'rollout_id', 'kind', 'device', 'device_ip', 'device_type', 'model', 'status', 'error',
    'started_at', 'finished_at', 'duration_s', 'energy_mwh', 'energy_source', 'max_energy', 'force', 'sha256'];
  return [cols.join(','), ...logs.map((l) => cols.map((c) => cell(l[c])).join(','))].join('\n') + '\n';
}

export function startLogPanel() {
  const out = $('#log-table');
  const msg = $('#log-msg');
  const search = $('#log-search');
  const status = $('#log-status');
  let logs = null;

  function filtered() {
    const q = search.value.trim().toLowerCase();
    return (logs ?? []).filter((l) => (!status.value || l.status === status.value) &&
      (!q || [l.device, l.device_ip, l.model, l.error, l.kind].some((v) => String(v ?? '').toLowerCase().includes(q))));
  }

  function render() {
    setOptions(status, [['', t('log.all_results')], ...STATUSES.map((s) => [s, term('status', s)])]);
    if (!logs) return;
    if (!logs.length) { out.replaceChildren(); say(msg, t('log.empty')); return; }
    const rows = filtered();
    say(msg, t('log.count', { shown: rows.length, total: logs.length }));
    out.replaceChildren(table(
      [t('log.col_time'), t('log.col_device'), t('log.col_model'), t('log.col_result'), t('log.col_error')],
      rows.map((l) => el('tr', { dataset: { status: l.status, id: String(l.deployment_id) } },
        el('td', {}, when(l.started_at)),
        el('td', { title: l.device_ip }, l.device),
        el('td', {}, l.kind === 'deploy' ? l.model : `${l.model} (${term('kind', l.kind)})`),
        el('td', { class: `status status-${l.status}` }, term('status', l.status) + (l.force ? ` (${t('log.forced')})` : '')),
        el('td', { class: 'wrap' }, l.error ?? ''))), 'log-entries'));
  }

  async function refresh() {
    const r = await get(`/api/logs?limit=${LIMIT}`);
    if (!r.ok) { logs = null; out.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    logs = r.data.logs ?? [];
    render();
  }

  $('#log-refresh').addEventListener('click', refresh);
  $('#log-export').addEventListener('click', () => download('deployments-filtered.csv', logsToCsv(filtered())));
  $('#log-filter').addEventListener('input', render);
  $('#log-filter').addEventListener('submit', (e) => e.preventDefault());
  onLanguageChange(render);
  refresh();
  return { refresh };
}
