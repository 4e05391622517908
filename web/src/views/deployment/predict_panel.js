// Energy predictor form: the six fields of the original API ("use selected" fills all six from the selected row),
// POST /api/predict-energy, and the answer with its interval and which predictor answered.
import { post } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say } from '../../dom.js';
import { num, withUnit } from '../../format.js';
import { getState } from '../../state.js';

export const FIELDS = ['params_m', 'gflops', 'gmacs', 'size_mb', 'latency_avg_s', 'throughput_iter_per_s'];

export function renderPrediction(p) {
  const lo = p.confidence_interval?.[0], hi = p.confidence_interval?.[1];
  // coverage is a fraction (0.9); cv_mape is already a percentage (the controller's cv_mape_pct).
  const coverage = p.coverage == null ? '?' : num(p.coverage * 100, 2);
  const item = (k, v) => [el('dt', {}, k), el('dd', {}, v)];
  return el('dl', { class: 'kv pred-figures' },
    item(t('predict.result'), el('span', { class: 'big' }, withUnit(p.prediction_mwh, 'mWh'))),
    item(t('predict.interval', { coverage }), lo == null ? t('common.unavailable') : `${num(lo)} – ${num(hi)} mWh`),
    item(t('predict.per_inference'), withUnit(p.energy_per_inference_mj, 'mJ')),
    item(t('predict.predictor'), p.predictor === 'static' ? t('predict.predictor_static')
      : p.predictor === 'measured' ? t('predict.predictor_measured') : String(p.predictor ?? '')),
    item('', t('predict.quality', { r2: num(p.model_r2), mape: num(p.cv_mape) })),
  );
}

export function startPredictPanel(deviceTypes) {
  const form = $('#predict-form');
  const device = $('#pred-device');
  const msg = $('#pred-msg');
  const out = $('#pred-result');
  let last = null;

  device.replaceChildren(...deviceTypes.map((d) => el('option', { value: d }, d)));

  $('#pred-use-selected').addEventListener('click', () => {
    const m = getState().model;
    if (!m) { say(msg, t('deploy.need_model'), 'warn'); return; }
    for (const f of FIELDS) form.elements[f].value = m[f] ?? '';
    if (deviceTypes.includes(m.device_type)) device.value = m.device_type;
    say(msg, '');
  });

  function render() { if (last) out.replaceChildren(renderPrediction(last)); }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { device_type: device.value };
    for (const f of FIELDS) {
      const raw = form.elements[f].value.trim();
      if (raw === '') continue;  // latency and throughput may be left out: the static predictor answers
      const v = Number(raw);
      if (!Number.isFinite(v) || v < 0) { say(msg, t('field.invalid', { field: t(`field.${f}`) }), 'error'); return; }
      body[f] = v;
    }
    say(msg, t('common.loading'));
    const r = await post('/api/predict-energy', body);
    if (!r.ok) { last = null; out.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    say(msg, '');
    last = r.data;  // one request, one answer object
    render();
  });
  onLanguageChange(render);
}
