// "Deploy selected model": POST /api/deploy (async) to the chosen targets. One device: the real steps live from the
// deployment's server-sent events (GET /api/deployments/<id>/events: `step` {name, status, duration_s, detail},
// `progress` {received_bytes, total_bytes} while the agent pulls the file, `done` = the record). Several devices: a
// staged rollout (batch size, max failures) with per-device progress (rollout_panel.js).
// Over budget (a record "rejected" by the energy gate, or a 409 answer) shows both figures from the controller's
// answer (model_energy, energy_budget_mwh) and asks before sending the same request again with force.
import { get, post } from '../../api.js';
import { t, term, onLanguageChange } from '../../i18n.js';
import { $, el, say } from '../../dom.js';
import { num, bytes, seconds } from '../../format.js';
import { getState, subscribe } from '../../state.js';
import { startRolloutPanel } from './rollout_panel.js';

// What GET /api/deployments/<id> (and a synchronous 409) says about a rejection: both figures in mWh.
export function overBudgetFigures(answer) {
  const n = (v) => (typeof v === 'number' ? v : null);
  return { energy: n(answer?.model_energy ?? answer?.energy_mwh), budget: n(answer?.energy_budget_mwh ?? answer?.max_energy) };
}

function positiveInt(input, lo, hi) {
  const v = Number(input.value);
  return Number.isInteger(v) && v >= lo && v <= hi ? v : null;
}

