// Puts several time series (one per device, each sampled at its own times) on one x axis for uPlot, in `buckets`
// columns of time with at most two points each: a column's lowest and highest value in the order they happened (so
// peaks stay visible however long the range). uPlot reads `undefined` as "no sample here" (the line continues past it) and
// `null` as a gap (the line breaks): a series gets a null where it has no samples for longer than `gapS`, or where
// its values were null (the source had no value then).
//
// series: [{xs: number[] (seconds, ascending), ys: (number|null)[]}]; returns [xs, ys0, ys1, ...].
// Cost: one pass over the samples inside [t0, t1] (found by binary search) and one over the columns.
const NONE = 0, ONE = 1, TWO = 2, GAP = 3;

function lowerBound(xs, t) {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

export function align(series, { t0, t1, buckets, gapS = 30 }) {
  const n = Math.max(1, Math.floor(buckets));
  const w = t1 > t0 ? (t1 - t0) / n : 1;
  const gap = Math.max(gapS, 2.5 * w);
  const K = series.length;
  const first = new Float64Array(n * K), second = new Float64Array(n * K);
  const state = new Uint8Array(n * K);
  const used = new Uint8Array(n);
  for (let k = 0; k < K; k++) {
    const { xs, ys } = series[k];
    let b = -1, lo = 0, hi = 0, loI = 0, hiI = 0, have = false, sawNull = false, prevX = -Infinity, prevB = -1;
    const flush = () => {
      if (b < 0) return;
      const at = b * K + k;
      if (have) {
        used[b] = 1;
        if (lo === hi) { state[at] = ONE; first[at] = lo; } else {
          state[at] = TWO;
          first[at] = loI <= hiI ? lo : hi;
          second[at] = loI <= hiI ? hi : lo;
        }
      } else if (sawNull) { used[b] = 1; state[at] = GAP; }
    };
    for (let i = lowerBound(xs, t0); i < xs.length; i++) {
      const x = xs[i];
      if (x > t1) break;
      let bi = Math.floor((x - t0) / w);
      if (bi >= n) bi = n - 1;
      if (bi !== b) {
        flush();
        if (x - prevX > gap && bi - prevB >= 2 && prevB >= 0 && state[(prevB + 1) * K + k] === NONE) {
          state[(prevB + 1) * K + k] = GAP;  // the device was silent: break the line
          used[prevB + 1] = 1;
        }
        b = bi; have = false; sawNull = false;
      }
      const y = ys[i];
      if (y === null || y === undefined) sawNull = true;
      else if (!have) { lo = hi = y; loI = hiI = i; have = true; }
      else {
        if (y < lo) { lo = y; loI = i; }
        if (y > hi) { hi = y; hiI = i; }
      }
      prevX = x;
      prevB = bi;
    }
    flush();
  }
  let m = 0;
  for (let b = 0; b < n; b++) m += used[b];
  const xs = new Array(2 * m);
  const ys = Array.from({ length: K }, () => new Array(2 * m).fill(undefined));
  let j = 0;
  for (let b = 0; b < n; b++) {
    if (!used[b]) continue;
    xs[j] = t0 + (b + 0.25) * w;
    xs[j + 1] = t0 + (b + 0.75) * w;
    for (let k = 0; k < K; k++) {
      const at = b * K + k;
      const s = state[at];
      if (s === ONE) ys[k][j] = first[at];
      else if (s === TWO) { ys[k][j] = first[at]; ys[k][j + 1] = second[at]; } else if (s === GAP) ys[k][j] = null;
    }
    j += 2;
  }
  return [xs, ...ys];
}

// The newest non-null value of a series, or null.
export function lastValue(s) {
  for (let i = s.ys.length - 1; i >= 0; i--) if (s.ys[i] !== null && s.ys[i] !== undefined) return { x: s.xs[i], y: s.ys[i] };
  return null;
}
