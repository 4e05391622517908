// Where a deployment goes: registered devices (one or several, ticked by hand or all of a group), or a free agent
// address (host:port, the original system's way; the controller registers it under its address). The list is asked
// again every few seconds while the view is shown, so "offline" turns "online" once the controller has polled.
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say, setOptions } from '../../dom.js';
import { ago } from '../../format.js';
import { loadDevices, groupsOf } from '../../devices.js';
import { getState, setState, subscribe } from '../../state.js';

const REFRESH_MS = 5000;

export function statusChip(d) {
  const s = d.online === null ? 'unknown' : d.online ? 'online' : 'offline';
  return el('span', { class: `chip chip-${s}`, dataset: { status: s } }, t(`device.${s}`));
}

export function startTargetsPanel() {
  const list = $('#target-list');
  const group = $('#target-group');
  const address = $('#device-address');
  const msg = $('#targets-msg');
  let devices = [];
  let timer = 0;

  const chosen = () => new Set(getState().targets);

  function render() {
    setOptions(group, [['', t('targets.pick_group')], ...groupsOf(devices).map((g) => [g, g])]);
    if (!devices.length) { list.replaceChildren(el('p', { class: 'hint' }, t('device.none_registered'))); return; }
    const on = chosen();
    list.replaceChildren(...devices.map((d) => el('label', { class: 'check target', dataset: { device: d.id } },
      el('input', { type: 'checkbox', value: d.id, checked: on.has(d.id),
        onchange: (e) => toggle(d.id, e.target.checked) }),
      el('span', { class: 'target-name' }, d.name), ' ', statusChip(d),
      el('small', { class: 'target-meta' }, [d.deviceType, d.group && `${t('register.group')}: ${d.group}`,
        d.tags.length ? d.tags.join(', ') : '', d.lastSeen ? t('device.last_seen', { when: ago(d.lastSeen) }) : '']
        .filter(Boolean).join(' · ')))));
  }

  function toggle(id, on) {
    const set = chosen();
    if (on) set.add(id); else set.delete(id);
    const targets = devices.filter((d) => set.has(d.id)).map((d) => d.id);  // the list's order
    if (targets.length) address.value = '';
    group.value = '';
    setState({ targets, deviceAddress: targets.length ? '' : address.value.trim() });
  }

  async function refresh() {
    const r = await loadDevices();
    devices = r.devices;
    if (!r.ok) say(msg, r.message, 'warn'); else say(msg, '');
    // Targets that were deleted meanwhile leave the selection.
    const known = new Set(devices.map((d) => d.id));
    const kept = getState().targets.filter((id) => known.has(id));
    if (kept.length !== getState().targets.length) setState({ targets: kept });
    render();
  }

  group.addEventListener('change', () => {
    const g = group.value;
    const targets = g ? devices.filter((d) => d.group === g).map((d) => d.id) : [];
    if (targets.length) address.value = '';
    setState({ targets, deviceAddress: targets.length ? '' : address.value.trim() });
    render();
    group.value = g;  // render() rebuilt the ticks; the chosen group stays shown
  });
  $('#target-none').addEventListener('click', () => { setState({ targets: [] }); group.value = ''; render(); });
  address.addEventListener('input', () => {
    setState({ deviceAddress: address.value.trim(), targets: [] });
    render();
  });
  // "Connect" in the Balena panel fills the address.
  subscribe((s, patch) => {
    if ('deviceAddress' in patch && address.value.trim() !== s.deviceAddress) address.value = s.deviceAddress;
    if ('targets' in patch && !patch.targets.length) for (const c of list.querySelectorAll('input')) c.checked = false;
  });
  onLanguageChange(render);
  refresh();
  return {
    refresh,
    devices: () => devices,
    show() { clearInterval(timer); timer = setInterval(refresh, REFRESH_MS); refresh(); },
    hide() { clearInterval(timer); },
  };
}
