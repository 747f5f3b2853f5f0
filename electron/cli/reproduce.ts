import path from 'node:path';
import { parseExperimentText, summariseProblems, type EnvironmentComparison, type Experiment } from '../../shared/rl';
import { resourcesDir } from '../app-meta';
import { FileReadError, readUserText } from '../services/files/read-user-file';
import { RunCancelledError, runExperiment } from '../services/rl';
import { UsageError } from './args';
import { defineCommand } from './command';
import { forTerminal } from './terminal-text';

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  synopsis: 'reproduce [--experiment FILE] [--seeds N] [--json]',
  summary: "Run the paper's RL comparison: training iterations of a device-driven learning rate against every baseline.",
  flags: {
    experiment: { type: 'string', description: 'experiment file (default: the shipped resources/experiments/paper.json)', placeholder: 'FILE' },
    seeds: { type: 'number', description: "number of seeds (default: the experiment's own)", placeholder: 'N' },
    workers: { type: 'number', description: 'worker threads (default: one per core)', placeholder: 'N' },
    json: { type: 'boolean', description: 'print one JSON document: {"<environment id>": {"baseline", "reductionPercent", "rows": [...]}, ...}' },
  },
  async run(flags) {
    const seeds = positiveInteger('--seeds', flags.seeds);
    const workers = positiveInteger('--workers', flags.workers);
    const file = flags.experiment ? path.resolve(flags.experiment) : path.join(resourcesDir(), 'experiments', 'paper.json');
    const experiment = loadExperiment(file);

    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    const showProgress = !flags.json && process.stderr.isTTY;
    try {
      const run = await runExperiment(experiment, {
        seeds,
        workers,
        signal: controller.signal,
        onProgress: showProgress ? ({ done, total }) => process.stderr.write(`\r${done}/${total} runs`) : undefined,
      });
      if (showProgress) process.stderr.write('\r\x1b[K');
      if (flags.json) process.stdout.write(`${JSON.stringify(jsonReport(run.comparison), null, 2)}\n`);
      else process.stdout.write(forTerminal(humanReport(experiment, run.comparison, seeds ?? experiment.seeds, run.seconds, run.workers)));
      return 0;
    } catch (error) {
      if (error instanceof RunCancelledError) {
        process.stderr.write('\nworkbench reproduce: cancelled\n');
        return 130;
      }
      throw error;
    } finally {
      process.off('SIGINT', stop);
    }
  },
});

function positiveInteger(flag: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1 && value <= 10_000)) {
    throw new UsageError(`${flag} must be an integer from 1 to 10000, got ${value}`);
  }
  return value;
}

/** Reads and validates the experiment; every failure is one line naming the file. */
function loadExperiment(file: string): Experiment {
  let text: string;
  try {
    text = readUserText(file, 'experiment');
  } catch (error) {
    if (!(error instanceof FileReadError)) throw error;
    if (error.reason === 'missing') throw new Error(`cannot read experiment file ${file}: no such file`);
    if (error.reason === 'not-a-file' && error.message.endsWith('is a folder, not a file')) throw new Error(`cannot read experiment file ${file}: it is a folder`);
    throw error;
  }
  const parsed = parseExperimentText(text);
  if (!parsed.ok) throw new Error(`invalid experiment file ${file}: ${oneLine(summariseProblems(parsed.problems))}`);
  return parsed.experiment;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** The --json document: one entry per environment id. */
export function jsonReport(comparison: readonly EnvironmentComparison[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of comparison) {
    out[c.environmentId] = {
      title: c.title,
      primary: c.primary.name,
      baseline: c.baseline.name,
      reductionPercent: c.reductionPercent,
      bestOther: { name: c.bestOther.name, median: c.bestOther.median },
      reductionVsBestPercent: c.reductionVsBestPercent,
      beatenBy: c.beatenBy,
      rows: c.rows.map((r) => ({ id: r.id, name: r.name, median: r.median, q1: r.q1, q3: r.q3, seeds: r.seeds, unconverged: r.unconverged })),
    };
  }
  return out;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const pct = (x: number) => `${x.toFixed(1)} %`;

function humanReport(experiment: Experiment, comparison: readonly EnvironmentComparison[], seeds: number, seconds: number, workers: number): string {
  const out: string[] = [
    experiment.title,
    '',
    `Parameters: ${experiment.provenance}`,
    '',
    `Training iterations = episodes until the greedy policy walks a shortest path for K = ${experiment.convergenceWindow} consecutive episodes`,
    '(dynamic mazes: summed over phases; a phase that never converges is charged its full length). Median and IQR over seeds.',
  ];
  for (const c of comparison) {
    const env = experiment.environments.find((e) => e.id === c.environmentId)!;
    const base = c.rows.find((r) => r.id === c.baseline.id)!;
    const head = ['strategy', 'median', 'IQR (q1–q3)', 'seeds', 'unconverged', 'vs baseline'];
    const rows = c.rows.map((r) => [
      `${r.id === c.primary.id ? '* ' : r.id === c.baseline.id ? 'b ' : '  '}${r.name}`,
      fmt(r.median),
      `${fmt(r.q1)}–${fmt(r.q3)}`,
      String(r.seeds),
      String(r.unconverged),
      r.id === c.baseline.id ? 'baseline' : `${((r.median - base.median) / base.median) * 100 > 0 ? '+' : ''}${pct(((r.median - base.median) / base.median) * 100)}`,
    ]);
    const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
    const line = (cells: string[]) => cells.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join('  ');
    out.push('', `${c.title} [${c.environmentId}]`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
    const reported = env.reportedReductionPercent !== undefined ? ` (published: ${env.reportedReductionPercent} %)` : '';
    out.push(`* ${c.primary.name} vs b ${c.baseline.name}: ${pct(c.reductionPercent)} fewer training iterations${reported}.`);
    if (c.beatenBy.length === 0 && c.bestOther.median === c.rows.find((r) => r.id === c.primary.id)!.median) {
      out.push(`  Tied with the best other strategy: ${c.bestOther.name} (median ${fmt(c.bestOther.median)}).`);
    } else if (c.beatenBy.length === 0) {
      out.push(`  Best other strategy: ${c.bestOther.name} (median ${fmt(c.bestOther.median)}); ${c.primary.name} needs ${pct(c.reductionVsBestPercent)} fewer.`);
    } else {
      out.push(
        `  NOT the best here: ${c.beatenBy.join(', ')} ${c.beatenBy.length === 1 ? 'has' : 'have'} a lower median; ${c.primary.name} needs ${pct(-c.reductionVsBestPercent)} more than the best, ${c.bestOther.name} (median ${fmt(c.bestOther.median)}).`,
      );
    }
  }
  out.push('', `${seeds} seeds, ${comparison.length} environments, ${experiment.strategies.length} strategies: ${seconds.toFixed(1)} s on ${workers} worker thread${workers === 1 ? '' : 's'}.`, '');
  return out.join('\n');
}
