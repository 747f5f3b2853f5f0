/**
 * A token bucket for error reports from the renderer: a page stuck in an error loop must not fill
 * the log (or the disk). `burst` reports at once, then `perMinute` a minute; the ones dropped are
 * counted and the count is logged with the next report that gets through.
 */
export class ReportLimiter {
  private tokens: number;
  private last: number;
  private dropped = 0;

  constructor(
    private readonly burst = 20,
    private readonly perMinute = 30,
    private readonly clock: () => number = () => Date.now(),
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  /** Whether a report may be logged now; `dropped` is how many were refused since the last one allowed. */
  take(): { allowed: boolean; dropped: number } {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 60_000) * this.perMinute);
    this.last = now;
    if (this.tokens < 1) {
      this.dropped++;
      return { allowed: false, dropped: this.dropped };
    }
    this.tokens -= 1;
    const dropped = this.dropped;
    this.dropped = 0;
    return { allowed: true, dropped };
  }
}
