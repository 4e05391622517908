// Target device: a free address (host:port of an agent) or one of the registered devices. The list is asked again
// every few seconds while the view is shown, so "offline" turns "online" once the controller has polled the agent.
import { t, onLanguageChange } from '../../i18n.js';
import { $, el, say } from '../../dom.js';
import { loadDevices } from '../../devices.js';
import { setState, subscribe } from '../../state.js';

const REFRESH_MS = 5000;

export function startDevicePanel() {
  const address = $('#device-address');
  const picker = $('#device-picker');
  const msg = $('#device-msg');
  let devices = [];

  function render() {
    const options = [['', t('device.pick')], ...devices.map((d) => [d.id,
      `${d.name} — ${d.address} (${d.online === null ? '?' : t(d.online ? 'device.online' : 'device.offline')})`])];
    const same = picker.options.length === options.length &&
      options.every(([v, text], i) => picker.options[i].value === v && picker.options[i].text === text);
    if (same) return;  // an open list is not rebuilt under the user's pointer
    const chosen = picker.value;
    picker.replaceChildren(...options.map(([v, text]) => el('option', { value: v }, text)));
    picker.value = chosen;
    picker.disabled = devices.length === 0;
  }

  async function refresh() {
    const r = await loadDevices();
    devices = r.devices;
    if (!r.ok) say(msg, r.message, 'warn');
    else say(msg, devices.length ? '' : t('device.none_registered'), 'info');
    render();
  }

  address.addEventListener('input', () => {
    picker.value = '';
    setState({ deviceAddress: address.value.trim(), deviceId: '' });
  });
  picker.addEventListener('change', () => {
    const d = devices.find((x) => x.id === picker.value);
    address.value = d ? d.address : '';
    setState({ deviceAddress: d ? d.address : '', deviceId: d ? d.id : '', deviceType: d?.deviceType ?? '' });
  });
  // "Connect" in the Balena panel fills the address.
  subscribe((s, patch) => { if ('deviceAddress' in patch && address.value !== s.deviceAddress) address.value = s.deviceAddress; });
  onLanguageChange(refresh);  // its messages are sentences in the old language: ask again
  refresh();
  let timer = 0;
  return {
    refresh,
    show() { clearInterval(timer); timer = setInterval(refresh, REFRESH_MS); },
    hide() { clearInterval(timer); },
  };
}
