// One device's page (#devices/<id>): what the controller knows (status, address or transport, type, group, tags,
// last error), what its agent says (GET /api/devices/<id>/agent: version, active and previous model, every stored
// version, runtime state), one-click rollback to the previous version, the deploy history, live figures once a
// second (GET /api/devices/<id>/telemetry/latest), editing (PATCH) and deletion (DELETE, keeping or purging history).
import { get, patch, post, del } from '../../api.js';
import { t, term, onLanguageChange } from '../../i18n.js';
import { $, el, kv, say, table } from '../../dom.js';
import { when, ago, bytes, seconds } from '../../format.js';
import { normalizeDevice } from '../../devices.js';
import { statusChip } from '../deployment/targets_panel.js';
import { addressOf } from './device_list.js';
import { tagsOf } from './register_form.js';
import { statusList } from '../monitoring/device_status.js';

const LIVE_MS = 1000;
const short = (sha) => String(sha ?? '').slice(0, 12);

export function startDevicePage({ onDeleted }) {
  const form = $('#device-edit-form');
  const dialog = $('#delete-dialog');
  let id = '';
  let device = null;   // normalized
  let agent = null;    // {status, models} or null
  let agentError = '';
  let history = [];
  let live = null;     // the /telemetry/latest answer
  let liveTimer = 0;
  let seq = 0;

  function renderFacts() {
    if (!device) return;
    $('#device-title').replaceChildren(device.name, ' ', statusChip(device));
    const s = agent?.status;
    const a = s?.agent ?? {};
    const active = s?.active_model;
    const info = s?.device ?? {};
    $('#device-facts').replaceChildren(
      ...kv(t('devices.col_address'), addressOf(device), { 'data-item': 'address' }),
      ...kv(t('library.device_type'), device.deviceType),
      ...kv(t('register.group'), device.group || t('common.none')),
      ...kv(t('register.tags'), device.tags.length ? device.tags.join(', ') : t('common.none')),
      ...kv(t('device_page.registered'), when(device.raw.created_at)),
      ...kv(t('devices.col_last_seen'), device.lastSeen ? `${when(device.lastSeen)} (${ago(device.lastSeen)})` : t('devices.never')),
      ...kv(t('devices.col_last_error'), device.lastError ?? t('common.none'), { 'data-item': 'last_error' }),
      ...kv(t('device_page.agent_version'), agent ? (a.version ?? t('common.unavailable')) : agentError, { 'data-item': 'agent_version' }),
      ...(agent ? [
        ...kv(t('device_page.uptime'), seconds(a.uptime_s)),
        ...kv(t('device_page.backends'), (a.backends ?? []).join(', ')),
        ...kv(t('device_page.host'), [info.hostname, info.os, info.arch, info.kernel].filter(Boolean).join(' · ')),
        ...kv(t('mon.active_model'), active ? `${active.name} · ${short(active.sha256)} · ${active.backend ?? ''} · ${ago(active.since)}`
          : t('common.none'), { 'data-item': 'active_model' }),
        ...kv(t('device_page.runtime'), `${term('runtime', s.runtime?.state)}${s.runtime?.message ? ` (${s.runtime.message})` : ''}`),
        ...(s.last_activation_failure ? kv(t('device_page.last_failure'),
          `${s.last_activation_failure.name}: ${s.last_activation_failure.reason} (${ago(s.last_activation_failure.at)})`) : []),
      ] : []));
  }

  function renderVersions() {
    const out = $('#device-versions');
    const button = $('#device-rollback');
    const prev = agent?.status?.previous_model;
    button.disabled = !prev;
    button.textContent = prev ? t('device_page.rollback_to', { name: prev.name, sha: short(prev.sha256) }) : t('device_page.rollback');
    if (!agent) { out.replaceChildren(el('p', { class: 'hint' }, agentError)); return; }
    const models = agent.models?.models ?? [];
    if (!models.length) { out.replaceChildren(el('p', { class: 'hint' }, t('device_page.no_versions'))); return; }
    out.replaceChildren(table([t('col.model'), 'SHA-256', { text: t('col.size'), n: true }, t('device_page.stored_at'), ''],
      models.map((m) => el('tr', { dataset: { model: m.name, sha: m.sha256, active: String(!!m.active), previous: String(!!m.previous) } },
        el('td', {}, m.name), el('td', { class: 'mono' }, short(m.sha256)), el('td', { class: 'n' }, bytes(m.size_bytes)),
        el('td', {}, when(m.stored_at)),
        el('td', {}, m.active ? el('span', { class: 'chip chip-online' }, t('device_page.active'))
          : m.previous ? el('span', { class: 'chip chip-unknown' }, t('device_page.previous')) : ''))), 'versions-table'));
  }

  function renderHistory() {
    $('#device-history').replaceChildren(history.length ? table(
      [t('log.col_time'), t('log.col_model'), t('log.col_result'), t('deploy.step'), t('log.col_error')],
      history.map((h) => el('tr', { dataset: { id: String(h.deployment_id), status: h.status, kind: h.kind } },
        el('td', {}, when(h.started_at)), el('td', {}, h.kind === 'deploy' ? h.model : `${h.model || ''} (${term('kind', h.kind)})`),
        el('td', { class: `status status-${h.status}` }, term('status', h.status)),
        el('td', {}, (h.steps ?? []).map((s) => `${term('step', s.name)} ${term('status', s.status)}`).join(' → ')),
        el('td', { class: 'wrap' }, h.error ?? ''))), 'history-table') : el('p', { class: 'hint' }, t('log.empty')));
  }

  function renderLive() {
    const msg = $('#device-live-msg');
    if (!live) return;
    if (live.error) say(msg, t('device_page.stale', { age: seconds(live.age_s), error: live.error }), 'warn'); else say(msg, '');
    $('#device-live').replaceChildren(...statusList(live.telemetry));
  }

  function fillForm() {
    const f = form.elements;
    f.name.value = device.name;
    f.address.value = device.address;
    f.address.required = !notCalled();  // an MQTT-mode agent needs no address
    f.device_type.value = device.deviceType;
    f.token.value = '';
    f.clear_token.checked = false;
    f.group.value = device.group;
    f.tags.value = device.tags.join(', ');
  }

  // A device the controller does not call (MQTT transport) has no live detail here: said once, not asked again.
  const notCalled = () => device && device.transport && device.transport !== 'lan';
  const notCalledText = () => t('device_page.not_called', { transport: device.transport });

  async function loadLive(mine, loaded) {
    const started = Date.now();
    const r = await get(`/api/devices/${encodeURIComponent(id)}/telemetry/latest?max_age=0.5`);
    if (mine !== seq) return;
    if (!r.ok && r.data?.kind === 'unavailable') {
      await loaded;
      if (mine === seq) say($('#device-live-msg'), notCalled() ? notCalledText() : r.message, 'warn');
      return;
    }
    if (!r.ok) { say($('#device-live-msg'), r.message, 'warn'); } else { live = r.data; renderLive(); }
    liveTimer = setTimeout(() => loadLive(mine, loaded), Math.max(100, LIVE_MS - (Date.now() - started)));
  }

  async function load({ keepForm = false } = {}) {
    const mine = seq;
    const [d, a, h] = await Promise.all([
      get(`/api/devices/${encodeURIComponent(id)}`),
      get(`/api/devices/${encodeURIComponent(id)}/agent`),
      get(`/api/devices/${encodeURIComponent(id)}/deployments?limit=20`),
    ]);
    if (mine !== seq) return;
    if (!d.ok) { say($('#device-msg'), d.message, 'error'); device = null; return; }
    say($('#device-msg'), '');
    device = normalizeDevice(d.data.device);
    agent = a.ok ? a.data : null;
    agentError = a.ok ? '' : notCalled() ? notCalledText() : t('device_page.agent_unreachable', { error: a.message });
    history = h.ok ? (h.data.deployments ?? []) : [];
    renderFacts();
    renderVersions();
    renderHistory();
    if (!keepForm) fillForm();
    $('#device-monitor-link').href = `#monitoring/${encodeURIComponent(id)}`;
  }

  $('#device-rollback').addEventListener('click', async () => {
    const out = $('#rollback-msg');
    const button = $('#device-rollback');
    button.disabled = true;
    say(out, t('common.loading'));
    const r = await post(`/api/devices/${encodeURIComponent(id)}/rollback`, {});
    if (r.ok) say(out, t('device_page.rolled_back', { name: r.data.model, sha: short(r.data.sha256) }), 'ok');
    else say(out, r.data?.message ?? r.message, 'error');
    await load({ keepForm: true });
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const body = {};
    if (f.name.value.trim() !== device.name) body.name = f.name.value.trim();
    if (f.address.value.trim() !== device.address) body.address = f.address.value.trim();
    if (f.device_type.value.trim() !== device.deviceType) body.device_type = f.device_type.value.trim();
    if (f.clear_token.checked) body.token = '';
    else if (f.token.value) body.token = f.token.value;
    if (f.group.value.trim() !== device.group) body.group = f.group.value.trim() || null;
    const tags = tagsOf(f.tags.value);
    if (tags.join(',') !== device.tags.join(',')) body.tags = tags;
    const msg = $('#edit-msg');
    if (!Object.keys(body).length) { say(msg, t('device_page.nothing_changed')); return; }
    const r = await patch(`/api/devices/${encodeURIComponent(id)}`, body);
    if (!r.ok) { say(msg, r.message, 'error'); if (r.field && f[r.field]) f[r.field].focus(); return; }
    say(msg, t('device_page.saved'), 'ok');
    await load();
  });

  $('#device-delete').addEventListener('click', () => {
    $('#delete-title').textContent = t('delete.title', { name: device?.name ?? id });
    dialog.querySelector('input[value="false"]').checked = true;
    dialog.returnValue = '';
    dialog.showModal();
  });
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'delete') return;
    const purge = dialog.querySelector('input[name="purge"]:checked').value === 'true';
    const r = await del(`/api/devices/${encodeURIComponent(id)}?purge=${purge}`);
    if (!r.ok) { say($('#edit-msg'), r.message, 'error'); return; }
    onDeleted(r.data);
  });

  onLanguageChange(() => { renderFacts(); renderVersions(); renderHistory(); renderLive(); });

  return {
    show(deviceId) {
      if (deviceId !== id) { device = null; agent = null; live = null; history = []; $('#device-live').replaceChildren(); }
      id = deviceId;
      const mine = ++seq;
      clearTimeout(liveTimer);
      loadLive(mine, load());
    },
    hide() { seq++; clearTimeout(liveTimer); },
  };
}
