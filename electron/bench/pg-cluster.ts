import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks (#16): `initdb` into a temp folder, `pg_ctl start` on a
 * loopback port the test chooses, password (SCRAM) auth on 127.0.0.1, removed on teardown.
 *
 * initdb refuses to run as root; when the tests run as root the cluster belongs to the `postgres`
 * system user (Debian's `postgresql` package creates it) and every server command runs through
 * `runuser -u postgres --`. As any other user the cluster is simply that user's.
 *
 * Use one cluster per test file (beforeAll/afterAll) and one database per test (`createDatabase`):
 * initdb costs about a second, CREATE DATABASE a few milliseconds.
 *
 *   const pg = await startPgCluster({ port: 55470 });
 *   const url = await pg.createDatabase('lab_a');
 *   ... await pg.stop(); ... await pg.start();   // the "database went away" tests
 *   await pg.destroy();
 */

const run = promisify(execFile);

export interface PgCluster {
  readonly port: number;
  /** The superuser's password (random per cluster), also inside every URL. */
  readonly password: string;
  /** postgres://postgres:PASSWORD@127.0.0.1:PORT/DB (default DB: `postgres`). */
  url(database?: string): string;
  /** CREATE DATABASE name (dropped first if it exists); returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Runs one SQL string through psql over the local socket; returns psql's unaligned output. */
  psql(sql: string, database?: string): Promise<string>;
  /** Stops the server (fast shutdown: open connections are cut), keeping its files. */
  stop(): Promise<void>;
  /** Starts the stopped server again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes the cluster's folder. Safe to call twice. */
  destroy(): Promise<void>;
}

/** The newest /usr/lib/postgresql/N/bin holding initdb, or the folder of `initdb` on PATH. */
export function findPgBin(): string | null {
  const env = process.env.WORKBENCH_PG_BIN;
  if (env && existsSync(path.join(env, 'initdb'))) return env;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return path.join(root, versions[0]!, 'bin');
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  const found = which.status === 0 ? which.stdout.trim() : '';
  return found ? path.dirname(found) : null;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/**
 * Why no cluster can be started here, or null when one can: for `describe.skipIf(...)` with a
 * message (the tests report themselves skipped, naming what is missing).
 */
export function pgUnavailableReason(): string | null {
  const bin = findPgBin();
  if (bin === null) return 'PostgreSQL server binaries (initdb, pg_ctl) not found: install the Debian package `postgresql`';
  if (isRoot()) {
    const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    if (id.status !== 0) return 'running as root and there is no `postgres` user to own the test cluster (initdb refuses root)';
    const ru = spawnSync('sh', ['-c', 'command -v runuser'], { encoding: 'utf8' });
    if (ru.status !== 0) return 'running as root without `runuser` to start the test cluster as `postgres`';
  }
  return null;
}

function owner(): { uid: number; gid: number } | null {
  if (!isRoot()) return null;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid };
}

/** [command, args] for a server binary, as `postgres` when we are root. */
function asOwner(bin: string, tool: string, args: string[]): [string, string[]] {
  const exe = path.join(bin, tool);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

async function tool(bin: string, name: string, args: string[]): Promise<string> {
  const [cmd, argv] = asOwner(bin, name, args);
  try {
    const { stdout } = await run(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${name} ${args.join(' ')} failed: ${err.stderr?.trim() || err.message}`);
  }
}

/** Clusters of this process still running: stopped synchronously if the process exits first. */
const live = new Set<{ bin: string; data: string; root: string }>();
let exitHook = false;
function stopAllSync(): void {
  for (const c of live) {
    const [cmd, argv] = asOwner(c.bin, 'pg_ctl', ['stop', '-D', c.data, '-m', 'immediate', '-w']);
    spawnSync(cmd, argv, { stdio: 'ignore' });
    rmSync(c.root, { recursive: true, force: true });
  }
  live.clear();
}

export async function startPgCluster(opts: { port: number }): Promise<PgCluster> {
  const reason = pgUnavailableReason();
  if (reason !== null) throw new Error(`no PostgreSQL for tests: ${reason}`);
  const bin = findPgBin()!;
  const { port } = opts;
  const root = mkdtempSync(path.join(os.tmpdir(), 'wb-pg-'));
  const data = path.join(root, 'data');
  const sock = root; // the Unix socket lives beside the data, never in /var/run/postgresql
  const log = path.join(root, 'server.log');
  const password = randomBytes(12).toString('hex');
  const pwfile = path.join(root, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  const own = owner();
  if (own) {
    chownSync(root, own.uid, own.gid);
    chownSync(pwfile, own.uid, own.gid);
  }
  chmodSync(root, 0o700);
  const entry = { bin, data, root };
  live.add(entry);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', stopAllSync);
  }

  try {
    await tool(bin, 'initdb', [
      '-D', data, '-U', 'postgres', '--pwfile', pwfile, '-E', 'UTF8', '--locale=C',
      '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '--no-instructions',
    ]);
  } catch (e) {
    live.delete(entry);
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  rmSync(pwfile, { force: true });

  // Test-only server settings (ours): no fsync (a crash of the machine is not what we test; the
  // client being killed is), small shared memory, loopback TCP only.
  const serverOpts = [
    `-p ${port}`, `-c listen_addresses=127.0.0.1`, `-c unix_socket_directories=${sock}`,
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
    '-c shared_buffers=32MB', '-c max_connections=60',
  ].join(' ');
  let stopped = true;
  const start = async (): Promise<void> => {
    if (!stopped) return;
    await tool(bin, 'pg_ctl', ['start', '-D', data, '-l', log, '-w', '-t', '30', '-o', serverOpts]);
    stopped = false;
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    await tool(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '30']);
    stopped = true;
  };
  const psql = (sql: string, database = 'postgres'): Promise<string> =>
    tool(bin, 'psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', sock, '-p', String(port), '-U', 'postgres', '-d', database, '-c', sql]);
  const url = (database = 'postgres'): string =>
    `postgres://postgres:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  try {
    await start();
  } catch (e) {
    live.delete(entry);
    rmSync(root, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n(is port ${port} free?)`);
  }

  let destroyed = false;
  return {
    port,
    password,
    url,
    psql,
    start,
    stop,
    async createDatabase(name: string): Promise<string> {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`createDatabase: use a plain lower-case name, not ${JSON.stringify(name)}`);
      await psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await psql(`CREATE DATABASE ${name}`);
      return url(name);
    },
    async destroy(): Promise<void> {
      if (destroyed) return;
      destroyed = true;
      try {
        await tool(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w', '-t', '30']);
      } catch {
        // already stopped
      }
      live.delete(entry);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A loopback TCP port free at the moment of asking (for a benchmark's own cluster). */
export async function freeLoopbackPort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
