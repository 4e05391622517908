// The selected model's figures, exactly as the catalog row (or the uploaded file's analysis) has them, with its
// data-quality flags spelled out. Fields other work adds to rows (source, deployable, weights) are shown when present.
import { t, term, onLanguageChange } from '../../i18n.js';
import { $, el, kv } from '../../dom.js';
import { num, withUnit } from '../../format.js';
import { getState, subscribe } from '../../state.js';

export function startPreviewPanel() {
  const out = $('#preview');
  function render() {
    const m = getState().model;
    if (!m) { out.replaceChildren(el('p', { class: 'msg' }, t('preview.none'))); return; }
    const flags = m.flag_details?.length
      ? el('ul', {}, m.flag_details.map((f) => el('li', {}, el('span', { class: 'flag' }, term('flag', f.flag)), ' ', f.detail)))
      : t('preview.no_flags');
    out.replaceChildren(
      el('p', { class: 'big', id: 'preview-name' }, m.model, el('small', {}, ` · ${m.device_type}`)),
      m.uploaded ? el('p', { class: 'msg msg-ok' }, t('preview.uploaded', { file: m.artifact_file ?? m.model })) : null,
      el('dl', { class: 'kv', id: 'preview-figures' },
        kv(m.uploaded ? t('preview.energy_predicted') : t('preview.energy'), withUnit(m.energy_mwh, 'mWh')),
        kv(t('preview.energy_inf'), withUnit(m.energy_per_inference_mj, 'mJ')),
        kv(t('preview.size'), withUnit(m.size_mb, 'MB')),
        kv(t('preview.latency'), withUnit(m.latency_avg_s, 's')),
        kv(t('preview.params'), withUnit(m.params_m, 'M')),
        kv(t('preview.gflops'), `${num(m.gflops)} / ${num(m.gmacs)}`),
        kv(t('preview.power'), withUnit(m.avg_power_w, 'W')),
        m.source !== undefined ? kv(t('preview.source'), String(m.source)) : [],
        m.deployable !== undefined ? kv(t('preview.deployable'), t(m.deployable ? 'common.yes' : 'common.no')) : [],
        kv(t('preview.flags'), flags)));
  }
  subscribe((s, patch) => { if ('model' in patch) render(); });
  onLanguageChange(render);
  render();
}
