// The deployment log (GET /api/logs: {logs: [deployment records]}), newest first.
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
      logs.map((l) => el('tr', { dataset: { status: l.status, id: String(l.deployment_id) } },
        el('td', {}, when(l.started_at)),
        el('td', { title: l.device_ip }, l.device),
        el('td', {}, l.kind === 'deploy' ? l.model : `${l.model} (${l.kind})`),
        el('td', {}, l.status + (l.force ? ' (force)' : '')),
        el('td', { class: 'wrap' }, l.error ?? '')))));
    out.querySelector('table').id = 'log-entries';
  }

  async function refresh() {
    const r = await get('/api/logs?limit=50');
    if (!r.ok) { logs = null; out.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    logs = r.data.logs ?? [];
    render();
  }

  $('#log-refresh').addEventListener('click', refresh);
  onLanguageChange(refresh);
  refresh();
  return { refresh };
}
