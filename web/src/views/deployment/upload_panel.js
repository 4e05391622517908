// Bring a model file (drag and drop, or pick it: .onnx, .tflite, PyTorch): POST /api/models/analyze shows what the
// inspector counts (parameters, FLOPs, MACs, size, input) and the energy the static predictor gives for the chosen
// device type; "Store and select" sends it to POST /api/models/upload and selects it, so the deploy button above
// deploys it (the energy gate then uses the same prediction).
import { request } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, kv, say } from '../../dom.js';
import { num, withUnit, bytes } from '../../format.js';
import { setState } from '../../state.js';

// "My Model v2.onnx" -> "My_Model_v2": a name the controller accepts ([A-Za-z0-9._-], not starting with '.').
export function modelNameOf(fileName) {
  const stem = fileName.replace(/\.[^.]*$/, '').replace(/\.(onnx|tflite|pt|pth)$/i, '');
  return stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 128) || 'model';
}

export function startUploadPanel(deviceTypes) {
  const drop = $('#upload-drop');
  const input = $('#upload-file');
  const device = $('#upload-device');
  const name = $('#upload-name');
  const msg = $('#upload-msg');
  const out = $('#upload-result');
  const store = $('#upload-store');
  let file = null;
  let analysis = null;

  device.replaceChildren(...deviceTypes.map((d) => el('option', { value: d }, d)));
  if (deviceTypes.includes('jetson_nano')) device.value = 'jetson_nano';

  function render() {
    if (!analysis) { out.replaceChildren(); return; }
    const a = analysis;
    const e = a.predicted_energy ?? {};
    out.replaceChildren(el('dl', { class: 'kv', id: 'upload-figures' },
      kv(t('upload.file'), `${a.file_name ?? file?.name} (${a.format}, ${bytes(a.file_bytes)})`),
      kv(t('analyze.params'), num(a.params == null ? null : a.params / 1e6)),
      kv(t('analyze.flops'), num(a.gflops)),
      kv(t('analyze.macs'), num(a.gmacs)),
      kv(t('analyze.size'), num(a.size_mb)),
      kv(t('upload.input'), Array.isArray(a.input_shape) ? a.input_shape.join(' × ') : t('common.unavailable')),
      kv(t('analyze.energy'), e.energy_mwh == null ? `${t('common.unavailable')}: ${e.reason ?? ''}` : withUnit(e.energy_mwh, 'mWh')),
      kv(t('predict.per_inference'), withUnit(e.energy_per_inference_mj, 'mJ')),
      kv(t('analyze.source'), e.energy_mwh == null ? '' : `${e.source}${e.reason ? ` (${e.reason})` : ''}`)),
    a.unavailable ? el('p', { class: 'msg msg-warn' }, t('analyze.no_graph', { reason: a.unavailable })) : null,
    a.runnable === false ? el('p', { class: 'msg msg-warn' }, t('upload.not_runnable', { reason: a.refusal ?? '' })) : null);
  }

  async function analyze() {
    if (!file) return;
    analysis = null;
    store.disabled = true;
    render();
    const body = new FormData();
    body.append('file', file);
    body.append('device_type', device.value);
    say(msg, t('upload.analyzing', { file: file.name }));
    const r = await request('/api/models/analyze', { method: 'POST', form: body });
    if (!r.ok) { say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    say(msg, '');
    analysis = r.data;
    store.disabled = false;
    render();
  }

  function take(f) {
    if (!f) return;
    file = f;
    name.value = modelNameOf(f.name);
    analyze();
  }

  store.addEventListener('click', async () => {
    if (!file || !analysis) return;
    const body = new FormData();
    body.append('model_name', name.value.trim());
    body.append('file', file);
    store.disabled = true;
    say(msg, t('common.loading'));
    const r = await request('/api/models/upload', { method: 'POST', form: body });
    store.disabled = false;
    if (!r.ok) { say(msg, r.message, 'error'); return; }
    const a = analysis;
    const e = a.predicted_energy ?? {};
    setState({ model: {
      model: r.data.model_name, device_type: device.value, uploaded: true, artifact_file: r.data.artifact_file,
      energy_mwh: e.energy_mwh ?? null, energy_per_inference_mj: e.energy_per_inference_mj ?? null,
      size_mb: a.size_mb ?? null, params_m: a.params == null ? null : a.params / 1e6, gflops: a.gflops ?? null,
      gmacs: a.gmacs ?? null, latency_avg_s: null, avg_power_w: null, flags: [], flag_details: [] } });
    say(msg, t('upload.stored', { name: r.data.model_name, file: r.data.artifact_file, sha: String(r.data.sha256).slice(0, 12) }), 'ok');
  });

  drop.addEventListener('click', () => input.click());
  drop.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } });
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    take(e.dataTransfer?.files?.[0]);
  });
  input.addEventListener('change', () => take(input.files[0]));
  device.addEventListener('change', analyze);
  onLanguageChange(render);
}
