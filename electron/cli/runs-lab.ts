import { connectLab } from '../services/lab/connect';
import { listLabRuns } from '../services/lab/browse';
import { labError } from '../services/lab/connect';
import { requireLab } from './publish';
import { inline } from './terminal-text';

/** `workbench runs --source lab`: every PC's published runs, newest first, with PC and user. */
export async function listLabRunsCommand(options: { limit: number; search?: string; json: boolean }): Promise<number> {
  const config = requireLab();
  const conn = await connectLab(config);
  try {
    const list = await listLabRuns(conn.client, { limit: options.limit, ...(options.search === undefined ? {} : { search: options.search }) }).catch((e: unknown) => {
      throw labError(config, 'Could not list the lab runs', e);
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ source: 'lab', lab: config.display, ...list })}\n`);
      return 0;
    }
    if (list.runs.length === 0) {
      process.stdout.write(`No runs in the lab ${config.display}.\n`);
      return 0;
    }
    const head = ['id', 'status', 'samples', 'created', 'pc', 'user', 'name'];
    const rows = list.runs.map((r) => [r.id, r.status, String(r.sampleCount), r.createdAt.slice(0, 19).replace('T', ' '), inline(r.pcName), inline(r.userName), inline(r.name)]);
    const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] as string).length)));
    const line = (r: string[]) => r.map((c, k) => (k === 2 ? c.padStart(widths[k] as number) : c.padEnd(widths[k] as number))).join('  ').trimEnd();
    const out = [line(head), ...rows.map(line)];
    if (list.total > list.runs.length) out.push(`(${list.runs.length} of ${list.total}; --limit shows more)`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  } finally {
    await conn.close();
  }
}
