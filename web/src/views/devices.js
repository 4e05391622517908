// The Devices view: the registered devices (list, register, enrollment requests) and a page per device
// (#devices/<id>: status, agent, stored versions with rollback, deploy history, live figures, edit, delete).
import { $ } from '../dom.js';
import { loadDeviceTypes } from '../devices.js';
import { startDeviceList } from './devices/device_list.js';
import { startRegisterForm } from './devices/register_form.js';
import { startEnrollmentPanel } from './devices/enrollment_panel.js';
import { startDevicePage } from './devices/device_page.js';

export async function startDevices() {
  const types = await loadDeviceTypes();
  const list = startDeviceList();
  startRegisterForm(types, { onRegistered: () => list.refresh() });
  const enrollments = startEnrollmentPanel({ onAccepted: () => list.refresh() });
  const page = startDevicePage({ onDeleted: () => { location.hash = 'devices'; list.refresh(); } });
  return {
    show(id) {
      $('#devices-home').hidden = !!id;
      $('#device-page').hidden = !id;
      if (id) { list.hide(); enrollments.hide(); page.show(id); } else { page.hide(); list.show(); enrollments.show(); }
    },
    hide() { list.hide(); page.hide(); enrollments.hide(); },
  };
}
