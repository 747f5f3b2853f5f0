/**
 * An app (the composition root, its router) on a fresh data folder pointed at a lab, as the web
 * host or the desktop app makes it, for the tests of the lab's requests through the router.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { repoRoot } from '../cli/run-cli';

/**
 * Runs `fn` with an app on a fresh data folder (kept in `dirs` for the caller to remove), or on
 * `folder` when given, whose WORKBENCH_LAB_URL is `url` (undefined: no lab), as PC "pc-submit" and
 * user "ada".
 */
export async function withLabApp(dirs: string[], url: string | undefined, fn: (app: AppServices) => Promise<void>, folder?: string): Promise<void> {
  const dir = folder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wb-lab-app-'));
  if (folder === undefined) dirs.push(dir);
  const saved = { url: process.env.WORKBENCH_LAB_URL, pc: process.env.WORKBENCH_LAB_PC_NAME, user: process.env.WORKBENCH_LAB_USER };
  if (url === undefined) delete process.env.WORKBENCH_LAB_URL;
  else process.env.WORKBENCH_LAB_URL = url;
  process.env.WORKBENCH_LAB_PC_NAME = 'pc-submit';
  process.env.WORKBENCH_LAB_USER = 'ada';
  const app = openAppServices({ dataDir: dir, hostKind: 'cli' });
  try {
    await fn(app);
  } finally {
    await app.close();
    for (const [k, v] of [['WORKBENCH_LAB_URL', saved.url], ['WORKBENCH_LAB_PC_NAME', saved.pc], ['WORKBENCH_LAB_USER', saved.user]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A request's value; a refusal fails the test with its code and sentence. */
export async function callOk<T>(app: AppServices, method: string, input: unknown): Promise<T> {
  const r = await app.router.call(method as never, input as never);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** A request's refusal; an accepted request fails the test. */
export async function callRefused(app: AppServices, method: string, input: unknown) {
  const r = await app.router.call(method as never, input as never);
  if (r.ok) throw new Error(`${method} accepted ${JSON.stringify(input)}`);
  return r.error;
}

/** The paper's experiment with two strategies and no tuning grid: the same jobs, quickly. */
export function smallPaper(): Record<string, unknown> {
  const paper = JSON.parse(fs.readFileSync(path.join(repoRoot, 'resources', 'experiments', 'paper.json'), 'utf8')) as Record<string, unknown> & { strategies: { id: string }[] };
  const { tuning: _tuning, ...rest } = paper;
  void _tuning;
  return { ...rest, strategies: paper.strategies.filter((s) => ['device-intrinsic-gradient', 'constant-0.1'].includes(s.id)) };
}
