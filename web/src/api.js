// Talking to the controller: one fetch wrapper that turns every outcome into {ok, status, data, message}, so a panel
// shows a plain sentence for "endpoint missing" (404 from the router), a 4xx/5xx error, or no answer at all.
// When the controller asks for credentials (401), the login prompt (auth.js) is shown once for every request waiting,
// and the request is sent again after a login. Requests that change something carry the CSRF token (X-CSRF-Token)
// that the session's readable cookie holds.
import { t } from './i18n.js';
import { csrfToken, requireLogin } from './auth.js';

// The router answers an unknown route with 404 and "no such endpoint"; an endpoint that exists but finds nothing
// (unknown model, unknown device) answers 404 with its own error. Only the first is "not available yet".
function isMissingEndpoint(status, data) {
  return status === 404 && (!data || !data.error || /no such endpoint/i.test(data.error));
}

const listeners = new Set();
// Called with true when a request got no answer at all (the controller is down or the network is gone), false when
// one did: the page shows a banner meanwhile.
export function onReachability(fn) { listeners.add(fn); }
function reachable(yes) { for (const fn of listeners) fn(yes); }

export function errorMessage(path, status, data, statusText) {
  const where = path.split('?')[0];
  if (isMissingEndpoint(status, data)) return t('common.not_available', { path: where, status });
  const kind = data?.kind ? t(`errkind.${data.kind}`) : '';
  const error = data?.error ?? (statusText || t('common.no_json'));
  return t('common.http_error', { path: where, status, error: kind && kind !== `errkind.${data.kind}` ? `${kind}: ${error}` : error });
}

export async function request(path, { method = 'GET', json, form, signal, retried = false } = {}) {
  const init = { method, signal, headers: {}, credentials: 'same-origin' };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (form) {
    init.body = form;
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken()) init.headers['X-CSRF-Token'] = csrfToken();
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    reachable(false);
    return { ok: false, status: 0, data: null, message: t('common.network_error', { path: path.split('?')[0], error: e.message }) };
  }
  reachable(true);
  let data = null;
  const text = await res.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }  // not our JSON (a proxy's HTML page)
  if (res.status === 401 && !retried && !path.startsWith('/api/auth/')) {
    if (await requireLogin()) return request(path, { method, json, form, signal, retried: true });
  }
  if (res.ok) return { ok: true, status: res.status, data };
  const missing = isMissingEndpoint(res.status, data);
  return { ok: false, status: res.status, data, missing, field: data?.field,
    message: errorMessage(path, res.status, data, res.statusText) };
}

export const get = (path, opts) => request(path, opts);
export const post = (path, json, opts = {}) => request(path, { ...opts, method: 'POST', json });
export const patch = (path, json, opts = {}) => request(path, { ...opts, method: 'PATCH', json });
export const del = (path, opts = {}) => request(path, { ...opts, method: 'DELETE' });

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
