// The energy/latency Pareto front of a set of rows: no other row has both lower (or equal) energy and lower latency.
// Computed here for the 2-D chart; the controller's own front (/api/models/recommended) also counts size.
export function paretoFront(rows, x = (r) => r.latency_avg_s, y = (r) => r.energy_mwh) {
  const sorted = rows.filter((r) => x(r) > 0 && y(r) > 0).sort((a, b) => x(a) - x(b) || y(a) - y(b));
  const front = [];
  let best = Infinity;
  for (const r of sorted) if (y(r) < best) { front.push(r); best = y(r); }
  return front;
}

// Log-spaced bins over positive values: [{lo, hi, count}].
export function logHistogram(values, binsPerDecade = 4) {
  const v = values.filter((x) => x > 0);
  if (!v.length) return [];
  const lo = Math.floor(Math.log10(Math.min(...v)) * binsPerDecade);
  const hi = Math.ceil(Math.log10(Math.max(...v)) * binsPerDecade + 1e-9);
  const bins = [];
  for (let i = lo; i < Math.max(hi, lo + 1); i++) bins.push({ lo: 10 ** (i / binsPerDecade), hi: 10 ** ((i + 1) / binsPerDecade), count: 0 });
  for (const x of v) {
    const i = Math.min(bins.length - 1, Math.floor(Math.log10(x) * binsPerDecade) - lo);
    bins[i].count++;
  }
  return bins;
}
