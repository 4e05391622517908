// The registered devices (GET /api/devices), shared by the Deployment picker and the Monitoring selector.
// A device of the answer: {id, name, address, device_type, online, status, last_seen, last_error, ...}.
import { get } from './api.js';

export function normalizeDevice(d) {
  return {
    id: String(d.id),
    name: d.name,
    address: d.address,
    deviceType: d.device_type,
    online: d.online,
    lastSeen: d.last_seen,
    raw: d,
  };
}

export async function loadDevices() {
  const r = await get('/api/devices');
  if (!r.ok) return { ok: false, message: r.message, devices: [] };
  const list = r.data?.devices ?? [];
  return { ok: true, devices: list.map(normalizeDevice) };
}

// The catalog's device types, for the library, predictor and analytics selectors.
export async function loadDeviceTypes() {
  const r = await get('/healthz');
  return r.ok ? (r.data.devices ?? []) : [];
}
