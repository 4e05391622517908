// The deployment log (GET /api/logs), newest first.
import { get } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say, table, when } from '../../dom.js';

export function startLogPanel() {
  const out = $('#log-table');
  const msg = $('#log-msg');
  let logs = null;

  function render() {
    if (!logs) return;
    if (!logs.length) { out.replaceChildren(); say(msg, t('log.empty')); return; }
    say(msg, '');
    out.replaceChildren(table(
      [t('log.col_time'), t('log.col_device'), t('log.col_model'), t('log.col_result'), t('log.col_error')],
      logs.map((l) => el('tr', { dataset: { status: String(l.status ?? l.result ?? '') } },
        el('td', {}, when(l.started_at ?? l.timestamp ?? l.time ?? l.created_at)),
        el('td', {}, l.device ?? l.device_name ?? l.device_ip ?? l.bbb_ip ?? ''),
        el('td', {}, l.model ?? l.model_name ?? ''),
        el('td', {}, String(l.status ?? l.result ?? '')),
        el('td', {}, l.error ?? '')))));
    out.querySelector('table').id = 'log-entries';
  }

  async function refresh() {
    const r = await get('/api/logs?limit=50');
    if (!r.ok) { logs = null; out.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    logs = Array.isArray(r.data) ? r.data : (r.data.logs ?? r.data.deployments ?? []);
    render();
  }

  $('#log-refresh').addEventListener('click', refresh);
  onLanguageChange(refresh);
  refresh();
  return { refresh };
}
