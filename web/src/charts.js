// Charts with uPlot (vendored from npm into dist/vendor; ~50 KB minified, canvas-based, draws 17,280-point series
// in a few milliseconds). Loaded on first use so the Deployment view's first load does not carry it.
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
      s.onerror = () => reject(new Error('vendor/uPlot.iife.min.js did not load'));
      document.head.append(s);
    });
  }
  return loading;
}

function widthOf(container) { return Math.max(300, container.clientWidth || 460); }

// Keeps a chart as wide as its panel.
function fit(plot, container, height) {
  const ro = new ResizeObserver(() => plot.setSize({ width: widthOf(container), height }));
  ro.observe(container);
}

// A time series: x in Unix seconds, one y series. Returns the plot; call plot.setData([xs, ys]).
export async function timeChart(container, { label, color = '#1f6feb', height = 200, yRange }) {
  const uPlot = await loadUPlot();
  const plot = new uPlot({
    width: widthOf(container), height,
    scales: { x: { time: true }, y: yRange ? { range: yRange } : { auto: true } },
    series: [{}, { label, stroke: color, width: 1.5, fill: color + '18', spanGaps: false, points: { show: false } }],
    axes: [{}, { size: 50 }],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  }, [[], []], container);
  fit(plot, container, height);
  return plot;
}

// Scatter on log-log axes: series given as {label, color, line} over one shared, sorted x array (null = no point).
export async function logScatter(container, { xLabel, yLabel, series, height = 320 }) {
  const uPlot = await loadUPlot();
  const plot = new uPlot({
    width: widthOf(container), height,
    mode: 1,
    scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
    series: [{ label: xLabel }, ...series.map((s) => ({
      label: s.label, stroke: s.color, width: s.line ? 1.5 : 0, spanGaps: true,
      paths: s.line ? undefined : () => null,
      points: { show: true, size: s.line ? 7 : 5, stroke: s.color, fill: s.line ? s.color : s.color + '55' },
    }))],
    axes: [{ label: xLabel }, { label: yLabel, size: 60 }],
  }, [[], ...series.map(() => [])], container);
  fit(plot, container, height);
  return plot;
}

// Bars over bin centres: x is the bin's lower edge (log scale), y the count.
export async function barChart(container, { xLabel, yLabel, color = '#1f6feb', height = 260, logX = true }) {
  const uPlot = await loadUPlot();
  const plot = new uPlot({
    width: widthOf(container), height,
    scales: { x: { time: false, distr: logX ? 3 : 1 }, y: { auto: true, range: (u, lo, hi) => [0, Math.max(1, hi)] } },
    series: [{ label: xLabel }, { label: yLabel, stroke: color, fill: color + '88',
      paths: uPlot.paths.bars({ size: [0.9, 60], align: 1 }), points: { show: false } }],
    axes: [{ label: xLabel }, { label: yLabel }],
  }, [[], []], container);
  fit(plot, container, height);
  return plot;
}
