/**
 * Stores the switching analysis of every run with I–V sweeps as it ends (#13: the figures are stored
 * with the run), so the Archive and `workbench analyze` read them back instead of computing them.
 * Runs without an iv-sweep block are left alone (nothing to extract, and nothing to pay).
 */
import type { EventBus } from '../../router';
import type { Logger } from '../logs';
import type { Store } from '../store';
import { analyzeRun } from './analysis';
import type { RunEngine } from './engine';

export function storeAnalysesOnEnd(bus: EventBus, runs: RunEngine, store: Store, logger: Logger): () => void {
  const watched = new Set<string>();
  return bus.subscribe((name, payload) => {
    if (name !== 'run.state') return;
    const { runId } = payload as { runId: string };
    if (watched.has(runId)) return;
    watched.add(runId);
    runs.whenDone(runId).then(
      (run) => {
        watched.delete(runId);
        if (!JSON.stringify(run.protocol ?? null).includes('"iv-sweep"')) return;
        try {
          analyzeRun(store, runId);
        } catch (e) {
          // The store may be closing (the app quits as the run ends): the figures are computed when next asked for.
          logger.debug(`run ${runId}: the switching analysis was not stored at its end: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
      () => watched.delete(runId),
    );
  });
}
