/**
 * What happens to an error nothing caught on the Node side.
 *
 * - 'unhandledRejection': logged (with its stack) and the process carries on — a forgotten
 *   `.catch` is a bug to fix, not a reason to drop a live run.
 * - 'uncaughtException': logged, then `shutdown` (the app services: the run engine switches the
 *   output off and the store commits what its writers hold and closes), bounded by a timeout,
 *   then `fatal` (Electron shows a dialog; the default exits with status 1). Node's state after an
 *   uncaught exception is not trustworthy, so the process does not carry on.
 */
import type { Logger } from './logger';

interface ProcessLike {
  on(event: 'uncaughtException', listener: (error: unknown, origin?: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'uncaughtException', listener: (error: unknown, origin?: string) => void): unknown;
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

export interface ProcessErrorHandlerOptions {
  /** The data folder's logger (or stderr's before one is open); lines go under source 'process'. */
  logger: Logger;
  /** Closes what must be closed cleanly (app services). Called once. */
  shutdown?: () => Promise<void> | void;
  /** Tells the user and ends the process. Default: process.exit(1). */
  fatal?: (error: unknown) => void;
  /** Longest wait for shutdown (ms). Default 5000. */
  shutdownTimeoutMs?: number;
  /** The process (tests pass an emitter). */
  target?: ProcessLike;
}

/** Installs the handlers; returns a function that removes them. */
export function installProcessErrorHandlers(options: ProcessErrorHandlerOptions): () => void {
  const target: ProcessLike = options.target ?? process;
  const logger = options.logger.child('process');
  let fatalStarted = false;

  const onRejection = (reason: unknown) => {
    logger.error(`unhandled promise rejection: ${messageOf(reason)}`, reason);
  };

  const onException = (error: unknown, origin?: string) => {
    logger.error(`uncaught exception: ${messageOf(error)}`, error, { origin });
    if (fatalStarted) return;
    fatalStarted = true;
    void (async () => {
      try {
        if (options.shutdown) {
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<'timeout'>((resolve) => {
            timer = setTimeout(() => resolve('timeout'), options.shutdownTimeoutMs ?? 5000);
          });
          const outcome = await Promise.race([Promise.resolve(options.shutdown()).then(() => 'closed' as const), timeout]);
          clearTimeout(timer);
          if (outcome === 'timeout') logger.error('closing the workbench after the uncaught exception timed out');
          else logger.info('the workbench closed its data cleanly after the uncaught exception');
        }
      } catch (e) {
        logger.error(`closing the workbench after the uncaught exception failed: ${messageOf(e)}`, e);
      } finally {
        (options.fatal ?? (() => process.exit(1)))(error);
      }
    })();
  };

  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
