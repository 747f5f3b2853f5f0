import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../fixtures/temp-dirs';
import { firstLine, runCli, spawnCli } from './run-cli';

const tempDir = tempDirs('wb-cli-');

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('workbench CLI', () => {
  it('prints its version and help', () => {
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    const v = runCli(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(pkg.version);
    const h = runCli(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('serve');
    expect(h.stdout).toContain('bench');
  });

  it('refuses an unknown command or flag with one line and exit code 2', () => {
    const unknown = runCli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    const flag = runCli(['serve', '--colour', 'blue']);
    expect(flag.status).toBe(2);
    expect(flag.stderr.trim().split('\n')).toHaveLength(1);
    expect(flag.stderr).toContain('--colour');
    const num = runCli(['serve', '--port', 'eighty']);
    expect(num.status).toBe(2);
  });

  it('serve listens on 127.0.0.1 only, prints the URL with a token, and serves the app', async () => {
    const dataDir = tempDir();
    const child = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--json']);
    try {
      const { url, dataFile } = JSON.parse(await firstLine(child)) as { url: string; dataFile: string };
      const u = new URL(url);
      expect(u.hostname).toBe('127.0.0.1');
      expect(u.searchParams.get('token')?.length).toBeGreaterThanOrEqual(24);
      expect(dataFile).toBe(path.join(dataDir, 'workbench.sqlite'));
      // The local address is the fourth column of `ss -ltnH`.
      const locals = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[3] ?? '')
        .filter((a) => a.endsWith(`:${u.port}`));
      expect(locals).toEqual([`127.0.0.1:${u.port}`]);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('serve, hit by an exception nothing caught, logs it, closes the database and exits 1 saying where the details are', async () => {
    const dataDir = tempDir();
    // A module loaded before the CLI that throws from a timer when told to (SIGUSR2): a real uncaught
    // exception in the serving process, at a moment the test chooses.
    const inject = path.join(tempDir(), 'inject.mjs');
    writeFileSync(inject, `process.on('SIGUSR2', () => setTimeout(() => { throw new Error('injected by the test'); }, 0));\n`);
    const child = spawnCli(['serve', '--port', '0', '--data-dir', dataDir, '--json'], { NODE_OPTIONS: `--import=${pathToFileURL(inject).href}` });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await firstLine(child);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGUSR2');
    expect(await exited).toBe(1);
    expect(stderr).toContain('stopped after an unexpected error: injected by the test');
    const logFile = path.join(dataDir, 'logs', 'workbench.log');
    expect(stderr).toContain(logFile);
    const logged = readFileSync(logFile, 'utf8');
    expect(logged).toContain('uncaught exception: injected by the test');
    // The database was closed, not abandoned: no WAL left to replay.
    expect(existsSync(path.join(dataDir, 'workbench.sqlite-wal'))).toBe(false);
  });

  it('refuses a corrupt database, naming the file, and leaves its bytes untouched', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'workbench.sqlite');
    writeFileSync(file, randomBytes(64 * 1024));
    const before = sha(file);
    const r = runCli(['serve', '--port', '0', '--data-dir', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(file);
    expect(sha(file)).toBe(before);
  });
});