export function startDeployPanel({ targets, onFinished }) {
  const form = $('#deploy-form');
  const button = $('#deploy-button');
  const msg = $('#deploy-msg');
  const stepsList = $('#deploy-steps');
  const targetLine = $('#deploy-target');
  const rollout = startRolloutPanel();
  let stream = null;
  let steps = new Map();  // step name -> latest event of that step (Map keeps the order the steps started in)
  let transfer = null;    // latest progress event

  function renderTarget() {
    const { targets: ids, deviceAddress } = getState();
    const names = ids.map((id) => targets.devices().find((d) => d.id === id)?.name ?? id);
    targetLine.textContent = names.length ? t('deploy.to_devices', { count: names.length, names: names.join(', ') })
      : deviceAddress ? t('deploy.to_address', { address: deviceAddress }) : t('deploy.need_device');
    for (const id of ['batch-size', 'max-failures']) $(`#${id}`).closest('label').hidden = names.length < 2;
  }

  function renderSteps() {
    stepsList.replaceChildren(...[...steps.values()].map((s) => el('li', { 'data-step': s.name, 'data-status': s.status },
      el('b', {}, term('step', s.name)), `: ${term('status', s.status)}`,
      s.duration_s != null ? ` (${seconds(s.duration_s)})` : '',
      s.name === 'transfer' && s.status === 'started' && transfer?.total_bytes
        ? ` — ${bytes(transfer.received_bytes)} / ${bytes(transfer.total_bytes)}` : '',
      s.detail ? el('div', { class: 'detail' }, s.detail) : null)));
  }

  function finish() {
    stream?.close();
    stream = null;
    button.disabled = false;
    onFinished();
  }

  // The final record of one device: every step as recorded, then the outcome in words.
  async function showOutcome(record, plan) {
    steps = new Map((record.steps ?? []).map((s) => [s.name, s]));
    renderSteps();
    const status = record.deployment_status ?? record.status;  // a GET answer says "success" in `status`
    if (status === 'succeeded' || status === 'success') {
      say(msg, t('deploy.success', { model: record.model, device: record.device }), 'ok');
    } else if (status === 'rejected') {
      const full = await get(`/api/deployments/${record.deployment_id}`);  // carries model_energy, energy_budget_mwh
      finish();
      return overBudget(full.ok ? full.data : record, plan);
    } else if (String(record.error ?? '').startsWith('device unreachable')) {
      say(msg, t('deploy.unreachable', { error: record.error }), 'error');
    } else {
      say(msg, t('deploy.failed', { error: record.error ?? term('status', status) }), 'error');
    }
    finish();
    return undefined;
  }

  function overBudget(answer, plan) {
    const f = overBudgetFigures(answer);
    const figures = { energy: num(f.energy), budget: num(f.budget) };
    say(msg, t('deploy.over_budget', figures), 'warn');
    if (!plan.force && window.confirm(t('deploy.confirm_force', figures))) return deploy({ ...plan, force: true });
    say(msg, `${t('deploy.over_budget', figures)} ${t('deploy.cancelled')}`, 'warn');
    return undefined;
  }

  function follow(id, plan) {
    stream?.close();
    steps = new Map();
    transfer = null;
    const es = new EventSource(`/api/deployments/${encodeURIComponent(id)}/events`);
    stream = es;
    const data = (ev) => { try { return JSON.parse(ev.data); } catch { return null; } };
    es.addEventListener('step', (ev) => {
      const s = data(ev);
      if (!s?.name) return;
      steps.set(s.name, { ...steps.get(s.name), ...s });
      renderSteps();
    });
    es.addEventListener('progress', (ev) => { transfer = data(ev); renderSteps(); });
    es.addEventListener('done', (ev) => {
      es.close();
      const record = data(ev);
      if (record) showOutcome(record, plan); else fromRecord(id, plan);
    });
    // The server ends the stream after `done`; an error before it means the stream was lost: ask the record.
    es.onerror = () => { if (stream === es) { es.close(); say(msg, t('deploy.events_lost'), 'warn'); fromRecord(id, plan); } };
  }

  async function fromRecord(id, plan) {
    stream = null;
    const r = await get(`/api/deployments/${encodeURIComponent(id)}`);
    if (!r.ok) { say(msg, r.message, 'error'); finish(); return; }
    if (r.data.deployment_status === 'running') { setTimeout(() => fromRecord(id, plan), 1000); return; }
    showOutcome(r.data, plan);
  }

  async function followRollout(rolloutId, plan) {
    say(msg, t('rollout.started', { id: rolloutId, count: plan.targets.length }));
    const done = await rollout.follow(rolloutId, (m) => say(msg, m, 'error'));
    if (!done) { finish(); return undefined; }
    const list = done.deployments ?? [];
    const rejected = list.find((d) => d.status === 'rejected');
    if (rejected) {
      const full = await get(`/api/deployments/${rejected.deployment_id}`);
      finish();
      return overBudget(full.ok ? full.data : rejected, plan);
    }
    const ok = list.filter((d) => d.status === 'succeeded').length;
    say(msg, t('rollout.done', { ok, total: list.length, model: done.model }), ok === list.length ? 'ok' : ok ? 'warn' : 'error');
    finish();
    return undefined;
  }

  async function deploy(plan) {
    const body = { model_name: plan.model.model, device_type: plan.model.device_type, force: plan.force, async: true };
    if (plan.budget !== '') body.max_energy = Number(plan.budget);
    if (plan.targets.length > 1) {
      body.devices = plan.targets.map(Number);
      body.batch_size = plan.batch;
      body.max_failures = plan.maxFailures;
    } else if (plan.targets.length === 1) body.device = Number(plan.targets[0]);
    else body.bbb_ip = plan.deviceAddress;
    button.disabled = true;
    steps = new Map();
    renderSteps();
    rollout.clear();
    say(msg, t('common.loading'));
    const r = await post('/api/deploy', body);
    if (r.status === 409) { button.disabled = false; return overBudget(r.data, plan); }
    if (!r.ok) {
      say(msg, r.status === 503 || r.status === 502 ? t('deploy.unreachable', { error: r.data?.error ?? r.status }) : r.message, 'error');
      finish();
      return undefined;
    }
    if (r.data.deployment_id === undefined) { showOutcome(r.data, plan); return undefined; }  // answered finished
    if ((r.data.deployment_ids ?? []).length > 1) return followRollout(r.data.rollout_id, plan);
    say(msg, t('deploy.started', { id: r.data.deployment_id }));
    follow(r.data.deployment_id, plan);
    return undefined;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const { model, deviceAddress, targets: ids } = getState();
    if (!model) { say(msg, t('deploy.need_model'), 'warn'); return; }
    if (!deviceAddress && !ids.length) { say(msg, t('deploy.need_device'), 'warn'); return; }
    const batch = positiveInt($('#batch-size'), 1, 100);
    const maxFailures = positiveInt($('#max-failures'), 1, 1000);
    if (ids.length > 1 && (batch === null || maxFailures === null)) { say(msg, t('deploy.bad_rollout'), 'error'); return; }
    deploy({ model, deviceAddress, targets: [...ids], budget: $('#budget').value, batch, maxFailures, force: false });
  });
  subscribe((s, patch) => { if ('targets' in patch || 'deviceAddress' in patch) renderTarget(); });
  onLanguageChange(() => { renderSteps(); renderTarget(); });
  renderTarget();
}
