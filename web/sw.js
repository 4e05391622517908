// The dashboard's service worker: the page's own files (the "shell") are kept in a cache so the dashboard opens
// without a connection to the controller and says so, instead of the browser's error page. Network first: while the
// controller answers, every file comes from it (a new controller brings a new page at once) and the cache is
// refreshed; only when it does not answer does the cached copy serve. The API (/api/, /models/, /metrics) is never
// cached: a figure shown is always the controller's answer of now, or the panel says there is none.
const CACHE = 'edgeml-shell-v1';
// Every file of the page (web/dist.list "page" and "vendor" entries). tests/web checks that this list is complete.
const SHELL = [
  './',
  'index.html',
  'manifest.webmanifest',
  'icons/icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'icons/maskable-512.png',
  'vendor/uPlot.iife.min.js',
  'vendor/uPlot.min.css',
  'src/style.css',
  'src/main.js',
  'src/api.js',
  'src/auth.js',
  'src/charts.js',
  'src/decimate.js',
  'src/devices.js',
  'src/dom.js',
  'src/format.js',
  'src/i18n.js',
  'src/strings_en.js',
  'src/strings_vi.js',
  'src/state.js',
  'src/telemetry_detail.js',
  'src/views/analytics.js',
  'src/views/pareto.js',
  'src/views/deployment.js',
  'src/views/deployment/balena_panel.js',
  'src/views/deployment/deploy_panel.js',
  'src/views/deployment/energy_watch_panel.js',
  'src/views/deployment/library_panel.js',
  'src/views/deployment/log_panel.js',
  'src/views/deployment/predict_panel.js',
  'src/views/deployment/preview_panel.js',
  'src/views/deployment/rollout_panel.js',
  'src/views/deployment/targets_panel.js',
  'src/views/deployment/upload_panel.js',
  'src/views/devices.js',
  'src/views/devices/device_page.js',
  'src/views/devices/device_list.js',
  'src/views/devices/enrollment_panel.js',
  'src/views/devices/register_form.js',
  'src/views/monitoring.js',
  'src/views/monitoring/detail_charts.js',
  'src/views/monitoring/device_status.js',
  'src/views/monitoring/history.js',
];

const isApi = (url) => /^\/(api|models|metrics|healthz)(\/|$)/.test(url.pathname);

self.addEventListener('install', (event) => {
  // One file missing must not keep the others out of the cache.
  event.waitUntil(caches.open(CACHE).then((c) => Promise.all(SHELL.map((f) => c.add(f).catch(() => null))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || isApi(url)) return;  // the browser's own way
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const res = await fetch(req);
      if (res.ok) cache.put(req, res.clone());
      return res;
    } catch (e) {
      const hit = await cache.match(req, { ignoreSearch: true }) ?? (req.mode === 'navigate' ? await cache.match('index.html') : null);
      if (hit) return hit;
      throw e;
    }
  })());
});
