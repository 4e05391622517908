// "Deploy selected model": POST /api/deploy, then live step progress from the deployment's server-sent events.
// Over budget (409) shows both figures and asks before sending the same request again with force.
import { get, post } from '../../api.js';
import { t } from '../../i18n.js';
import { $, el, num, say } from '../../dom.js';
import { getState } from '../../state.js';

const TERMINAL = new Set(['success', 'succeeded', 'done', 'ok', 'failed', 'error', 'interrupted', 'rolled_back']);
const SUCCESS = new Set(['success', 'succeeded', 'done', 'ok']);

// The 409 body names its figures; accept the original system's names and issue 5's.
function overBudgetFigures(data) {
  const pick = (...keys) => keys.map((k) => data?.[k]).find((v) => typeof v === 'number');
  return {
    energy: pick('model_energy_mwh', 'model_energy', 'energy_mwh', 'predicted_energy_mwh', 'predicted_energy'),
    budget: pick('energy_budget_mwh', 'max_energy_mwh', 'max_energy', 'budget_mwh'),
  };
}

export function startDeployPanel({ onFinished }) {
  const form = $('#deploy-form');
  const button = $('#deploy-button');
  const msg = $('#deploy-msg');
  const stepsList = $('#deploy-steps');
  let stream = null;

  function renderSteps(steps) {
    stepsList.replaceChildren(...(steps ?? []).map((s) => el('li', { 'data-status': s.status ?? '' },
      `${s.step ?? s.name}: ${s.status ?? ''}`,
      s.duration_s != null ? ` (${num(s.duration_s)} s)` : (s.duration_ms != null ? ` (${num(s.duration_ms)} ms)` : ''),
      s.error ? ` — ${s.error}` : (s.message ? ` — ${s.message}` : ''))));
  }

  function showResult(record) {
    const status = String(record.status ?? record.result ?? '').toLowerCase();
    if (record.steps) renderSteps(record.steps);
    if (SUCCESS.has(status)) {
      say(msg, t('deploy.success', { model: record.model ?? record.model_name, device: record.device ?? record.device_ip ?? '' }), 'ok');
    } else if (TERMINAL.has(status)) {
      say(msg, t('deploy.failed', { error: record.error ?? record.message ?? status }), 'error');
    }
    if (TERMINAL.has(status)) { button.disabled = false; onFinished(); }
    return TERMINAL.has(status);
  }

  async function finalRecord(id) {
    const r = await get(`/api/deployments/${encodeURIComponent(id)}`);
    if (r.ok) showResult(r.data.deployment ?? r.data);
    else { say(msg, r.message, 'error'); button.disabled = false; onFinished(); }
  }

  function follow(id) {
    stream?.close();
    const steps = new Map();
    stream = new EventSource(`/api/deployments/${encodeURIComponent(id)}/events`);
    const onEvent = (ev) => {
      let data;
      try { data = JSON.parse(ev.data); } catch { return; }
      if (data.steps) { renderSteps(data.steps); } else if (data.step) {
        steps.set(data.step, data);
        renderSteps([...steps.values()]);
      }
      if (showResult(data)) { stream.close(); stream = null; finalRecord(id); }
    };
    for (const type of ['message', 'step', 'status', 'result', 'done']) stream.addEventListener(type, onEvent);
    stream.onerror = () => {
      if (!stream) return;
      stream.close(); stream = null;  // closed by the server at the end, or lost: the record says how it ended
      finalRecord(id);
    };
  }

  async function deploy(force) {
    const { model, deviceAddress, deviceId } = getState();
    if (!model) { say(msg, t('deploy.need_model'), 'warn'); return; }
    if (!deviceAddress && !deviceId) { say(msg, t('deploy.need_device'), 'warn'); return; }
    const budget = $('#budget').value;
    const body = { model_name: model.model, device_type: model.device_type, force };
    if (budget !== '') body.max_energy = Number(budget);
    if (deviceId) body.device = deviceId; else body.bbb_ip = deviceAddress;
    button.disabled = true;
    stepsList.replaceChildren();
    say(msg, t('common.loading'));
    const r = await post('/api/deploy', body);
    if (r.status === 409) {
      const f = overBudgetFigures(r.data);
      const figures = { energy: num(f.energy), budget: num(f.budget) };
      say(msg, t('deploy.over_budget', figures), 'warn');
      button.disabled = false;
      if (!force && window.confirm(t('deploy.confirm_force', figures))) return deploy(true);
      say(msg, `${t('deploy.over_budget', figures)} ${t('deploy.cancelled')}`, 'warn');
      return;
    }
    if (!r.ok) {
      const text = r.status === 503 || r.status === 502 ? t('deploy.unreachable', { error: r.data?.error ?? r.status }) : r.message;
      say(msg, text, 'error');
      button.disabled = false;
      onFinished();
      return;
    }
    const id = r.data.deployment_id ?? r.data.id;
    if (showResult(r.data)) return;  // the controller answered once the deployment had finished
    if (id === undefined) { say(msg, r.data.message ?? JSON.stringify(r.data), 'info'); button.disabled = false; return; }
    say(msg, t('deploy.started', { id }));
    follow(id);
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); deploy(false); });
}
