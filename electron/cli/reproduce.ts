import path from 'node:path';
import { experimentWorkProblem, HEADLINE_METRIC_TITLE, parseExperimentText, reductionPercent, summariseProblems, type EnvironmentComparison, type Experiment, type Reduction } from '../../shared/rl';
import { resourcesDir } from '../app-meta';
import { FileReadError, readUserText } from '../services/files/read-user-file';
import { RunCancelledError, runExperiment } from '../services/rl';
import { RL_BOUNDS } from '../../shared/contract/limits';
import { formatCount } from '../../shared/units';
import { UsageError } from './args';
import { interruptible } from './interrupt';
import { defineCommand } from './command';
import { forTerminal } from './terminal-text';

export const reproduceCommand = defineCommand({
  name: 'reproduce',
  synopsis: 'reproduce [--experiment FILE] [--seeds N] [--json]',
  summary: "Run the paper's RL comparison: training iterations of a device-driven learning rate against every baseline.",
  flags: {
    experiment: { type: 'string', description: 'experiment file (default: the shipped resources/experiments/paper.json)', placeholder: 'FILE' },
    seeds: { type: 'number', description: `number of seeds (default: the experiment's own); the run's worst-case agent steps must stay within ${formatCount(RL_BOUNDS.agentSteps)} (ours, Help → Limits)`, placeholder: 'N' },
    workers: { type: 'number', description: 'worker threads (default: one per core)', placeholder: 'N' },
    json: { type: 'boolean', description: 'print one JSON document: {"<environment id>": {"baseline", "reductionPercent", "rows": [...]}, ...}' },
  },
  async run(flags) {
    const seeds = positiveInteger('--seeds', flags.seeds);
    const workers = positiveInteger('--workers', flags.workers);
    const file = flags.experiment ? path.resolve(flags.experiment) : path.join(resourcesDir(), 'experiments', 'paper.json');
    const experiment = loadExperiment(file);
    // The file's own seeds were checked against the bound with it; other seeds are checked here.
    const work = seeds === undefined ? null : experimentWorkProblem(experiment, seeds);
    if (work) throw new UsageError(`--seeds ${seeds}: ${work.message}`);

    const showProgress = !flags.json && process.stderr.isTTY;
    try {
      const run = await interruptible((signal) => runExperiment(experiment, {
        seeds,
        workers,
        signal,
        onProgress: showProgress ? ({ done, total }) => process.stderr.write(`\r${done}/${total} runs`) : undefined,
      }));
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
export function loadExperiment(file: string): Experiment {
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
      metric: c.metric,
      metricTitle: HEADLINE_METRIC_TITLE,
      primary: c.primary.name,
      baseline: c.baseline.name,
      reductionPercent: c.reductionPercent,
      bestConstant: c.bestConstant && { name: c.bestConstant.name, median: c.bestConstant.median },
      bestDecay: c.bestDecay && { name: c.bestDecay.name, median: c.bestDecay.median },
      reductionVsBestConstantPercent: c.vsBestConstant?.percent ?? null,
      reductionVsBestDecayPercent: c.vsBestDecay?.percent ?? null,
      // Paired bootstrap 95 % intervals over seeds, one per reduction above.
      ci95: { vsBaseline: c.vsBaseline.ci95, vsBestConstant: c.vsBestConstant?.ci95 ?? null, vsBestDecay: c.vsBestDecay?.ci95 ?? null },
      // 'exact', or 'at-least' / 'at-most' when censored seeds reach a median.
      bounds: { vsBaseline: c.vsBaseline.bound, vsBestConstant: c.vsBestConstant?.bound ?? null, vsBestDecay: c.vsBestDecay?.bound ?? null },
      bestOther: { name: c.bestOther.name, median: c.bestOther.median },
      reductionVsBestPercent: c.reductionVsBestPercent,
      beatenBy: c.beatenBy,
      rows: c.rows.map((r) => ({
        id: r.id,
        name: r.name,
        family: r.family,
        median: r.median,
        q1: r.q1,
        q3: r.q3,
        seeds: r.seeds,
        censored: r.censored,
        medianCensored: r.medianCensored,
        firstK: r.firstK,
        regret: r.regret,
      })),
    };
  }
  return out;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));
const pct = (x: number) => `${x.toFixed(1)} %`;

const interval = (ci: [number, number] | null) => (ci ? ` [95 % CI ${ci[0].toFixed(1)} to ${ci[1].toFixed(1)} %]` : '');
const boundWord = (b: Reduction['bound']) => (b === 'at-least' ? 'at least ' : b === 'at-most' ? 'at most ' : b === 'unknown' ? '(censored, unknown) ' : '');

/** "X % fewer" or "X % more", with its interval and any censoring bound. */
function reductionText(r: Reduction): string {
  const word = r.percent >= 0 ? 'fewer' : 'more';
  return `${boundWord(r.bound)}${pct(Math.abs(r.percent))} ${word}${interval(r.ci95)}`;
}

function humanReport(experiment: Experiment, comparison: readonly EnvironmentComparison[], seeds: number, seconds: number, workers: number): string {
  const out: string[] = [
    `${experiment.title} — our experiment after the paper`,
    '',
    `Parameters: ${experiment.provenance}`,
    '',
    `Headline: ${HEADLINE_METRIC_TITLE}; a seed whose phase never settles is charged the phase length and counted as censored (≥: the true figure is larger).`,
    `Beside it: the episodes to the first K = ${experiment.convergenceWindow} consecutive optimal episodes, and the regret (steps beyond the optimum). Median and IQR over seeds.`,
  ];
  for (const c of comparison) {
    const env = experiment.environments.find((e) => e.id === c.environmentId)!;
    const head = ['strategy', 'family', 'median', 'IQR (q1–q3)', 'censored', 'first-K median', 'regret median', 'vs baseline'];
    const rows = c.rows.map((r) => [
      `${r.id === c.primary.id ? '* ' : r.id === c.baseline.id ? 'b ' : '  '}${r.name}`,
      r.family,
      `${r.medianCensored ? '≥' : ''}${fmt(r.median)}`,
      `${fmt(r.q1)}–${fmt(r.q3)}`,
      `${r.censored}/${r.seeds}`,
      fmt(r.firstK.median),
      fmt(r.regret.median),
      r.id === c.baseline.id ? 'baseline' : `${pct(-reductionPercent(r.median, c.rows.find((x) => x.id === c.baseline.id)!.median))}`,
    ]);
    const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
    const line = (cells: string[]) => cells.map((cell, k) => (k <= 1 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join('  ');
    out.push('', `${c.title} [${c.environmentId}]`, line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line));
    const reported = env.reportedReductionPercent !== undefined ? ` (paper, its own set-up: ${env.reportedReductionPercent} % fewer training iterations)` : '';
    out.push(`* ${c.primary.name} vs b ${c.baseline.name}: ${reductionText(c.vsBaseline)}${reported}.`);
    if (c.bestConstant && c.vsBestConstant) out.push(`  vs the best tuned constant, ${c.bestConstant.name} (median ${fmt(c.bestConstant.median)}): ${reductionText(c.vsBestConstant)}.`);
    if (c.bestDecay && c.vsBestDecay) out.push(`  vs the best tuned decay not told of changes, ${c.bestDecay.name} (median ${fmt(c.bestDecay.median)}): ${reductionText(c.vsBestDecay)}.`);
    if (c.beatenBy.length === 0) out.push(`  Best other strategy: ${c.bestOther.name} (median ${fmt(c.bestOther.median)}).`);
    else out.push(`  NOT the best here: ${c.beatenBy.join(', ')} ${c.beatenBy.length === 1 ? 'has' : 'have'} a lower median; the best is ${c.bestOther.name} (median ${fmt(c.bestOther.median)}).`);
  }
  out.push('', `${seeds} seeds, ${comparison.length} environments, ${experiment.strategies.length} strategies: ${seconds.toFixed(1)} s on ${workers} worker thread${workers === 1 ? '' : 's'}.`, '');
  return out.join('\n');
}
