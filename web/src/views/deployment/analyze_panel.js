// Upload an .onnx file to POST /api/models/analyze: parameters, FLOPs and MACs counted from the graph, and the
// predicted energy of a model that was never run (static predictor).
import { request } from '../../api.js';
import { t } from '../../i18n.js';
import { $, el, num, say } from '../../dom.js';
import { renderPrediction } from './predict_panel.js';

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
    const a = r.data;
    const params = a.params_m ?? (a.params != null ? a.params / 1e6 : null);
    const item = (k, v) => [el('dt', {}, t(k)), el('dd', {}, num(v))];
    const prediction = a.prediction ?? (a.prediction_mwh != null ? a : null);
    out.replaceChildren(el('dl', { class: 'kv' },
      item('analyze.params', params), item('analyze.flops', a.gflops), item('analyze.macs', a.gmacs),
      item('analyze.size', a.size_mb)),
    prediction ? renderPrediction(prediction) : el('p', { class: 'msg' }, t('common.unavailable')));
  });
}
