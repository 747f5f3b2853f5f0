/**
 * Runs `work` with a signal that Ctrl+C (SIGINT) or SIGTERM aborts, so a long command stops the way
 * it was built to stop (its jobs cancelled, a device run checkpointed and its output off) instead
 * of being killed mid-write; the handlers are removed when the work ends.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
