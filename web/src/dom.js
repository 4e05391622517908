// Small DOM helpers shared by the views: element building, a status line under a panel, tables.
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
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

// A status line under a panel: kind is 'info' | 'error' | 'ok' | 'warn'.
// Writes only what changed (a view redrawing every second does not touch the DOM for the same message).
export function say(target, text, kind = 'info') {
  const cls = `msg msg-${kind}`;
  if (target.textContent !== (text ?? '')) target.textContent = text ?? '';
  if (target.className !== cls) target.className = cls;
  if (target.hidden !== !text) target.hidden = !text;
}

// headers: strings or {text, n: true} for a numeric column.
export function table(headers, rows, id) {
  const th = (h) => (typeof h === 'string' ? el('th', { scope: 'col' }, h) : el('th', { scope: 'col', class: h.n ? 'n' : '' }, h.text));
  return el('table', { id }, el('thead', {}, el('tr', {}, headers.map(th))), el('tbody', {}, rows));
}

// A definition list item pair.
export const kv = (term, value, attrs = {}) => [el('dt', {}, term), el('dd', attrs, value)];

// Rebuilds a <select>'s options only when they changed (an open list is not rebuilt under the user's pointer).
export function setOptions(select, options) {
  const same = select.options.length === options.length &&
    options.every(([v, text], i) => select.options[i].value === v && select.options[i].text === text);
  if (same) return;
  const chosen = select.value;
  select.replaceChildren(...options.map(([v, text]) => el('option', { value: v }, text)));
  if (options.some(([v]) => v === chosen)) select.value = chosen;
}

// Saves a text as a file download (CSV export of what the page shows).
export function download(name, text, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
