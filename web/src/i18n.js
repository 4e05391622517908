// Every string the dashboard shows, in English and Vietnamese (strings_en.js, strings_vi.js: the same keys), and the
// switch between them. Markup names a string with data-i18n="key" (text) or data-i18n-placeholder / -title /
// -aria-label (attributes); code calls t(). The choice is kept in localStorage so a reload keeps it; numbers and dates
// follow it too (format.js, through Intl).
import EN from './strings_en.js';
import VI from './strings_vi.js';

const STORAGE_KEY = 'edgeml.lang';
const STRINGS = { en: EN, vi: VI };
const LOCALES = { en: 'en-US', vi: 'vi-VN' };  // what Intl formats numbers and dates with

export const LANGUAGES = Object.keys(STRINGS);
let current = readStoredLanguage();
const listeners = new Set();

function readStoredLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && STRINGS[stored]) return stored;
  } catch { /* storage disabled: English */ }
  return 'en';
}

export function language() { return current; }
export function locale() { return LOCALES[current]; }

// t('deploy.over_budget', {energy: 12, budget: 10}); a missing key shows itself so it is noticed, never hidden.
export function t(key, params = {}) {
  const s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

// A word the controller or an agent sends as data (a step name, a status, a flag, a throttle flag): its translation
// when we have one (key `${group}.${word}`), else the word itself.
export function term(group, word) {
  if (word === null || word === undefined || word === '') return '';
  const key = `${group}.${word}`;
  return STRINGS[current][key] ?? STRINGS.en[key] ?? String(word);
}

export function applyTranslations(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
}

export function setLanguage(lang) {
  if (!STRINGS[lang]) return;
  current = lang;
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* not remembered, still switched */ }
  applyTranslations();
  for (const fn of listeners) fn(lang);
}

// Views re-render their dynamic text (tables, messages, chart legends) when the language changes.
export function onLanguageChange(fn) { listeners.add(fn); }
