/**
 * How long the charts took to draw, frame by frame: the last `capacity` frames in a ring (no
 * allocation per frame, bounded however long a run goes), summarised on request. The live charts
 * expose it for the benchmark and the tests.
 */
export interface DrawSummary {
  /** Frames recorded since the last reset (all of them, not only those still in the ring). */
  frames: number;
  /** Over the frames in the ring, ms. */
  meanMs: number;
  p95Ms: number;
  maxMs: number;
}

export class DrawStats {
  private readonly ms: Float64Array;
  private count = 0;

  constructor(capacity = 4096) {
    this.ms = new Float64Array(Math.max(1, capacity));
  }

  add(ms: number): void {
    this.ms[this.count % this.ms.length] = ms;
    this.count++;
  }

  reset(): void {
    this.count = 0;
  }

  summary(): DrawSummary {
    const held = this.ms.slice(0, Math.min(this.count, this.ms.length)).sort();
    if (held.length === 0) return { frames: 0, meanMs: 0, p95Ms: 0, maxMs: 0 };
    let sum = 0;
    for (const v of held) sum += v;
    return { frames: this.count, meanMs: sum / held.length, p95Ms: held[Math.ceil(held.length * 0.95) - 1]!, maxMs: held[held.length - 1]! };
  }
}
