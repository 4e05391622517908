// Register a device by hand: name, transport (lan: the controller calls the agent; mqtt: the agent connects to the
// broker), agent address (host:port, lan only), device type (the catalog's types are suggested), the
// agent's token (kept by the controller, never shown again), a group and tags (comma-separated).
import { post } from '../../api.js';
import { t } from '../../i18n.js';
import { $, el, say } from '../../dom.js';

export const tagsOf = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

export function startRegisterForm(types, { onRegistered }) {
  const form = $('#register-form');
  const msg = $('#register-msg');
  $('#device-type-list').replaceChildren(...types.map((d) => el('option', { value: d })));
  // An MQTT-mode agent connects to the broker itself: it needs no address (one may still be kept for reference).
  const transport = form.elements.transport;
  const needAddress = () => { form.elements.address.required = transport.value === 'lan'; };
  transport.addEventListener('change', needAddress);
  needAddress();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = form.elements;
    const body = { name: f.name.value.trim(), address: f.address.value.trim(), device_type: f.device_type.value.trim(),
      token: f.token.value, tags: tagsOf(f.tags.value) };
    if (f.group.value.trim()) body.group = f.group.value.trim();
    if (f.transport.value !== 'lan') body.transport = f.transport.value;
    if (!body.address) delete body.address;
    say(msg, t('common.loading'));
    const r = await post('/api/devices', body);
    if (!r.ok) {
      say(msg, r.message, 'error');
      if (r.field && f[r.field]) f[r.field].focus();
      return;
    }
    const d = r.data.device;
    say(msg, t(r.data.device.known_device_type === false ? 'register.done_unknown_type' : 'register.done',
      { name: d.name, type: d.device_type }), r.data.device.known_device_type === false ? 'warn' : 'ok');
    form.reset();
    needAddress();
    onRegistered(d);
  });
}
