/**
 * Min–max decimation: of the points whose x falls in [xMin, xMax], keep for each of `buckets`
 * equal slices of x the first, the lowest, the highest and the last point, in x order (for a
 * series drawn as points, only the lowest and the highest: there is no line to keep continuous). A
 * line drawn through them looks like the full line at that width (no spike is lost), and the work
 * is one pass over the visible y values plus a binary search per bucket for where it ends — a
 * million points decimate in a few milliseconds, with no allocation when an output buffer is
 * passed in (the live charts redraw many times a second).
 *
 * x must be non-decreasing. NaN y values break the line (the first NaN of a bucket is kept as a gap).
 */
export class Points {
  x: Float64Array;
  y: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.x = new Float64Array(Math.max(1, capacity));
    this.y = new Float64Array(Math.max(1, capacity));
  }

  /** Empties the buffer, making room for at least `capacity` points. */
  reset(capacity: number): void {
    this.length = 0;
    if (capacity <= this.x.length) return;
    const c = Math.max(capacity, this.x.length * 2);
    this.x = new Float64Array(c);
    this.y = new Float64Array(c);
  }

  push(x: number, y: number): void {
    this.x[this.length] = x;
    this.y[this.length] = y;
    this.length++;
  }
}

/** The first index in [from, to) whose x is not below value (to when none is). */
export function lowerBound(x: ArrayLike<number>, value: number, from = 0, to = x.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose x is greater than value. */
export function upperBound(x: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// The picks of one bucket, sorted in place (at most five indices: no allocation per bucket).
const picks = new Int32Array(5);

export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, xMin: number, xMax: number, buckets: number, out = new Points(), style: 'line' | 'points' = 'line'): Points {
  const n = Math.min(x.length, y.length);
  // One point beyond each edge keeps the line running to the border of the plot.
  const start = Math.max(0, lowerBound(x, xMin, 0, n) - 1);
  const end = Math.min(n, upperBound(x, xMax) + 1);
  const count = end - start;
  const perBucket = style === 'points' ? 2 : 4;
  if (count <= 0) {
    out.reset(0);
    return out;
  }
  if (count <= buckets * perBucket) {
    out.reset(count);
    for (let k = start; k < end; k++) out.push(x[k]!, y[k]!);
    return out;
  }
  // A bucket yields at most five points (first, lowest, highest, last and a gap); the points
  // beyond each edge, and one at exactly xMax, fall in buckets of their own.
  out.reset((buckets + 4) * 5);
  // All x equal (e.g. every read before the first pulse, against pulse number): one bucket.
  const width = xMax > xMin ? (xMax - xMin) / buckets : Infinity;
  let k = start;
  while (k < end) {
    const first = k;
    // Where this bucket ends: the first x at or beyond its right edge.
    let stop = end;
    if (width !== Infinity) {
      const edge = xMin + (Math.floor((x[k]! - xMin) / width) + 1) * width;
      stop = Math.max(k + 1, lowerBound(x, edge, k + 1, end));
    }
    let lo = -1;
    let hi = -1;
    let gap = -1;
    let loV = 0;
    let hiV = 0;
    for (; k < stop; k++) {
      const v = y[k]!;
      if (v !== v) {
        if (gap < 0) gap = k;
        continue;
      }
      if (lo < 0 || v < loV) {
        lo = k;
        loV = v;
      }
      if (hi < 0 || v > hiV) {
        hi = k;
        hiV = v;
      }
    }
    let m = 0;
    if (style === 'line') {
      picks[m++] = first;
      picks[m++] = stop - 1;
      if (gap >= 0) picks[m++] = gap;
    }
    if (lo >= 0) picks[m++] = lo;
    if (hi >= 0) picks[m++] = hi;
    // Insertion sort of ≤ 5 indices, then emit each once.
    for (let a = 1; a < m; a++) {
      const p = picks[a]!;
      let b = a - 1;
      for (; b >= 0 && picks[b]! > p; b--) picks[b + 1] = picks[b]!;
      picks[b + 1] = p;
    }
    let prev = -1;
    for (let a = 0; a < m; a++) {
      const p = picks[a]!;
      if (p === prev) continue;
      prev = p;
      out.push(x[p]!, y[p]!);
    }
  }
  return out;
}
