/**
 * A benchmark measures a figure and, in the same run, a baseline for it, so the reported number is
 * a ratio that survives a shared, noisy machine. Absolute figures are printed too, for context.
 */
export interface BenchFigure {
  /** Stable id, e.g. 'store.ingest'. */
  id: string;
  /** What was measured, in words. */
  title: string;
  /** The measured value and its unit (e.g. samples/s). */
  value: number;
  unit: string;
  /** The baseline measured in the same run, when the figure is a ratio against one. */
  baseline?: { title: string; value: number; unit: string };
  /** value / baseline.value (or the inverse for times: always "higher is better" as documented in title). */
  ratio?: number;
  /** The target from the issue, and whether this run met it. */
  target?: { description: string; met: boolean };
}

export interface BenchContext {
  /** A scratch folder that is removed after the run. */
  tmpDir: string;
  /** Scale factor for quick runs in tests (1 = full size). */
  scale: number;
}

export interface Benchmark {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchFigure[]>;
}
