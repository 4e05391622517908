// Numbers, dates and durations in the chosen language's conventions (Intl). A value the source did not have (null)
// is shown as "unavailable", never as 0.
import { locale, t } from './i18n.js';

const cache = new Map();
function nf(options) {
  const key = locale() + JSON.stringify(options);
  if (!cache.has(key)) cache.set(key, new Intl.NumberFormat(locale(), options));
  return cache.get(key);
}
function df(options) {
  const key = `d${locale()}${JSON.stringify(options)}`;
  if (!cache.has(key)) cache.set(key, new Intl.DateTimeFormat(locale(), options));
  return cache.get(key);
}

const missing = (v) => v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));

// Three significant digits (whole numbers above 1000 are not cut), scientific beyond 1e6 or below 1e-4.
export function num(v, digits = 3) {
  if (missing(v)) return t('common.unavailable');
  const a = Math.abs(v);
  if (a >= 1e6 || (a !== 0 && a < 1e-4)) return nf({ notation: 'scientific', maximumSignificantDigits: digits }).format(v);
  if (a >= 10 ** digits) return nf({ maximumFractionDigits: 0 }).format(v);
  return nf({ maximumSignificantDigits: digits }).format(v);
}

// "12.5 mWh"; unavailable stays a word.
export function withUnit(v, unit, digits = 3) { return missing(v) ? t('common.unavailable') : `${num(v, digits)} ${unit}`; }

// A 0..1 ratio as a percentage.
export function pct(ratio, digits = 3) {
  if (missing(ratio)) return t('common.unavailable');
  return `${num(ratio * 100, digits)} %`;
}

export function integer(v) { return missing(v) ? t('common.unavailable') : nf({ maximumFractionDigits: 0 }).format(v); }

// Unix seconds (or ms, or an ISO string) -> date and time.
export function when(ts) {
  if (ts === null || ts === undefined || ts === '') return t('common.unavailable');
  const d = typeof ts === 'number' ? new Date(ts < 1e12 ? ts * 1000 : ts) : new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : df({ dateStyle: 'short', timeStyle: 'medium' }).format(d);
}
export function clock(tsSeconds) { return df({ timeStyle: 'medium' }).format(new Date(tsSeconds * 1000)); }
export function shortDate(tsSeconds) { return df({ month: 'short', day: 'numeric' }).format(new Date(tsSeconds * 1000)); }
export function shortTime(tsSeconds) { return df({ hour: '2-digit', minute: '2-digit' }).format(new Date(tsSeconds * 1000)); }

// "5 minutes ago"
export function ago(tsSeconds, nowSeconds = Date.now() / 1000) {
  if (missing(tsSeconds)) return t('common.unavailable');
  const s = tsSeconds - nowSeconds;
  const rtf = cache.get(`r${locale()}`) ?? new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  cache.set(`r${locale()}`, rtf);
  const a = Math.abs(s);
  if (a < 60) return rtf.format(Math.round(s), 'second');
  if (a < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (a < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

export function seconds(v) {
  if (missing(v)) return t('common.unavailable');
  if (v < 1) return `${num(v * 1000)} ms`;
  return `${num(v)} s`;
}

export function bytes(n) {
  if (missing(n)) return t('common.unavailable');
  if (n >= 1e9) return `${num(n / 1e9)} GB`;
  if (n >= 1e6) return `${num(n / 1e6)} MB`;
  return `${num(n / 1e3)} kB`;
}

export function hertz(v) {
  if (missing(v)) return t('common.unavailable');
  return v >= 1e9 ? `${num(v / 1e9)} GHz` : `${num(v / 1e6)} MHz`;
}
