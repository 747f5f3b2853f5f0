import type { Logger } from '../services/logs';

/** One step of closing: what it does (for the log) and the work. */
export type CloseStep = readonly [what: string, run: () => unknown];

/** How long one step may take before closing carries on without it (ms). */
export const CLOSE_STEP_TIMEOUT_MS = 10_000;

/**
 * Runs every step in order, each awaited, and carries on past a step that throws, rejects or does
 * not finish within `stepTimeoutMs`: a failure to stop the run engine must never keep the
 * instrument's output from being switched off after it, and one step that hangs (a serial port
 * that never drains) must not keep the app from quitting. Each failure is logged; none is thrown.
 * Resolves with the steps that failed.
 */
export async function closeInOrder(logger: Logger, steps: readonly CloseStep[], stepTimeoutMs = CLOSE_STEP_TIMEOUT_MS): Promise<string[]> {
  const failed: string[] = [];
  for (const [what, run] of steps) {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), stepTimeoutMs);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(run), timedOut]);
      if (outcome === 'timeout') {
        failed.push(what);
        logger.error(`closing the workbench: ${what} did not finish within ${stepTimeoutMs / 1000} s; carrying on without it`);
      }
    } catch (e) {
      failed.push(what);
      logger.error(`closing the workbench: ${what} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    } finally {
      clearTimeout(timer);
    }
  }
  return failed;
}
