// Puts several time series (one per device, each sampled at its own times) on one x axis for uPlot, at most two
// points per pixel column, keeping each column's lowest and highest value in the order they happened (so peaks stay
// visible however long the range). uPlot reads `undefined` as "no sample here" (the line continues past it) and
// `null` as a gap (the line breaks): a series gets a null where it has no samples for longer than `gapS`, or where
// its values were null (the source had no value then).
//
// series: [{xs: number[] (seconds, ascending), ys: (number|null)[]}]; returns [xs, ys0, ys1, ...].
export function align(series, { t0, t1, buckets, gapS = 30 }) {
  const n = Math.max(1, Math.floor(buckets));
  const w = t1 > t0 ? (t1 - t0) / n : 1;
  const gap = Math.max(gapS, 2.5 * w);
  // Per series, per used bucket: [firstValue, secondValue] (either may be undefined), or null for "gap here".
  const perSeries = series.map(() => new Map());
  const used = new Uint8Array(n);
  series.forEach((s, k) => {
    const out = perSeries[k];
    let b = -1, lo = null, hi = null, loI = 0, hiI = 0, onlyNull = false, prevX = null, prevB = -1;
    const flush = () => {
      if (b < 0) return;
      if (lo === null) { if (onlyNull) { out.set(b, null); used[b] = 1; } return; }
      out.set(b, lo === hi ? [lo, undefined] : (loI <= hiI ? [lo, hi] : [hi, lo]));
      used[b] = 1;
    };
    const xs = s.xs, ys = s.ys;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      if (x < t0 || x > t1) continue;
      let bi = Math.floor((x - t0) / w);
      if (bi >= n) bi = n - 1;
      if (bi !== b) {
        flush();
        if (prevX !== null && x - prevX > gap && bi - prevB >= 2 && !out.has(prevB + 1)) {
          out.set(prevB + 1, null);  // the device was silent: break the line
          used[prevB + 1] = 1;
        }
        b = bi; lo = null; hi = null; onlyNull = false;
      }
      const y = ys[i];
      if (y === null || y === undefined) onlyNull = lo === null;
      else {
        if (lo === null || y < lo) { lo = y; loI = i; }
        if (hi === null || y > hi) { hi = y; hiI = i; }
      }
      prevX = x;
      prevB = bi;
    }
    flush();
  });
  const xs = [];
  const ys = series.map(() => []);
  for (let b = 0; b < n; b++) {
    if (!used[b]) continue;
    xs.push(t0 + (b + 0.25) * w, t0 + (b + 0.75) * w);
    for (let k = 0; k < series.length; k++) {
      const v = perSeries[k].get(b);
      if (v === undefined) ys[k].push(undefined, undefined);
      else if (v === null) ys[k].push(null, undefined);
      else ys[k].push(v[0], v[1]);
    }
  }
  return [xs, ...ys];
}

// The newest non-null value of a series, or null.
export function lastValue(s) {
  for (let i = s.ys.length - 1; i >= 0; i--) if (s.ys[i] !== null && s.ys[i] !== undefined) return { x: s.xs[i], y: s.ys[i] };
  return null;
}
