/**
 * An RL run's per-episode data as one tidy CSV — the same table for this PC's runs (`rl.export`)
 * and the lab's (`lab.rlExport`): one header line, then one row per episode of every stored job
 * (environment × strategy × seed, in the experiment's order, seeds ascending). RFC 4180, UTF-8,
 * LF line ends, a dot as the decimal mark; units in the column names where there is one.
 * Every number is written as the shortest text that reads back to the stored double (String(x)),
 * so the file holds exactly what the store holds; an empty cell is a value that does not exist
 * (the conductance behind a schedule's α).
 */
import type { EpisodeTrace, Experiment } from '../../../shared/rl';
import { exportFilename, type ExportedText } from '../runs/export';

export interface EpisodeCsvColumn {
  name: string;
  description: string;
}

export const EPISODE_CSV_COLUMNS: readonly EpisodeCsvColumn[] = [
  { name: 'environment', description: 'the environment’s id in the experiment' },
  { name: 'strategy', description: 'the learning-rate strategy’s id in the experiment' },
  { name: 'seed', description: 'the job’s seed' },
  { name: 'episode', description: 'episode number, 0-based (as on the charts)' },
  { name: 'steps', description: 'steps the agent took in the episode (a count)' },
  { name: 'return', description: 'the episode’s summed reward (the maze’s reward units)' },
  { name: 'learning_rate', description: 'the learning rate α the episode learned with (dimensionless)' },
  { name: 'conductance_S', description: 'the device conductance G behind α, in siemens; empty for a schedule' },
  { name: 'reached_goal', description: '1 when the episode reached the goal, 0 when the step cap cut it' },
  { name: 'greedy_steps', description: 'length of the greedy path from the start after the episode, in steps; -1 when it misses the goal' },
];

export const EPISODE_CSV_HEADER = EPISODE_CSV_COLUMNS.map((c) => c.name).join(',');

/** One job's stored traces, as `store.rlRuns.traces` and the lab's `labRlTraces` give them. */
export type StoredTraces = readonly { seed: number; trace: EpisodeTrace }[];

/** The shortest text that reads back to x (−0 kept: String gives '0'); empty for NaN and ±∞. */
const num = (x: number): string => (Number.isFinite(x) ? (Object.is(x, -0) ? '-0' : String(x)) : '');

/** An id as a CSV field: as it is (experiment ids are letters, digits, '.', '_', '-'), quoted if a foreign one needs it. */
const field = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The per-episode CSV of a run; `read` gives the stored traces of one strategy on one environment
 * (every seed). A job not stored yet (a running or cancelled run) has no rows.
 */
export async function rlEpisodesCsv(
  run: { id: string; name: string; config: Experiment },
  read: (environmentId: string, strategyId: string) => StoredTraces | Promise<StoredTraces>,
): Promise<ExportedText> {
  const lines = [EPISODE_CSV_HEADER];
  for (const env of run.config.environments) {
    for (const strategy of run.config.strategies) {
      const traces = [...(await read(env.id, strategy.id))].sort((a, b) => a.seed - b.seed);
      const prefix = `${field(env.id)},${field(strategy.id)},`;
      for (const { seed, trace: t } of traces) {
        for (let e = 0; e < t.steps.length; e++) {
          lines.push(`${prefix}${seed},${e},${t.steps[e]},${num(t.returns[e]!)},${num(t.alpha[e]!)},${num(t.conductance[e]!)},${t.success[e]},${t.greedyLength[e]}`);
        }
      }
    }
  }
  lines.push('');
  return { filename: exportFilename({ name: `${run.name} episodes`, id: run.id }, 'csv'), mime: 'text/csv', text: lines.join('\n') };
}
