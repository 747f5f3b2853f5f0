import { defaultDataDir } from '../app-meta';
import { openAppServices } from '../services/app-services';
import { runStatuses, type RunStatus } from '../services/store';
import { UsageError } from './args';
import { defineCommand } from './command';

export const runsCommand = defineCommand({
  name: 'runs',
  synopsis: 'runs [--experiment NAME] [--status S] [--limit N] [--data-dir D] [--json]',
  summary: 'List the runs in the archive, newest first, with their status and sample count.',
  flags: {
    experiment: { type: 'string', description: 'only runs of this experiment (name or id)', placeholder: 'NAME' },
    status: { type: 'string', description: 'only runs with this status', choices: runStatuses },
    limit: { type: 'number', description: 'at most this many (1…1000, default 100)', placeholder: 'N' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"runs": [...], "total"} as JSON' },
  },
  async run(flags) {
    const limit = flags.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, got ${limit}`);
    const services = openAppServices({ dataDir: defaultDataDir(flags['data-dir']), hostKind: 'cli' });
    try {
      const { store } = services;
      let experimentId: string | undefined;
      const ref = flags.experiment;
      if (ref !== undefined) {
        const exp = store.experiments.findByName(ref) ?? store.experiments.list().find((e) => e.id === ref.toLowerCase());
        if (!exp) throw new Error(`there is no experiment called '${ref}'`);
        experimentId = exp.id;
      }
      const list = store.runs.list({
        limit,
        ...(experimentId === undefined ? {} : { experimentId }),
        ...(flags.status === undefined ? {} : { status: flags.status as RunStatus }),
      });
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list)}\n`);
        return 0;
      }
      if (list.runs.length === 0) {
        process.stdout.write('No runs.\n');
        return 0;
      }
      const head = ['id', 'status', 'samples', 'created', 'experiment', 'name'];
      const rows = list.runs.map((r) => [r.id, r.status, String(r.sampleCount), r.createdAt.slice(0, 19).replace('T', ' '), r.experimentName, r.name]);
      const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
      const line = (r: string[]) =>
        r
          .map((c, k) => (k === 2 ? c.padStart(widths[k] as number) : c.padEnd(widths[k] as number)))
          .join('  ')
          .trimEnd();
      const out = [line(head), ...rows.map(line)];
      if (list.total > list.runs.length) out.push(`(${list.runs.length} of ${list.total}; --limit shows more)`);
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      await services.close();
    }
  },
});
