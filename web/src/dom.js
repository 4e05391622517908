// Small DOM and number helpers shared by the views. Numbers are shown as the API gives them; null means the source
// had no value, shown as "unavailable", never as 0.
import { t } from './i18n.js';

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

export function num(v, digits = 3) {
  if (v === null || v === undefined || Number.isNaN(v)) return t('common.unavailable');
  const a = Math.abs(v);
  if (a >= 1e6 || (a !== 0 && a < 1e-4)) return v.toExponential(2);
  if (a >= 10 ** digits) return Math.round(v).toString();
  return Number(v.toPrecision(digits)).toString();
}

// A status line under a panel: kind is 'info' | 'error' | 'ok' | 'warn'.
export function say(target, text, kind = 'info') {
  target.textContent = text ?? '';
  target.className = `msg msg-${kind}`;
  target.hidden = !text;
}

export function table(headers, rows) {
  return el('table', {},
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows));
}

export function when(ts) {
  if (ts === null || ts === undefined) return t('common.unavailable');
  const d = typeof ts === 'number' ? new Date(ts < 1e12 ? ts * 1000 : ts) : new Date(ts);
  return Number.isNaN(d.getTime()) ? String(ts) : d.toLocaleString();
}
