// Checks a page must pass in every view (run inside the browser with page.evaluate):
//   - no horizontal overflow (the page is never wider than the window; wide tables scroll inside their panel),
//   - every visible form control has an accessible name (label, aria-label/labelledby, title, or its text),
//   - visible text has a contrast of at least 4.5:1 against the colour behind it (3:1 for large text), WCAG 2.1.

export function overflow(page) {
  return page.evaluate(() => ({
    window: window.innerWidth,
    page: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
  }));
}

export function unlabelled(page) {
  return page.evaluate(() => {
    const visible = (e) => e.offsetParent !== null || getComputedStyle(e).position === 'fixed';
    const name = (e) => {
      if (e.getAttribute('aria-label')?.trim()) return true;
      const by = e.getAttribute('aria-labelledby');
      if (by && by.split(/\s+/).some((id) => document.getElementById(id)?.textContent.trim())) return true;
      if (e.labels && [...e.labels].some((l) => l.textContent.trim())) return true;
      if (e.title?.trim()) return true;
      if ((e.tagName === 'BUTTON' || e.getAttribute('role') === 'button') && e.textContent.trim()) return true;
      return false;
    };
    return [...document.querySelectorAll('input, select, textarea, button, [role="button"], [role="tab"]')]
      .filter((e) => visible(e) && e.type !== 'hidden' && !name(e))
      .map((e) => `${e.tagName.toLowerCase()}#${e.id || ''}[name=${e.name || ''}]`);
  });
}

export function lowContrast(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const blend = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
      b: top.b * top.a + under.b * (1 - top.a), a: 1 });
    // The colour behind an element: its own background and its ancestors', blended over white.
    const background = (e) => {
      const layers = [];
      for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c && c.a > 0) layers.push(c);
        if (c && c.a === 1) break;
      }
      return layers.reverse().reduce((acc, c) => blend(c, acc), { r: 255, g: 255, b: 255, a: 1 });
    };
    const out = [];
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const e = t.parentElement;
      if (!t.textContent.trim() || !e || seen.has(e) || e.closest('[hidden], dialog:not([open]), svg, canvas, option')) continue;
      seen.add(e);
      if (e.offsetParent === null && getComputedStyle(e).position !== 'fixed') continue;
      const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || Number(s.opacity) < 0.1) continue;
      if (e.closest('button:disabled, input:disabled')) continue;  // WCAG exempts inactive controls
      const fg = parse(s.color);
      if (!fg) continue;
      const bg = background(e);
      const l1 = lum(blend(fg, bg)), l2 = lum(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
      const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      if (ratio < need) out.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} "${t.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
    return out;
  });
}
