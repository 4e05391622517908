// A staged rollout's per-device progress: GET /api/rollouts/<id> once a second until every device's deployment has
// finished (one request for the whole rollout, not one event stream per device). Each row: the device, its status,
// the step it is at (or ended on), how long it took, and the detail or error the controller recorded.
import { get } from '../../api.js';
import { t, term, onLanguageChange } from '../../i18n.js';
import { $, el, table } from '../../dom.js';
import { seconds } from '../../format.js';

const POLL_MS = 1000;

export function startRolloutPanel() {
  const out = $('#rollout');
  let last = null;
  let timer = 0;

  function render() {
    if (!last) { out.replaceChildren(); return; }
    const rows = (last.deployments ?? []).map((d) => {
      const steps = d.steps ?? [];
      const step = steps[steps.length - 1];
      return el('tr', { dataset: { device: String(d.device_id), status: d.status, id: String(d.deployment_id) } },
        el('td', {}, d.device),
        el('td', { class: `status status-${d.status}` }, term('status', d.status)),
        el('td', {}, step ? `${term('step', step.name)}: ${term('status', step.status)}` : '–'),
        el('td', { class: 'n' }, d.duration_s == null ? '' : seconds(d.duration_s)),
        el('td', { class: 'wrap' }, d.error ?? step?.detail ?? ''));
    });
    out.replaceChildren(el('p', { class: 'hint', id: 'rollout-summary' }, t('rollout.summary', {
      id: last.rollout_id, done: (last.deployments ?? []).filter((d) => d.status !== 'running').length,
      total: last.count ?? (last.deployments ?? []).length })),
    table([t('log.col_device'), t('log.col_result'), t('deploy.step'), { text: t('deploy.duration'), n: true }, t('log.col_error')],
      rows, 'rollout-table'));
  }

  // Resolves with the finished rollout (or null when the controller could not be asked).
  function follow(rolloutId, onError) {
    clearTimeout(timer);
    last = null;
    render();
    return new Promise((resolve) => {
      const tick = async () => {
        const r = await get(`/api/rollouts/${encodeURIComponent(rolloutId)}`);
        if (!r.ok) { onError(r.message); resolve(null); return; }
        last = r.data;
        render();
        if (r.data.finished) resolve(r.data); else timer = setTimeout(tick, POLL_MS);
      };
      tick();
    });
  }

  onLanguageChange(render);
  return { follow, clear() { clearTimeout(timer); last = null; render(); } };
}
