// Charts with uPlot (vendored from npm into vendor/; canvas-based). Loaded on first use, so the Deployment view's
// first load does not carry it. Axis labels go through Intl in the chosen language; uPlot's own legend is off: each
// view shows the current values beside its chart, and the values under the cursor while hovering (onCursor).
import { num, clock, shortDate, shortTime } from './format.js';

let loading = null;

export function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = 'vendor/uPlot.min.css';
      document.head.append(css);
      const s = document.createElement('script');
      s.src = 'vendor/uPlot.iife.min.js';
      s.onload = () => resolve(window.uPlot);
      s.onerror = () => { loading = null; reject(new Error('vendor/uPlot.iife.min.js did not load')); };
      document.head.append(s);
    });
  }
  return loading;
}

export function widthOf(container) { return Math.max(200, Math.floor(container.clientWidth || 320)); }

// Keeps a chart as wide as its panel (a phone turned, a window resized).
// The plot stays reachable from its container (container.uplot) for devtools and the browser tests.
function fit(plot, container, height) {
  container.uplot = plot;
  const ro = new ResizeObserver(() => {
    const w = widthOf(container);
    if (w !== plot.width) plot.setSize({ width: w, height });
  });
  ro.observe(container);
  return ro;
}

// Ticks a day or more apart show the date, a minute or more the time, closer ones the seconds too.
const timeValues = (u, splits, axisIdx, space, incr) => splits.map((s) => (incr >= 86400 ? shortDate(s) : incr >= 60 ? shortTime(s) : clock(s)));
const numValues = (u, splits) => splits.map((v) => num(v));

// Lines over time: one series per entry of `series` ({label, color}); data from decimate.align().
// onCursor(idx | null) is called as the pointer moves over the plot (null when it leaves).
export async function timeChart(container, { series, height = 190, yRange, onCursor }) {
  const uPlot = await loadUPlot();
  const opts = {
    width: widthOf(container), height,
    scales: { x: { time: true }, y: yRange ? { range: yRange } : { auto: true } },
    // 1 px lines: canvas draws them on its fast path (1.5 px took ~4x longer to raster with ten dense series).
    series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 1, spanGaps: false, points: { show: false } }))],
    axes: [{ values: timeValues, size: 36 }, { values: numValues, size: 48 }],
    legend: { show: false },
    cursor: { drag: { x: true, y: false } },
    // Only when the hovered point changes: uPlot also calls this on every setData, and a caller that rebuilds its
    // labels each time would force the page's layout once per chart per redraw.
    hooks: { setCursor: [(u) => {
      const idx = u.cursor.left < 0 ? null : u.cursor.idx;
      if (idx !== lastIdx) { lastIdx = idx; onCursor?.(idx); }
    }] },
  };
  let lastIdx = null;
  const plot = new uPlot(opts, [[], ...series.map(() => [])], container);
  const ro = fit(plot, container, height);
  plot.root.addEventListener('mouseleave', () => { if (lastIdx !== null) { lastIdx = null; onCursor?.(null); } });
  return { plot, destroy() { ro.disconnect(); plot.destroy(); } };
}

// Scatter on log-log axes: series given as {label, color, line} over one shared, sorted x array (null = no point).
// labelOf(seriesIdx, dataIdx) names the point under the pointer in a tooltip (the model of a catalog row).
export async function logScatter(container, { xLabel, yLabel, series, height = 320, labelOf }) {
  const uPlot = await loadUPlot();
  const tip = document.createElement('div');
  tip.className = 'chart-tip';
  tip.hidden = true;
  tip.setAttribute('role', 'tooltip');
  const plot = new uPlot({
    width: widthOf(container), height,
    mode: 1,
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    series: [{ label: xLabel }, ...series.map((s) => ({
      label: s.label, stroke: s.color, width: s.line ? 1.5 : 0, spanGaps: true,
      paths: s.line ? undefined : () => null,
      points: { show: true, size: s.line ? 7 : 5, stroke: s.color, fill: s.line ? s.color : `${s.color}55` },
    }))],
    axes: [{ label: xLabel, values: numValues }, { label: yLabel, size: 60, values: numValues }],
    cursor: { points: { show: false } },
    hooks: { setCursor: [(u) => nearestPoint(u, tip, labelOf)] },
  }, [[], ...series.map(() => [])], container);
  plot.over.append(tip);
  const ro = fit(plot, container, height);
  return { plot, destroy() { ro.disconnect(); plot.destroy(); } };
}

// The point nearest the pointer (within 12 px), over every series, named in the tooltip.
function nearestPoint(u, tip, labelOf) {
  const { left, top } = u.cursor;
  if (!labelOf || left === undefined || left < 0) { tip.hidden = true; return; }
  let best = null;
  const xs = u.data[0];
  for (let s = 1; s < u.data.length; s++) {
    if (!u.series[s].show) continue;
    const ys = u.data[s];
    for (let i = 0; i < xs.length; i++) {
      if (ys[i] === null || ys[i] === undefined) continue;
      const dx = u.valToPos(xs[i], 'x') - left, dy = u.valToPos(ys[i], 'y') - top;
      const d = dx * dx + dy * dy;
      if (d < 144 && (!best || d < best.d)) best = { d, s, i, x: dx + left, y: dy + top };
    }
  }
  if (!best) { tip.hidden = true; return; }
  tip.textContent = labelOf(best.s, best.i);
  tip.hidden = false;
  tip.style.left = `${Math.min(best.x + 8, u.over.clientWidth - tip.offsetWidth - 2)}px`;
  tip.style.top = `${Math.max(0, best.y - 28)}px`;
  tip.dataset.series = String(best.s);
  tip.dataset.index = String(best.i);
}

// Bars over bin centres: x is the bin's lower edge (log scale), y the count.
export async function barChart(container, { xLabel, yLabel, color = '#1f6feb', height = 260, logX = true }) {
  const uPlot = await loadUPlot();
  const plot = new uPlot({
    width: widthOf(container), height,
    scales: { x: { time: false, distr: logX ? 3 : 1 }, y: { auto: true, range: (u, lo, hi) => [0, Math.max(1, hi)] } },
    series: [{ label: xLabel }, { label: yLabel, stroke: color, fill: `${color}88`,
      paths: uPlot.paths.bars({ size: [0.9, 60], align: 1 }), points: { show: false } }],
    axes: [{ label: xLabel, values: numValues }, { label: yLabel, values: numValues }],
    legend: { show: false },
  }, [[], []], container);
  const ro = fit(plot, container, height);
  return { plot, destroy() { ro.disconnect(); plot.destroy(); } };
}
