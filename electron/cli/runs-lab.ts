import { connectLab, labError } from '../services/lab/connect';
import { listLabRlRuns, listLabRuns } from '../services/lab/browse';
import { devicePlaceText } from '../../shared/lab/device-place';
import { requireLab } from './publish';
import { inline } from './terminal-text';

interface LabListOptions {
  limit: number;
  search?: string;
  json: boolean;
}

/** Connects to the configured lab, runs `read` and closes; a failure says which lab (never its password). */
async function readLab<T>(what: string, read: (client: Awaited<ReturnType<typeof connectLab>>['client']) => Promise<T>): Promise<{ display: string; value: T }> {
  const config = requireLab();
  const conn = await connectLab(config);
  try {
    const value = await read(conn.client).catch((e: unknown) => {
      throw labError(config, what, e);
    });
    return { display: config.display, value };
  } finally {
    await conn.close();
  }
}

/** Columns padded to their widest cell (the `numeric` ones to the right), and a line when the list is cut. */
function table(head: string[], rows: string[][], numeric: readonly number[], shown: number, total: number): string {
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
  const line = (r: string[]) => r.map((c, k) => (numeric.includes(k) ? c.padStart(widths[k] as number) : c.padEnd(widths[k] as number))).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  if (total > shown) out.push(`(${shown} of ${total}; --limit shows more)`);
  return `${out.join('\n')}\n`;
}

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');
const query = (o: LabListOptions) => ({ limit: o.limit, ...(o.search === undefined ? {} : { search: o.search }) });

/** `workbench runs --source lab`: every PC's published runs, newest first, with PC, user and device. */
export async function listLabRunsCommand(options: LabListOptions): Promise<number> {
  const { display, value: list } = await readLab('Could not list the lab runs', (c) => listLabRuns(c, query(options)));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ source: 'lab', lab: display, ...list })}\n`);
    return 0;
  }
  if (list.runs.length === 0) {
    process.stdout.write(`No runs in the lab ${display}.\n`);
    return 0;
  }
  const rows = list.runs.map((r) => [r.id, r.status, String(r.sampleCount), when(r.createdAt), inline(r.pcName), inline(r.userName), inline(devicePlaceText(r.device)), inline(r.name)]);
  process.stdout.write(table(['id', 'status', 'samples', 'created', 'pc', 'user', 'device', 'name'], rows, [2], list.runs.length, list.total));
  return 0;
}

/** `workbench rl-runs --source lab`: every PC's published RL runs, newest first, with PC, user and device. */
export async function listLabRlRunsCommand(options: LabListOptions): Promise<number> {
  const { display, value: list } = await readLab('Could not list the lab RL runs', (c) => listLabRlRuns(c, query(options)));
  if (options.json) {
    // The stored record of each run stays in the lab; the list says who, where and what.
    const rlRuns = list.runs.map(({ detail, ...r }) => ({ ...r, jobsDone: detail.jobsDone, jobsTotal: detail.jobsTotal, seeds: detail.seeds }));
    process.stdout.write(`${JSON.stringify({ source: 'lab', lab: display, rlRuns, total: list.total })}\n`);
    return 0;
  }
  if (list.runs.length === 0) {
    process.stdout.write(`No RL runs in the lab ${display}.\n`);
    return 0;
  }
  const rows = list.runs.map((r) => [r.id, r.status, when(r.createdAt), inline(r.pcName), inline(r.userName), inline(devicePlaceText(r.device)), inline(r.name)]);
  process.stdout.write(table(['id', 'status', 'created', 'pc', 'user', 'device', 'name'], rows, [], list.runs.length, list.total));
  return 0;
}
