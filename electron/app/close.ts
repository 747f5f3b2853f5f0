import type { Logger } from '../services/logs';

/** One step of closing: what it does (for the log) and the work. */
export type CloseStep = readonly [what: string, run: () => unknown];

/**
 * Runs every step in order, each awaited, and carries on past a step that throws (or rejects):
 * a failure to stop the run engine must never keep the instrument's output from being switched
 * off after it. Each failure is logged with its stack; none is thrown. Resolves with the steps
 * that failed.
 */
export async function closeInOrder(logger: Logger, steps: readonly CloseStep[]): Promise<string[]> {
  const failed: string[] = [];
  for (const [what, run] of steps) {
    try {
      await run();
    } catch (e) {
      failed.push(what);
      logger.error(`closing the workbench: ${what} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
  return failed;
}
