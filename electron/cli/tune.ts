import path from 'node:path';
import {
  applyChoices,
  chooseBest,
  compareResults,
  experimentJobs,
  overlappingSeeds,
  scoreCandidates,
  tuningCandidates,
  tuningWorkProblem,
  type Experiment,
  type ScoredCandidate,
  type Tuning,
} from '../../shared/rl';
import { resourcesDir } from '../app-meta';
import { readUserText } from '../services/files/read-user-file';
import { checkOutputPath, writeFileWhole } from '../services/files/write-user-file';
import { RunCancelledError, runJobsInParallel } from '../services/rl';
import { RL_BOUNDS } from '../../shared/contract/limits';
import { formatCount } from '../../shared/units';
import { UsageError } from './args';
import { interruptible } from './interrupt';
import { defineCommand } from './command';
import { loadExperiment } from './reproduce';
import { forTerminal } from './terminal-text';

/**
 * `workbench tune`: gives every tuned strategy family of an experiment the same budget of settings
 * on the tuning seeds only, and reports (or writes) the winners. This is what produced the shipped
 * experiment's tuned strategies; see shared/rl/experiment/tuning.ts for the rules.
 */
export const tuneCommand = defineCommand({
  name: 'tune',
  synopsis: 'tune --experiment FILE [--seeds FIRST-LAST] [--budget N] [--write FILE] [--table FILE] [--json]',
  summary: 'Tune every strategy family of an experiment with the same budget of settings, on tuning seeds that the comparison never reports.',
  flags: {
    experiment: { type: 'string', description: 'experiment file (default: the shipped resources/experiments/paper.json)', placeholder: 'FILE' },
    seeds: { type: 'string', description: "tuning seeds, e.g. 1000-1019 (default: the experiment's tuning.firstSeed and tuning.seeds)", placeholder: 'FIRST-LAST' },
    budget: { type: 'number', description: `settings evaluated per family (default: the experiment's tuning.budget); the tuning's worst-case agent steps must stay within ${formatCount(RL_BOUNDS.agentSteps)} (ours, Help → Limits)`, placeholder: 'N' },
    workers: { type: 'number', description: 'worker threads (default: one per core)', placeholder: 'N' },
    write: { type: 'string', description: 'write the experiment with the chosen settings to FILE (may be the experiment itself)', placeholder: 'FILE' },
    table: { type: 'string', description: 'write the full tuning table (every setting of every family, its medians and score) to FILE as JSON', placeholder: 'FILE' },
    json: { type: 'boolean', description: 'print one JSON document: {"seeds", "budget", "criterion", "chosen": [...], "table": [...]}' },
  },
  async run(flags) {
    const file = flags.experiment ? path.resolve(flags.experiment) : path.join(resourcesDir(), 'experiments', 'paper.json');
    const experiment = loadExperiment(file);
    if (!experiment.tuning) throw new UsageError(`${file} has no "tuning" section: nothing says which strategies to tune or over what`);
    const tuning: Tuning = { ...experiment.tuning, ...parseSeeds(flags.seeds), ...(flags.budget === undefined ? {} : { budget: budgetOf(flags.budget) }) };
    const work = tuningWorkProblem(experiment, tuning);
    if (work) throw new UsageError(`${work.path[0] === 'budget' ? '--budget (tuning.budget)' : '--seeds (tuning.seeds)'}: ${work.message}`);
    const overlap = overlappingSeeds(experiment, tuning);
    if (overlap.length > 0) {
      throw new UsageError(`the tuning seeds overlap the seeds the comparison reports (${experiment.firstSeed}–${experiment.firstSeed + experiment.seeds - 1}): ${overlap.slice(0, 5).join(', ')}${overlap.length > 5 ? ', …' : ''}`);
    }
    // Where the results go is checked now, not after the tuning has run for minutes or hours.
    const writeTo = flags.write === undefined ? undefined : checkOutputPath(flags.write, '--write');
    const tableTo = flags.table === undefined ? undefined : checkOutputPath(flags.table, '--table');
    // The file as written now (--write may replace it: its other fields are kept as they are).
    const experimentText = readUserText(file, 'experiment');
    const candidates = tuningCandidates(experiment, tuning);
    // One experiment whose strategies are all the candidates, run on the tuning seeds.
    const sweep: Experiment = {
      ...experiment,
      firstSeed: tuning.firstSeed,
      seeds: tuning.seeds,
      strategies: candidates.map((c) => c.spec),
      comparison: { primary: candidates[0]!.spec.id, baseline: (candidates[1] ?? candidates[0]!).spec.id },
    };
    const showProgress = !flags.json && process.stderr.isTTY;
    const started = performance.now();
    try {
      const results = await interruptible((signal) =>
        runJobsInParallel(sweep, experimentJobs(sweep), {
          workers: flags.workers,
          keepTraces: false,
          signal,
          onProgress: showProgress ? ({ done, total }) => process.stderr.write(`\r${done}/${total} runs`) : undefined,
        }),
      );
      if (showProgress) process.stderr.write('\r\x1b[K');
      const scored = scoreCandidates(candidates, compareResults(sweep, results));
      const chosen = chooseBest(scored);
      if (writeTo) writeFileWhole(writeTo, `${JSON.stringify(withChoices(experimentText, experiment, chosen), null, 2)}\n`);
      const doc = {
        seeds: [tuning.firstSeed, tuning.firstSeed + tuning.seeds - 1],
        budget: tuning.budget,
        criterion: 'lowest sum over environments of the median episodes until the greedy policy is optimal for good (censored seeds at their charged length)',
        seconds: (performance.now() - started) / 1000,
        chosen: chosen.map(({ strategyId, family, index, settings, environments, score }) => ({ strategyId, family, candidate: index, settings, environments, score })),
        table: scored,
      };
      if (tableTo) {
        // Without the wall time, so the same tuning writes the same file.
        const { seconds: _seconds, ...table } = doc;
        writeFileWhole(tableTo, `${JSON.stringify(table, null, 2)}\n`);
      }
      process.stdout.write(flags.json ? `${JSON.stringify(doc, null, 2)}\n` : forTerminal(humanReport(doc.seeds, tuning.budget, chosen, doc.seconds, flags.write)));
      return 0;
    } catch (error) {
      if (error instanceof RunCancelledError) {
        process.stderr.write('\nworkbench tune: cancelled\n');
        return 130;
      }
      throw error;
    }
  },
});

