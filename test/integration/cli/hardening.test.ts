import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppServices } from '../../../electron/app/app-services';
import { tempDirs } from '../../fixtures/temp-dirs';
import { runCli, type CliResult } from './run-cli';

/**
 * The CLI's smaller holes, each closed: usage errors exit 2 with one line; a run that cannot start
 * leaves nothing in the archive; names never drive the terminal; a data folder that cannot be
 * written says so in words; `--data-dir ''` is not the default folder.
 */
const tmp = tempDirs('wb-cli-hardening-');

function usageError(r: CliResult, flag: string): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(flag);
  expect(lines[0]).toMatch(/\(see 'workbench [a-z-]+ --help'\)$/);
}

function runCount(dataDir: string): number {
  if (!existsSync(path.join(dataDir, 'workbench.sqlite'))) return 0;
  const r = runCli(['runs', '--data-dir', dataDir, '--json']);
  return (JSON.parse(r.stdout) as { total: number }).total;
}

describe('usage errors exit 2, not 1', () => {
  const cases: [string[], string][] = [
    [['serve', '--port', '99999'], '--port'],
    [['serve', '--port', '-1'], '--port'],
    [['serve', '--port', '1.5'], '--port'],
    [['serve', '--host', 'evil.example'], '--host'],
    [['emulator', '--driver', 'keithley2400', '--garble', '2'], '--garble'],
    [['emulator', '--driver', 'keithley2400', '--delay', '-1'], '--delay'],
    [['emulator', '--driver', 'keithley2400', '--drop-after', '1.5'], '--drop-after'],
    [['runs', '--from', 'notadate'], '--from'],
    [['runs', '--to', '2025-13-45T99:00:00Z'], '--to'],
    [['simulate', '--device', 'ideal', '--protocol', 'paper-spike-train', '--seed', '1.5'], '--seed'],
    [['simulate', '--device', 'ideal', '--protocol', 'paper-spike-train', '--seed', '-1'], '--seed'],
    [['run', '--protocol', 'paper-spike-train', '--device', 'serial:/dev/ttyUSB0', '--driver', 'nosuchdriver'], '--driver'],
  ];
  for (const [args, flag] of cases) {
    it(`workbench ${args.join(' ')}`, () => {
      const dataDir = path.join(tmp(), 'data');
      usageError(runCli([...args, ...(args[0] === 'emulator' || args[0] === 'simulate' ? [] : ['--data-dir', dataDir])], { timeoutMs: 60_000 }), flag);
      // Refused before anything was opened: not even a data folder.
      expect(existsSync(dataDir)).toBe(false);
    });
  }

  it("--data-dir '' is refused, not taken for the default folder", () => {
    const home = tmp();
    for (const command of [['runs'], ['serve'], ['run', '--protocol', 'paper-spike-train', '--device', 'sim:ideal'], ['import', 'x.wbexp.sqlite']]) {
      // HOME and XDG_CONFIG_HOME point at an empty folder: the default data folder would appear in it.
      const r = runCli([...command, '--data-dir', ''], { env: { HOME: home, XDG_CONFIG_HOME: home, WORKBENCH_DATA_DIR: '' }, timeoutMs: 60_000 });
      usageError(r, '--data-dir');
      expect(r.stderr).toContain('--data-dir needs a value, not an empty one');
    }
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('a run that cannot start leaves no run behind', () => {
  it('run --driver nosuchdriver and a missing serial path are refused before a run is created', () => {
    const dataDir = tmp();
    // Make the archive exist, so "no run" is a statement about it and not about a missing file.
    expect(runCli(['run', '--protocol', 'paper-spike-train', '--device', 'sim:ideal', '--data-dir', dataDir, '--json']).status).toBe(0);
    const before = runCount(dataDir);
    const driver = runCli(['run', '--protocol', 'paper-spike-train', '--device', 'serial:/dev/ttyUSB0', '--driver', 'nosuchdriver', '--data-dir', dataDir]);
    expect(driver.status).toBe(2);
    expect(driver.stderr).toMatch(/--driver must be one of keithley2400, [a-z0-9, -]+; got "nosuchdriver"/);
    const port = runCli(['run', '--protocol', 'paper-spike-train', '--device', 'serial:/dev/ttyNOPE9', '--driver', 'keithley2400', '--data-dir', dataDir]);
    expect(port.status).toBe(1);
    expect(port.stderr.trim()).toBe('workbench run: cannot run on serial:/dev/ttyNOPE9: /dev/ttyNOPE9 does not exist');
    expect(runCount(dataDir)).toBe(before);
  });

  it('runs.start refuses an unknown driver and a missing port with their paths, queuing nothing', async () => {
    const s = openAppServices({ dataDir: tmp(), hostKind: 'cli' });
    try {
      const driver = await s.router.call('runs.start', { protocol: 'paper-spike-train', device: { kind: 'instrument', port: '/dev/ttyUSB0', driver: 'nosuchdriver' } });
      expect(driver.ok).toBe(false);
      if (!driver.ok) expect((driver.error.details as { problems: { path: string }[] }).problems.map((p) => p.path)).toEqual(['device.driver']);
      const port = await s.router.call('runs.start', { protocol: 'paper-spike-train', device: { kind: 'instrument', port: '/dev/ttyNOPE9', driver: 'keithley2400' } });
      expect(port.ok).toBe(false);
      if (!port.ok) {
        expect(port.error.code).toBe('invalid_request');
        expect((port.error.details as { problems: { path: string; message: string }[] }).problems).toEqual([{ path: 'device.port', message: '/dev/ttyNOPE9 does not exist' }]);
      }
      expect(s.store.runs.list({}).total).toBe(0);
    } finally {
      await s.close();
    }
  });
});

describe('names never drive the terminal', () => {
  const evil = '\u001b[31mRED\u001b]0;pwned\u0007\u009b2J\u202eevil';
  const seen = '\\u001b[31mRED\\u001b]0;pwned\\u0007\\u009b2J\\u202eevil';
  const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/u;

  it('in protocol validate and estimate, simulate, run, runs and problems', () => {
    const dir = tmp();
    const file = path.join(dir, 'evil.json');
    writeFileSync(file, JSON.stringify({ format: 'memristor-workbench/protocol', version: 1, name: evil, blocks: [{ kind: 'pulse', amplitude: 1, width: '1 ms', read: true }] }));
    const outputs: [string, CliResult][] = [
      ['validate', runCli(['protocol', 'validate', file])],
      ['estimate', runCli(['protocol', 'estimate', file])],
      ['simulate', runCli(['simulate', '--device', 'ideal', '--protocol', file])],
      ['run', runCli(['run', '--protocol', file, '--device', 'sim:ideal', '--data-dir', dir, '--name', `run ${evil}`, '--experiment', `exp ${evil}`])],
      ['runs', runCli(['runs', '--data-dir', dir])],
    ];
    for (const [what, r] of outputs) {
      expect(r.status, `${what}: ${r.stderr}`).toBe(0);
      expect(raw.test(r.stdout), `${what} stdout: ${JSON.stringify(r.stdout)}`).toBe(false);
      expect(raw.test(r.stderr), `${what} stderr`).toBe(false);
    }
    expect(outputs[0]![1].stdout).toContain(`'${seen}'`);
    expect(outputs[4]![1].stdout).toContain(`run ${seen}`);
    // A problem that quotes the value, and an error that quotes a name.
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'memristor-workbench/protocol', version: 1, name: 'x', blocks: [{ kind: evil }] }));
    const problem = runCli(['protocol', 'validate', bad]);
    expect(problem.status).toBe(1);
    expect(raw.test(problem.stderr)).toBe(false);
    expect(problem.stderr).toContain('\\u001b[31mRED');
    const missing = runCli(['runs', '--data-dir', dir, '--experiment', evil]);
    expect(missing.status).toBe(1);
    expect(raw.test(missing.stderr)).toBe(false);
    // JSON output escapes them as JSON does, and reads back exactly.
    const json = runCli(['runs', '--data-dir', dir, '--json']);
    expect((JSON.parse(json.stdout) as { runs: { name: string }[] }).runs[0]!.name).toBe(`run ${evil}`);
  });
});

describe('a data folder that cannot be written', () => {
  it('gets a readable error on stderr, not raw JSON log lines', () => {
    const dataDir = path.join(tmp(), 'data');
    expect(runCli(['runs', '--data-dir', dataDir]).status).toBe(0); // the archive and its logs exist
    // Read-only for whoever runs the command. root may write anywhere, so as root the command runs
    // as 'nobody' (setpriv), for whom the folder is read-only as for any user.
    const asRoot = process.getuid?.() === 0;
    const lockDown = (mode: number) => {
      for (const p of [dataDir, path.join(dataDir, 'logs'), ...readdirSync(path.join(dataDir, 'logs')).map((f) => path.join(dataDir, 'logs', f)), ...readdirSync(dataDir).filter((f) => f.startsWith('workbench.sqlite')).map((f) => path.join(dataDir, f))]) {
        chmodSync(p, statSync(p).isDirectory() ? mode | 0o111 : mode);
      }
    };
    lockDown(0o444);
    chmodSync(path.dirname(dataDir), 0o755);
    try {
      let r: CliResult;
      if (asRoot) {
        const home = path.join(path.dirname(dataDir), 'home');
        mkdirSync(home, { mode: 0o777 });
        chmodSync(home, 0o777);
        try {
          const stdout = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, path.resolve('electron/bin/workbench.js'), 'runs', '--data-dir', dataDir], {
            env: { ...process.env, HOME: home },
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          r = { status: 0, stdout, stderr: '' };
        } catch (e) {
          const err = e as { status: number | null; stdout: string; stderr: string };
          r = { status: err.status, stdout: err.stdout, stderr: err.stderr };
        }
      } else {
        r = runCli(['runs', '--data-dir', dataDir]);
      }
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/^\{"time"/m);
      expect(r.stderr).toContain('workbench: warning: the log file');
      expect(r.stderr).toContain('cannot be written');
      expect(r.stderr).toMatch(/workbench runs: The workbench database .* could not be opened/);
    } finally {
      lockDown(0o644);
    }
  });
});

describe('settings.update', () => {
  it('with an empty group writes nothing and says which', async () => {
    const s = openAppServices({ dataDir: tmp(), hostKind: 'cli' });
    try {
      const rows = () => {
        const db = new Database(s.store.file, { readonly: true });
        try {
          return db.prepare('SELECT key, value, updated_at FROM settings ORDER BY key').all();
        } finally {
          db.close();
        }
      };
      const before = rows();
      for (const patch of [{ limits: {} }, { units: {} }, { backups: {} }, { limits: {}, theme: 'dark' }]) {
        const r = await s.router.call('settings.update', patch);
        expect(r.ok, JSON.stringify(patch)).toBe(false);
        if (r.ok) continue;
        expect(r.error.code).toBe('invalid_request');
        const paths = (r.error.details as { problems: { path: string; message: string }[] }).problems;
        expect(paths.map((p) => p.path)).toEqual([Object.keys(patch)[0]]);
      }
      expect(rows()).toEqual(before);
    } finally {
      await s.close();
    }
  });
});
