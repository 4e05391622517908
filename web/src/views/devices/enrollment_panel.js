// Devices asking to join (enrollment: an agent started with the controller's address and an enrollment token shows
// up here as pending): accept (it becomes a registered device with its own credentials) or reject. Uses
// GET /api/enrollments?status=pending, POST /api/enrollments/<id>/accept|reject (admin). A controller without
// enrollment says so plainly.
import { get, post } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say, table } from '../../dom.js';
import { ago } from '../../format.js';

const REFRESH_MS = 10000;

export function startEnrollmentPanel({ onAccepted }) {
  const out = $('#enroll-list');
  const msg = $('#enroll-msg');
  let list = null;
  let timer = 0;

  async function decide(e, action) {
    const r = await post(`/api/enrollments/${encodeURIComponent(e.id)}/${action}`, {});
    if (!r.ok) { say(msg, r.message, 'error'); return; }
    say(msg, t(action === 'accept' ? 'enroll.accepted' : 'enroll.rejected', { name: e.name ?? e.hostname ?? e.id }), 'ok');
    if (action === 'accept') onAccepted();
    refresh();
  }

  function render() {
    if (!list) return;
    if (!list.length) { out.replaceChildren(); say(msg, t('enroll.none')); return; }
    out.replaceChildren(table([t('register.name'), t('library.device_type'), t('enroll.col_agent'), t('devices.col_address'),
      t('enroll.col_requested'), ''],
    list.map((e) => el('tr', { dataset: { enrollment: String(e.id) } },
      el('td', {}, e.name ?? e.hostname ?? ''), el('td', {}, e.device_type ?? ''),
      el('td', {}, [e.model, e.agent_version].filter(Boolean).join(' · ')), el('td', {}, e.address ?? e.remote_ip ?? ''),
      el('td', {}, e.requested_at ? ago(e.requested_at) : ''),
      el('td', {}, el('button', { type: 'button', class: 'primary', onclick: () => decide(e, 'accept') }, t('enroll.accept')), ' ',
        el('button', { type: 'button', onclick: () => decide(e, 'reject') }, t('enroll.reject'))))), 'enroll-table'));
  }

  async function refresh() {
    const r = await get('/api/enrollments?status=pending');
    if (!r.ok) { list = null; out.replaceChildren(); say(msg, r.missing ? t('enroll.not_available') : r.message, r.missing ? 'info' : 'error'); return; }
    list = r.data?.enrollments ?? [];
    render();
  }

  onLanguageChange(render);
  return {
    show() { refresh(); clearInterval(timer); timer = setInterval(refresh, REFRESH_MS); },
    hide() { clearInterval(timer); },
  };
}
