// Upload an .onnx file to POST /api/models/analyze: parameters, FLOPs and MACs counted from the graph, and the
// predicted energy of a model that was never run (static predictor).
import { request } from '../../api.js';
import { t } from '../../i18n.js';
import { $, el, num, say } from '../../dom.js';

export function startAnalyzePanel() {
  const form = $('#analyze-form');
  const msg = $('#analyze-msg');
  const out = $('#analyze-result');

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const file = $('#analyze-file').files[0];
    if (!file) { say(msg, t('analyze.need_file'), 'warn'); return; }
    const body = new FormData();
    body.append('file', file);
    body.append('device_type', $('#pred-device').value);
    say(msg, t('common.loading'));
    const r = await request('/api/models/analyze', { method: 'POST', form: body });
    if (!r.ok) { out.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    say(msg, '');
    // The answer: the inspector's counts (params as a count, gflops, gmacs, size_mb; null with `unavailable` when
    // the graph could not be read) and predicted_energy {energy_mwh, source, reason, energy_per_inference_mj}.
    const a = r.data;
    const energy = a.predicted_energy ?? {};
    const item = (k, v) => [el('dt', {}, t(k)), el('dd', {}, v)];
    out.replaceChildren(el('dl', { class: 'kv analyze-figures' },
      item('analyze.params', num(a.params == null ? null : a.params / 1e6)), item('analyze.flops', num(a.gflops)),
      item('analyze.macs', num(a.gmacs)), item('analyze.size', num(a.size_mb)),
      item('analyze.energy', energy.energy_mwh == null ? `${t('common.unavailable')}: ${energy.reason ?? ''}` : num(energy.energy_mwh)),
      item('predict.per_inference', energy.energy_per_inference_mj == null ? t('common.unavailable') : `${num(energy.energy_per_inference_mj)} mJ`),
      item('analyze.source', energy.energy_mwh == null ? '' : `${energy.source}${energy.reason ? ` (${energy.reason})` : ''}`)),
    ...(a.unavailable ? [el('p', { class: 'msg msg-warn' }, t('analyze.no_graph', { reason: a.unavailable }))] : []));
  });
}
