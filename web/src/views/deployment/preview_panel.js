// The selected model's figures, exactly as the catalog row has them, with its data-quality flags spelled out.
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, num } from '../../dom.js';
import { getState, subscribe } from '../../state.js';

export function startPreviewPanel() {
  const out = $('#preview');
  function render() {
    const m = getState().model;
    if (!m) { out.replaceChildren(el('p', { class: 'msg' }, t('preview.none'))); return; }
    const item = (k, v) => [el('dt', {}, t(k)), el('dd', {}, v)];
    const flags = m.flag_details?.length
      ? el('ul', {}, m.flag_details.map((f) => el('li', {}, el('span', { class: 'flag' }, f.flag), ' ', f.detail)))
      : t('preview.no_flags');
    out.replaceChildren(
      el('p', { class: 'big', id: 'preview-name' }, m.model, el('small', {}, ` · ${m.device_type}`)),
      el('dl', { class: 'kv', id: 'preview-figures' },
        item('preview.energy', `${num(m.energy_mwh)} mWh`),
        item('preview.energy_inf', m.energy_per_inference_mj == null ? t('common.unavailable') : `${num(m.energy_per_inference_mj)} mJ`),
        item('preview.size', `${num(m.size_mb)} MB`),
        item('preview.latency', `${num(m.latency_avg_s)} s`),
        item('preview.params', `${num(m.params_m)} M`),
        item('preview.gflops', `${num(m.gflops)} / ${num(m.gmacs)}`),
        item('preview.power', m.avg_power_w == null ? t('common.unavailable') : `${num(m.avg_power_w)} W`),
        item('preview.flags', flags)));
  }
  subscribe((s, patch) => { if ('model' in patch) render(); });
  onLanguageChange(render);
  render();
}
