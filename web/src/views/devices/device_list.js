// Every registered device: status, type, address or transport, group and tags, last seen, last error; the name links
// to the device's page. Filter by any of those words. Asked again every few seconds while shown.
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say, table } from '../../dom.js';
import { ago } from '../../format.js';
import { loadDevices } from '../../devices.js';
import { statusChip } from '../deployment/targets_panel.js';

const REFRESH_MS = 5000;

export function addressOf(d) {
  if (d.transport && d.transport !== 'lan') return `${d.transport}${d.address ? ` (${d.address})` : ''}`;
  return d.address || t('common.unavailable');
}

export function startDeviceList() {
  const out = $('#device-list');
  const msg = $('#devlist-msg');
  const filter = $('#devlist-filter');
  let devices = null;
  let timer = 0;

  function render() {
    if (!devices) return;
    if (!devices.length) { out.replaceChildren(); say(msg, t('device.none_registered')); return; }
    const q = filter.value.trim().toLowerCase();
    const rows = devices.filter((d) => !q || [d.name, d.address, d.deviceType, d.group, ...d.tags, d.transport]
      .some((v) => String(v ?? '').toLowerCase().includes(q)));
    say(msg, t('devices.count', { shown: rows.length, total: devices.length }));
    out.replaceChildren(table(
      [t('register.name'), t('devices.col_status'), t('library.device_type'), t('devices.col_address'), t('register.group'),
        t('register.tags'), t('devices.col_last_seen'), t('devices.col_last_error')],
      rows.map((d) => el('tr', { dataset: { device: d.id } },
        el('td', {}, el('a', { href: `#devices/${encodeURIComponent(d.id)}` }, d.name)),
        el('td', {}, statusChip(d)),
        el('td', {}, d.deviceType),
        el('td', {}, addressOf(d)),
        el('td', {}, d.group || ''),
        el('td', {}, d.tags.map((tag) => el('span', { class: 'tag' }, tag))),
        el('td', {}, d.lastSeen ? ago(d.lastSeen) : t('devices.never')),
        el('td', { class: 'wrap' }, d.lastError ?? ''))), 'device-table'));
  }

  async function refresh() {
    const r = await loadDevices();
    if (!r.ok) { say(msg, r.message, 'error'); return; }
    devices = r.devices;
    render();
  }

  filter.addEventListener('input', render);
  onLanguageChange(render);
  return {
    refresh,
    show() { refresh(); clearInterval(timer); timer = setInterval(refresh, REFRESH_MS); },
    hide() { clearInterval(timer); },
  };
}
