/**
 * The lab specs' set-up: a throwaway PostgreSQL cluster on the spec's own port with one database,
 * and the web host of PC "pc-submit" (user "ada") on a fresh data folder, pointed at it with
 * WORKBENCH_LAB_URL, as a lab PC is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPgCluster, type PgCluster } from '../fixtures/pg-cluster';
import { startServe, type ServeProcess } from './serve-process';

export const workbenchBin = path.resolve(import.meta.dirname, '..', '..', 'electron', 'bin', 'workbench.js');

export interface LabServe {
  /** The lab's connection URL (for a worker). */
  url: string;
  /** The web host's page. */
  appUrl: string;
  stop(): Promise<void>;
}

export async function startLabServe(port: number, database: string): Promise<LabServe> {
  let cluster: PgCluster | null = null;
  let serve: ServeProcess | null = null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wb-${database}-`));
  const stop = async () => {
    await serve?.stop();
    await cluster?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    cluster = await startPgCluster({ port });
    const url = await cluster.createDatabase(database);
    serve = await startServe(workbenchBin, ['--port', '0', '--data-dir', dir], { WORKBENCH_LAB_URL: url, WORKBENCH_LAB_PC_NAME: 'pc-submit', WORKBENCH_LAB_USER: 'ada' });
    return { url, appUrl: serve.url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
