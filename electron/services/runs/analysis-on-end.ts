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

/** A run with I–V sweeps keeps up to this many samples in memory (38 MB) for its analysis at the end (ours). */
export const KEEP_SAMPLES_UP_TO = 1_000_000;

/** Whether a run's protocol (its document as stored) has an I–V sweep: only those runs are analysed as they end. */
export function hasIvSweep(protocol: unknown): boolean {
  return JSON.stringify(protocol ?? null).includes('"iv-sweep"');
}

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
        // The engine kept the samples of the run that just ended: no need to read them back.
        const samples = runs.takeSamples(runId);
        if (!hasIvSweep(run.protocol)) return;
        try {
          analyzeRun(store, runId, undefined, samples ?? undefined);
        } catch (e) {
          // The store may be closing (the app quits as the run ends): the figures are computed when next asked for.
          logger.debug(`run ${runId}: the switching analysis was not stored at its end: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
      () => watched.delete(runId),
    );
  });
}
