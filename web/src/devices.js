// The registered devices (GET /api/devices), shared by the Deployment targets, the Devices view and Monitoring.
// A device of the answer: {id, name, address, device_type, online, status, last_seen, last_error, tags, group, ...};
// fields other work adds (transport: lan | mqtt) are read when present, never assumed.
import { get } from './api.js';

export function normalizeDevice(d) {
  return {
    id: String(d.id),
    name: d.name ?? String(d.id),
    address: d.address ?? '',
    transport: d.transport ?? (d.address ? 'lan' : ''),
    deviceType: d.device_type ?? '',
    online: typeof d.online === 'boolean' ? d.online : null,
    lastSeen: d.last_seen ?? null,
    lastError: d.last_error ?? null,
    tags: Array.isArray(d.tags) ? d.tags : [],
    group: d.group ?? '',
    hasToken: !!d.has_token,
    raw: d,
  };
}

export async function loadDevices() {
  const r = await get('/api/devices');
  if (!r.ok) return { ok: false, message: r.message, devices: [] };
  const list = r.data?.devices ?? [];
  return { ok: true, devices: list.map(normalizeDevice) };
}

export function groupsOf(devices) {
  return [...new Set(devices.map((d) => d.group).filter(Boolean))].sort();
}

// The catalog's device types, for the library, predictor and analytics selectors.
let types = null;
export async function loadDeviceTypes() {
  if (types) return types;
  const r = await get('/healthz');
  types = r.ok ? (r.data?.devices ?? []) : [];
  return types;
}

// Colours for devices drawn together (one per device, in order); chosen for contrast on white.
export const PALETTE = ['#1f6feb', '#cf222e', '#1a7f37', '#8250df', '#9a6700', '#0a7ea4', '#bf3989', '#57606a', '#bc4c00',
  '#116329'];
