// The registered devices (GET /api/devices), shared by the Deployment picker and the Monitoring selector.
// Field names follow the API of issue 5; the original `bbb_ip` is read where `address` is absent.
import { get } from './api.js';

export function normalizeDevice(d) {
  return {
    id: String(d.id ?? d.device_id ?? d.name),
    name: d.name ?? String(d.id),
    address: d.address ?? d.bbb_ip ?? '',
    deviceType: d.device_type ?? '',
    online: d.online ?? (d.status ? d.status === 'online' : null),
    lastSeen: d.last_seen ?? d.last_seen_s ?? null,
    raw: d,
  };
}

export async function loadDevices() {
  const r = await get('/api/devices');
  if (!r.ok) return { ok: false, message: r.message, devices: [] };
  const list = Array.isArray(r.data) ? r.data : (r.data?.devices ?? []);
  return { ok: true, devices: list.map(normalizeDevice) };
}

// The catalog's device types, for the library, predictor and analytics selectors.
export async function loadDeviceTypes() {
  const r = await get('/healthz');
  return r.ok ? (r.data.devices ?? []) : [];
}
