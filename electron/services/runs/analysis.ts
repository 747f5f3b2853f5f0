/**
 * A run's switching analysis (#13): extracted from its stored samples by shared/analysis, with the
 * read voltage of its device preset (when the run reads nothing) and the SET compliance of its
 * protocol (when no sample was flagged in compliance), and stored with the run. A stored analysis
 * is reused while the run's sample count and the extraction version are those it was computed
 * with; an analysis of a run still going is computed but not stored.
 */
import { analysisOptions, analyzeSwitching, type SwitchingAnalysis } from '../../../shared/analysis';
import { isTerminalRunStatus } from '../../../shared/contract';
import type { SampleColumns } from '../../../shared/samples/columns';
import type { Store } from '../store';

/** Bump when the extraction changes what it finds: stored analyses of an older version are computed again. */
export const ANALYSIS_VERSION = 2;

export interface RunAnalysis {
  readonly runId: string;
  readonly sampleCount: number;
  readonly computedAt: string;
  /** True when it is (now) stored with the run. */
  readonly stored: boolean;
  readonly analysis: SwitchingAnalysis;
}

/**
 * `samples`: the run's samples when the caller has them all already (the engine keeps those of the
 * run that just ended); used only when they are as many as the store holds, else read from the store.
 */
export function analyzeRun(store: Store, runId: string, now: () => Date = () => new Date(), samples?: SampleColumns): RunAnalysis {
  const run = store.runs.get(runId);
  const kept = store.analyses.get(run.id);
  if (kept !== null && kept.version === ANALYSIS_VERSION && kept.sampleCount === run.sampleCount && isTerminalRunStatus(run.status)) {
    return { runId: run.id, sampleCount: kept.sampleCount, computedAt: kept.computedAt, stored: true, analysis: kept.analysis as SwitchingAnalysis };
  }
  const data = samples !== undefined && samples.length === run.sampleCount ? samples : store.readSamples(run.id);
  const analysis = analyzeSwitching(data, analysisOptions(run.protocol, run.device));
  if (!isTerminalRunStatus(run.status)) {
    return { runId: run.id, sampleCount: data.length, computedAt: now().toISOString(), stored: false, analysis };
  }
  const saved = store.analyses.put(run.id, ANALYSIS_VERSION, data.length, analysis);
  return { runId: run.id, sampleCount: saved.sampleCount, computedAt: saved.computedAt, stored: true, analysis };
}
