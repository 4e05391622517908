// Entry point: language switch, the views as tabs (keyboard: arrow keys, Home, End), the address in the hash
// (#deployment, #devices, #devices/<id>, #monitoring, #monitoring/<id>, #analytics), the service worker that keeps the
// page usable offline, and a banner while the controller does not answer. Each view starts the first time it is
// shown, so the first load only fetches what the Deployment view needs.
import { applyTranslations, language, setLanguage, t, onLanguageChange } from './i18n.js';
import { $, $$ } from './dom.js';
import { onReachability } from './api.js';
import { startDeployment } from './views/deployment.js';

const starters = {
  deployment: async () => startDeployment(),
  devices: async () => (await import('./views/devices.js')).startDevices(),
  monitoring: async () => (await import('./views/monitoring.js')).startMonitoring(),
  analytics: async () => (await import('./views/analytics.js')).startAnalytics(),
};
const started = new Map();
const hooks = new Map();  // view name -> {show(arg), hide()} returned by its starter

function route() {
  const [view, arg] = location.hash.slice(1).split('/');
  return { view: starters[view] ? view : 'deployment', arg: arg ? decodeURIComponent(arg) : '' };
}

async function show() {
  const { view, arg } = route();
  for (const b of $$('#tabs [role="tab"]')) {
    const on = b.dataset.view === view;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  for (const s of $$('main > .view')) s.hidden = s.id !== `view-${view}`;
  for (const [name, h] of hooks) if (name !== view) h?.hide?.();
  if (!started.has(view)) started.set(view, starters[view]().then((h) => hooks.set(view, h)));
  await started.get(view);
  hooks.get(view)?.show?.(arg);
  document.body.dataset.view = view;
}

function tabKeys(e) {
  const tabs = $$('#tabs [role="tab"]');
  const i = tabs.indexOf(document.activeElement);
  if (i < 0) return;
  let next = null;
  if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
  else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
  else if (e.key === 'Home') next = tabs[0];
  else if (e.key === 'End') next = tabs[tabs.length - 1];
  if (!next) return;
  e.preventDefault();
  next.focus();
  location.hash = next.dataset.view;
}

function offlineBanner() {
  const banner = $('#offline-banner');
  let down = false;
  const render = () => {
    banner.textContent = down ? t('app.offline') : '';
    banner.hidden = !down;
  };
  onReachability((ok) => { down = !ok; render(); });
  window.addEventListener('offline', () => { down = true; render(); });
  onLanguageChange(render);
}

function init() {
  const lang = $('#lang');
  lang.value = language();
  lang.addEventListener('change', () => setLanguage(lang.value));
  applyTranslations();
  for (const b of $$('#tabs [role="tab"]')) b.addEventListener('click', () => { location.hash = b.dataset.view; });
  $('#tabs').addEventListener('keydown', tabKeys);
  window.addEventListener('hashchange', show);
  offlineBanner();
  show().then(() => { document.body.dataset.ready = 'true'; });
  // The offline shell (sw.js). Not on file:// or where service workers are off; the page works without it.
  if ('serviceWorker' in navigator && location.protocol.startsWith('http')) {
    navigator.serviceWorker.register('sw.js').catch(() => { /* the page works without it */ });
  }
}

init();
