/**
 * The points of one chart series, kept in typed arrays outside React and outside chart.js: live
 * batches are appended here (no React state per sample) and the chart draws a decimated view.
 * Beyond `maxPoints` the oldest half is dropped, so a run that goes on for days cannot exhaust
 * memory; the archive keeps every sample regardless.
 */
export class SeriesBuffer {
  private xs: Float64Array;
  private ys: Float64Array;
  private n = 0;
  /** xs and ys are arrays `set` was given, kept without a copy: copied before the first change. */
  private shared = false;
  /** Points dropped from the front since the buffer was created. */
  dropped = 0;

  constructor(
    capacity = 4096,
    readonly maxPoints = 4_000_000,
  ) {
    this.xs = new Float64Array(Math.max(16, capacity));
    this.ys = new Float64Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.n;
  }

  get x(): Float64Array {
    return this.xs.subarray(0, this.n);
  }

  get y(): Float64Array {
    return this.ys.subarray(0, this.n);
  }

  append(x: ArrayLike<number>, y: ArrayLike<number>): void {
    const m = Math.min(x.length, y.length);
    if (m === 0) return;
    if (this.shared) this.grow(this.n + m);
    if (this.n + m > this.maxPoints) this.dropOldest(this.n + m - this.maxPoints);
    if (this.n + m > this.xs.length) this.grow(this.n + m);
    if (x instanceof Float64Array && y instanceof Float64Array) {
      // Typed columns (every live batch and stored run): one block copy each.
      this.xs.set(x.length === m ? x : x.subarray(0, m), this.n);
      this.ys.set(y.length === m ? y : y.subarray(0, m), this.n);
    } else {
      for (let k = 0; k < m; k++) {
        this.xs[this.n + k] = x[k]!;
        this.ys[this.n + k] = y[k]!;
      }
    }
    this.n += m;
  }

  /**
   * Replaces the points. Float64Arrays are kept as they are, not copied (a stored run's columns
   * go to the chart without a copy): the caller must not change them afterwards; the buffer itself
   * copies them before it changes anything.
   */
  set(x: ArrayLike<number>, y: ArrayLike<number>): void {
    this.dropped = 0;
    if (x instanceof Float64Array && y instanceof Float64Array) {
      const m = Math.min(x.length, y.length);
      const from = Math.max(0, m - this.maxPoints);
      this.xs = x.subarray(from, m);
      this.ys = y.subarray(from, m);
      this.n = m - from;
      this.dropped = from;
      this.shared = true;
      return;
    }
    this.n = 0;
    this.append(x, y);
  }

  clear(): void {
    this.n = 0;
  }

  /** Moves the points into arrays of our own with room for at least `min`. */
  private grow(min: number): void {
    let c = Math.max(16, this.xs.length);
    while (c < min) c *= 2;
    const nx = new Float64Array(c);
    const ny = new Float64Array(c);
    nx.set(this.xs.subarray(0, this.n));
    ny.set(this.ys.subarray(0, this.n));
    this.xs = nx;
    this.ys = ny;
    this.shared = false;
  }

  private dropOldest(atLeast: number): void {
    const drop = Math.min(this.n, Math.max(atLeast, Math.floor(this.n / 2)));
    this.xs.copyWithin(0, drop, this.n);
    this.ys.copyWithin(0, drop, this.n);
    this.n -= drop;
    this.dropped += drop;
  }
}
