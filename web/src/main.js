// Entry point: language switch, tab switching, and each view started the first time it is shown (so the first load
// only fetches what the Deployment view needs).
import { applyTranslations, language, setLanguage } from './i18n.js';
import { $, $$ } from './dom.js';
import { startDeployment } from './views/deployment.js';

const starters = {
  deployment: async () => startDeployment(),
  monitoring: async () => (await import('./views/monitoring.js')).startMonitoring(),
  analytics: async () => (await import('./views/analytics.js')).startAnalytics(),
};
const started = new Map();
const hooks = new Map();  // view name -> {show, hide} returned by its starter

async function show(view) {
  if (!starters[view]) view = 'deployment';
  for (const b of $$('#tabs button')) b.setAttribute('aria-selected', String(b.dataset.view === view));
  for (const s of $$('main > .view')) s.hidden = s.id !== `view-${view}`;
  for (const [name, h] of hooks) if (name !== view) h?.hide?.();
  if (!started.has(view)) started.set(view, starters[view]().then((h) => hooks.set(view, h)));
  await started.get(view);
  hooks.get(view)?.show?.();
  document.body.dataset.view = view;
}

function init() {
  const lang = $('#lang');
  lang.value = language();
  lang.addEventListener('change', () => setLanguage(lang.value));
  applyTranslations();
  for (const b of $$('#tabs button')) b.addEventListener('click', () => { location.hash = b.dataset.view; });
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  show(location.hash.slice(1) || 'deployment').then(() => { document.body.dataset.ready = 'true'; });
}

init();