function parseSeeds(text: string | undefined): Partial<Pick<Tuning, 'firstSeed' | 'seeds'>> {
  if (text === undefined) return {};
  const m = /^(\d+)-(\d+)$/.exec(text);
  if (!m || Number(m[2]) < Number(m[1]) || Number(m[2]) - Number(m[1]) >= 1000) {
    throw new UsageError(`--seeds must be a range FIRST-LAST of at most 1000 seeds, e.g. 1000-1019 (got '${text}')`);
  }
  return { firstSeed: Number(m[1]), seeds: Number(m[2]) - Number(m[1]) + 1 };
}

function budgetOf(n: number): number {
  if (!(Number.isInteger(n) && n >= 1 && n <= 1000)) throw new UsageError(`--budget must be an integer from 1 to 1000, got ${n}`);
  return n;
}

/**
 * The experiment file as written, with its tuned strategies replaced by the chosen settings (the
 * rest of the file — key order, notes, the tuning section — stays as the author wrote it).
 */
function withChoices(text: string, experiment: Experiment, chosen: readonly ScoredCandidate[]): unknown {
  const raw = JSON.parse(text) as Record<string, unknown>;
  return { ...raw, strategies: applyChoices(experiment, chosen).strategies };
}

function humanReport(seeds: number[], budget: number, chosen: readonly ScoredCandidate[], seconds: number, written: string | undefined): string {
  const out = [`Tuned on seeds ${seeds[0]}–${seeds[1]} with ${budget} settings per family (${seconds.toFixed(1)} s). Chosen:`, ''];
  for (const c of chosen) {
    const envs = Object.entries(c.environments)
      .map(([id, e]) => `${id} ${e.median}${e.censored ? ` (${e.censored} censored)` : ''}`)
      .join(', ');
    out.push(`  ${c.strategyId} [${c.family}] #${c.index}: ${Object.entries(c.settings).map(([k, v]) => `${k} = ${v}`).join(', ')}  — medians ${envs}`);
  }
  if (written) out.push('', `Wrote the experiment with these settings to ${written}.`);
  out.push('');
  return out.join('\n');
}
