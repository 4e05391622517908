// The Balena fleet (GET /api/balena/devices): filter by application slug, online only; "Connect" fills the address.
import { get, query } from '../../api.js';
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say, table } from '../../dom.js';
import { setState } from '../../state.js';

const AGENT_PORT = 8000;  // the agent's default port, as in the original system

export function startBalenaPanel() {
  const form = $('#balena-form');
  const msg = $('#balena-msg');
  const list = $('#balena-list');
  let devices = null;

  const ips = (d) => d.ip_address ?? [];  // the controller splits Balena's space-separated string into a list

  function render() {
    if (!devices) return;
    if (!devices.length) { list.replaceChildren(); say(msg, t('balena.empty')); return; }
    list.replaceChildren(table(
      [t('balena.col_name'), t('balena.col_type'), t('balena.col_online'), t('balena.col_ip'), t('balena.col_os'), ''],
      devices.map((d) => el('tr', {},
        el('td', {}, d.device_name ?? d.uuid),
        el('td', {}, d.device_type ?? ''),
        el('td', {}, t(d.is_online ? 'common.yes' : 'common.no')),
        el('td', {}, ips(d).join(' ')),
        el('td', {}, d.os_version ?? ''),
        el('td', {}, el('button', {
          type: 'button',
          onclick: () => {
            const ip = ips(d)[0];
            if (!ip) { say(msg, t('balena.no_ip'), 'warn'); return; }
            setState({ deviceAddress: `${ip}:${AGENT_PORT}`, targets: [], deviceType: d.device_type ?? '' });
          },
        }, t('balena.connect')))))));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    say(msg, t('common.loading'));
    const r = await get('/api/balena/devices' + query({
      app_slug: $('#balena-slug').value.trim(), online_only: $('#balena-online').checked ? 'true' : 'false' }));
    if (!r.ok) { devices = null; list.replaceChildren(); say(msg, r.message, r.missing ? 'warn' : 'error'); return; }
    say(msg, '');
    devices = r.data?.devices ?? [];
    render();
  });
  onLanguageChange(render);
}
