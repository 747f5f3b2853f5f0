import { openCliServices } from './services';
import { runStatuses, type RunStatus } from '../../shared/contract';
import { UsageError } from './args';
import { defineCommand } from './command';
import { inline } from './terminal-text';
import { call } from './router-call';

export const runsCommand = defineCommand({
  name: 'runs',
  synopsis: 'runs [--source local|lab] [--experiment NAME] [--status S] [--device sim[:PRESET]|instrument[:DRIVER]] [--protocol NAME|HASH] [--tag T] [--search TEXT] [--from DATE] [--to DATE] [--limit N] [--data-dir D] [--json]',
  summary: 'List the runs in the archive, newest first, with their status and sample count.',
  flags: {
    source: { type: 'string', description: 'local (this PC, default) or lab (every PC’s published runs; the lab URL from WORKBENCH_LAB_URL or WORKBENCH_LAB_URL_FILE)', choices: ['local', 'lab'] },
    experiment: { type: 'string', description: 'only runs of this experiment (name or id)', placeholder: 'NAME' },
    status: { type: 'string', description: 'only runs with this status', choices: runStatuses },
    device: { type: 'string', description: 'only runs on this device: sim, sim:PRESET, instrument or instrument:DRIVER', placeholder: 'DEVICE' },
    protocol: { type: 'string', description: 'only runs of this protocol (its name, or its hash or at least 8 of its first hex digits)', placeholder: 'NAME' },
    tag: { type: 'string', description: 'only runs with this tag', placeholder: 'T' },
    search: { type: 'string', description: 'only runs whose name, notes or protocol name contain this', placeholder: 'TEXT' },
    from: { type: 'string', description: 'only runs created at or after this (YYYY-MM-DD, UTC, or an ISO date-time with its zone)', placeholder: 'DATE' },
    to: { type: 'string', description: 'only runs created before the end of this day (YYYY-MM-DD, UTC) or this ISO date-time', placeholder: 'DATE' },
    limit: { type: 'number', description: 'at most this many (1…1000, default 100)', placeholder: 'N' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
    json: { type: 'boolean', description: 'print {"runs": [...], "total"} as JSON' },
  },
  async run(flags) {
    const limit = flags.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit must be a whole number from 1 to 1000, got ${limit}`);
    const localOnly = (['experiment', 'status', 'device', 'protocol', 'tag', 'from', 'to'] as const).filter((k) => flags[k] !== undefined);
    if (flags.source === 'lab' && localOnly.length > 0) throw new UsageError(`--source lab takes --search and --limit only, not --${localOnly.join(', --')}`);
    if (flags.source === 'lab') return (await import('./runs-lab')).listLabRunsCommand({ limit, json: Boolean(flags.json), ...(flags.search === undefined ? {} : { search: flags.search }) });
    // Usage errors before the data folder is opened (or created).
    const createdFrom = flags.from === undefined ? undefined : dayOrInstant(flags.from, 'from');
    const createdTo = flags.to === undefined ? undefined : dayOrInstant(flags.to, 'to');
    const device = flags.device === undefined ? undefined : deviceFilter(flags.device);
    const services = openCliServices(flags['data-dir']);
    try {
      const { store } = services;
      let experimentId: string | undefined;
      const ref = flags.experiment;
      if (ref !== undefined) {
        const exp = store.experiments.findByName(ref) ?? store.experiments.list().find((e) => e.id === ref.toLowerCase());
        if (!exp) throw new Error(`there is no experiment called '${ref}'`);
        experimentId = exp.id;
      }
      // Through the router, so the filters are checked by the contract, as the Archive's are.
      const list = await call(services, 'runs.list', {
        limit,
        ...(experimentId === undefined ? {} : { experimentId }),
        ...(flags.status === undefined ? {} : { status: flags.status as RunStatus }),
        ...(device === undefined ? {} : { device }),
        ...(flags.protocol === undefined ? {} : { protocol: flags.protocol }),
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        ...(flags.search === undefined ? {} : { search: flags.search }),
        ...(createdFrom === undefined ? {} : { createdFrom }),
        ...(createdTo === undefined ? {} : { createdTo }),
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
      const rows = list.runs.map((r) => [r.id, r.status, String(r.sampleCount), r.createdAt.slice(0, 19).replace('T', ' '), inline(r.experimentName), inline(r.name)]);
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

/** `sim`, `sim:PRESET`, `instrument`, `instrument:DRIVER` → the contract's device filter. */
function deviceFilter(text: string): { kind: 'simulated' | 'instrument'; name?: string } {
  const m = /^(sim|simulated|instrument)(?::(.+))?$/.exec(text.trim());
  if (!m) throw new UsageError(`--device must be sim, sim:PRESET, instrument or instrument:DRIVER, got '${text}'`);
  return { kind: m[1] === 'instrument' ? 'instrument' : 'simulated', ...(m[2] === undefined ? {} : { name: m[2] }) };
}

/**
 * A bare date is a whole UTC day: --from is its start, --to the start of the next day (so the
 * day is included). An ISO date-time goes to the contract as written; anything else is a usage error.
 */
function dayOrInstant(text: string, which: 'from' | 'to'): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!day) {
    // An ISO date-time with its zone goes to the contract as written; anything else is a usage error.
    if (/^\d{4}-\d{2}-\d{2}T/.test(text) && !Number.isNaN(Date.parse(text))) return text;
    throw new UsageError(`--${which} must be a date (YYYY-MM-DD) or an ISO date-time with its zone (2025-03-01T12:00:00Z), got '${text}'`);
  }
  const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
  const d = new Date(start);
  if (Number.isNaN(start) || d.getUTCDate() !== Number(day[3])) throw new UsageError(`--${which} is not a date: '${text}'`);
  return new Date(which === 'from' ? start : start + 86_400_000).toISOString();
}
