import path from 'node:path';
import { UsageError } from './args';
import { defineCommand } from './command';
import { dataDirFlag, withServices, writeNew } from './export';
import { call } from './router-call';

/**
 * `workbench rl-export RUN_ID`: an RL run's per-episode CSV — this PC's (`rl.export`) or, with
 * `--source lab`, any PC's published run (`lab.rlExport`, the lab URL from WORKBENCH_LAB_URL or
 * WORKBENCH_LAB_URL_FILE), or with `--source sweep` an RL sweep's jobs (`lab.sweepExport`, the id
 * `workbench submit` printed) — the file the app's "Episodes (CSV)" saves.
 */
export const rlExportCommand = defineCommand({
  name: 'rl-export',
  synopsis: 'rl-export RUN_ID|SWEEP_ID [--source local|lab|sweep] [--out FILE] [--data-dir D]',
  summary:
    'Export an RL run’s per-episode data as CSV: one header line (environment,strategy,seed,episode,steps,return,learning_rate,conductance_S,reached_goal,greedy_steps), one row per stored episode.',
  flags: {
    source: { type: 'string', description: 'local (this PC, default), lab (a run any PC published) or sweep (an RL sweep of the lab, by its sweep id)', choices: ['local', 'lab', 'sweep'] },
    out: { type: 'string', description: 'file to write (default: stdout); an existing file is refused', placeholder: 'FILE' },
    'data-dir': dataDirFlag,
  },
  positionals: [0, 1],
  async run(flags, [id]) {
    if (id === undefined) throw new UsageError('missing argument RUN_ID (usage: workbench rl-export RUN_ID|SWEEP_ID [--source local|lab|sweep] [--out FILE])');
    const out = flags.out === undefined ? null : path.resolve(flags.out);
    return withServices(flags['data-dir'], async (services) => {
      const method = flags.source === 'sweep' ? 'lab.sweepExport' : flags.source === 'lab' ? 'lab.rlExport' : 'rl.export';
      const file = await call(services, method, { id });
      if (out === null) process.stdout.write(file.text);
      else {
        writeNew(out, file.text);
        process.stderr.write(`wrote ${out}\n`);
      }
      return 0;
    });
  },
});
