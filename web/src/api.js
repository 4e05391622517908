// Talking to the controller: one fetch wrapper that turns every outcome into {ok, status, data, message}, so a panel
// shows a plain sentence for "endpoint missing" (404 from the router), a 4xx/5xx error, or no answer at all.
import { t } from './i18n.js';

// The router answers an unknown route with 404 and "no such endpoint"; an endpoint that exists but finds nothing
// (unknown model, unknown device) answers 404 with its own error. Only the first is "not available yet".
function isMissingEndpoint(status, data) {
  return status === 404 && (!data || !data.error || /no such endpoint/i.test(data.error));
}

export async function request(path, { method = 'GET', json, form, signal } = {}) {
  const init = { method, signal, headers: {} };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = form;
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    return { ok: false, status: 0, data: null, message: t('common.network_error', { path, error: e.message }) };
  }
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }  // not our JSON (a proxy's HTML page)
  if (res.ok) return { ok: true, status: res.status, data };
  const missing = isMissingEndpoint(res.status, data);
  const message = missing
    ? t('common.not_available', { path: path.split('?')[0], status: res.status })
    : t('common.http_error', { path: path.split('?')[0], status: res.status, error: data?.error ?? (res.statusText || 'no JSON in the answer') });
  return { ok: false, status: res.status, data, message, missing, field: data?.field };
}

export const get = (path, opts) => request(path, opts);
export const post = (path, json, opts = {}) => request(path, { ...opts, method: 'POST', json });

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
