import type { ReadRunOp } from './program';

/** Waits shorter than this (s) are rounding noise from pacing, not time anyone asked for. */
export const NEGLIGIBLE_WAIT = 1e-12;

/** When iteration `iteration` of a paced loop that started at `start` ends: start + min((iteration + 1)·period, cap). */
export function paceTarget(start: number, iteration: number, period: number, cap: number): number {
  return start + Math.min((iteration + 1) * period, cap);
}

/**
 * Walks reads 0…n−1 of a read run with the interpreter's own arithmetic (execute.ts uses this too,
 * so the two cannot drift apart): `visit(t, wait)` for each read, t when it starts and `wait` the
 * duration of the wait the interpreter yields after it (starting at t + integration), 0 when it
 * yields none. Returns when read n would start.
 */
export function stepReadRun(op: ReadRunOp, n: number, visit?: (t: number, wait: number) => void): number {
  let now = op.t;
  for (let k = 0; k < n; k++) {
    const end = now + op.integration;
    const target = paceTarget(op.start, op.iteration + k, op.period, op.cap);
    const wait = target - end > NEGLIGIBLE_WAIT ? target - end : 0;
    visit?.(now, wait);
    now = Math.max(end, target);
  }
  return now;
}
