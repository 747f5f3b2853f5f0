/**
 * The run commands of the `workbench` CLI, run as a user runs them: run, runs, export,
 * export-bundle and import, with their errors (one line on stderr, exit 1) and usage errors (exit 2).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../../electron/services/runs';
import { runCli } from '../cli/run-cli';
import { tempDir } from './helpers';

interface Summary {
  runId: string;
  status: string;
  samples: number;
  initialG: number;
  finalG: number;
  deltaGPercent: number;
}

const oneLine = (stderr: string) => stderr.trim().split('\n');

describe('workbench run', () => {
  it('runs a protocol on a simulated device and prints a JSON summary', { timeout: 90_000 }, () => {
    const dir = tempDir();
    const r = runCli(['run', '--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--seed', '1', '--experiment', 'CLI', '--data-dir', dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(Object.keys(s)).toEqual(['runId', 'status', 'samples', 'initialG', 'finalG', 'deltaGPercent', 'exitReason']);
    expect(s).toMatchObject({ status: 'completed', samples: 200 });
    expect(s.deltaGPercent).toBeCloseTo(((s.finalG - s.initialG) / s.initialG) * 100, 10);
    expect(s.deltaGPercent).toBeLessThan(-95);

    // The same seed gives the same run.
    const again = JSON.parse(runCli(['run', '--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--seed', '1', '--data-dir', dir, '--json']).stdout) as Summary;
    expect(again.finalG).toBe(s.finalG);
    expect(again.runId).not.toBe(s.runId);

    // Human output: the run id first, then a summary.
    const h = runCli(['run', '--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--noise', 'off', '--name', 'quiet', '--data-dir', dir]);
    expect(h.status).toBe(0);
    const [id, ...rest] = h.stdout.trim().split('\n');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(rest.join('\n')).toContain('completed');
    expect(rest.join('\n')).toMatch(/ΔG = -9\d\.\d\d %/);

    const list = runCli(['runs', '--data-dir', dir, '--json']);
    expect(list.status).toBe(0);
    const { runs, total } = JSON.parse(list.stdout) as { runs: { id: string; status: string; sampleCount: number; experimentName: string; name: string }[]; total: number };
    expect(total).toBe(3);
    expect(runs.map((x) => x.id)).toEqual([id, again.runId, s.runId]);
    expect(runs.every((x) => x.status === 'completed' && x.sampleCount === 200)).toBe(true);
    expect(runs[2]!.experimentName).toBe('CLI');
    expect(runs[0]!.experimentName).toBe('Default');
    const table = runCli(['runs', '--data-dir', dir, '--experiment', 'CLI']);
    expect(table.stdout.split('\n')[0]).toMatch(/^id\s+status\s+samples\s+created\s+experiment\s+name$/);
    expect(table.stdout).toContain(s.runId);
    expect(table.stdout).not.toContain(id);

    // The Archive's filters, from the command line: device, protocol, dates; bad ones are refused.
    const ids = (args: string[]) => (JSON.parse(runCli(['runs', '--data-dir', dir, '--json', ...args]).stdout) as { runs: { id: string }[] }).runs.map((x) => x.id);
    expect(ids(['--device', 'sim:intrinsic-gradient'])).toHaveLength(3);
    expect(ids(['--device', 'sim:filamentary'])).toEqual([]);
    expect(ids(['--device', 'instrument'])).toEqual([]);
    expect(ids(['--protocol', 'Paper spike train'])).toHaveLength(3);
    const today = new Date().toISOString().slice(0, 10);
    expect(ids(['--from', today, '--to', today])).toHaveLength(3);
    expect(ids(['--to', '2000-01-01'])).toEqual([]);
    const badDevice = runCli(['runs', '--data-dir', dir, '--device', 'gpib']);
    expect(badDevice.status).toBe(2);
    expect(badDevice.stderr).toContain('--device must be sim, sim:PRESET, instrument or instrument:DRIVER');
    const badDay = runCli(['runs', '--data-dir', dir, '--from', '2025-02-30']);
    expect(badDay.status).toBe(2);
    expect(badDay.stderr).toContain("--from is not a date: '2025-02-30'");
    const backwards = runCli(['runs', '--data-dir', dir, '--from', '2025-03-02', '--to', '2025-03-01']);
    expect(backwards.status).toBe(1);
    expect(backwards.stderr).toContain('must be later than createdFrom');
  });

  it('reports a failed or impossible run on one line of stderr with exit 1, and usage errors with exit 2', { timeout: 90_000 }, () => {
    const dir = tempDir();
    // A GPIB address whose controller part is not a Prologix adapter (a port path or HOST:PORT) is a usage error.
    const gpib = runCli(['run', '--protocol', 'paper-spike-train', '--device', 'gpib:0::24', '--driver', 'keithley2400', '--data-dir', dir]);
    expect(gpib.status).toBe(2);
    expect(oneLine(gpib.stderr)).toHaveLength(1);
    expect(gpib.stderr).toContain('the Prologix controller');

    // A serial port that is not there: refused with the reason before a run is created (#18).
    const serial = runCli(['run', '--protocol', 'paper-spike-train', '--device', 'serial:/dev/wb-no-such-port', '--driver', 'keithley2400', '--data-dir', dir, '--json']);
    expect(serial.status).toBe(1);
    expect(oneLine(serial.stderr)).toHaveLength(1);
    expect(serial.stderr).toContain('/dev/wb-no-such-port does not exist');
    expect(serial.stdout).toBe('');

    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ format: 'memristor-workbench/protocol', version: 1, name: 'x', blocks: [{ kind: 'pulse', amplitude: '50 V', width: '1 ms' }, { kind: 'wait' }] }));
    const invalid = runCli(['run', '--protocol', bad, '--device', 'sim:intrinsic-gradient', '--data-dir', dir]);
    expect(invalid.status).toBe(1);
    expect(oneLine(invalid.stderr)).toHaveLength(1);
    expect(invalid.stderr).toContain('50 V');

    for (const args of [
      ['--device', 'sim:no-such-preset', '--protocol', 'paper-spike-train'],
      ['--device', 'sim:intrinsic-gradient', '--protocol', 'no-such-protocol'],
    ]) {
      const r = runCli(['run', ...args, '--data-dir', dir]);
      expect(r.status).toBe(1);
      expect(oneLine(r.stderr)).toHaveLength(1);
    }
    for (const args of [
      ['--device', 'sim:intrinsic-gradient'],
      ['--protocol', 'paper-spike-train'],
      ['--protocol', 'paper-spike-train', '--device', 'intrinsic-gradient'],
      ['--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--pace', 'slow'],
      ['--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--seed', '-3'],
      ['--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--noise', 'maybe'],
    ]) {
      const r = runCli(['run', ...args, '--data-dir', dir]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toHaveLength(1);
    }
    // None of them left a run behind, failed or otherwise.
    expect(JSON.parse(runCli(['runs', '--data-dir', dir, '--json']).stdout)).toMatchObject({ total: 0, runs: [] });
  });
});

describe('workbench export, export-bundle and import', () => {
  it('exports a run as CSV and JSON, and an experiment as a bundle another archive imports', { timeout: 90_000 }, () => {
    const dir = tempDir();
    const out = tempDir();
    const s = JSON.parse(runCli(['run', '--protocol', 'relaxation', '--device', 'sim:intrinsic-gradient', '--seed', '4', '--experiment', 'Relax', '--data-dir', dir, '--json']).stdout) as Summary;

    const csv = runCli(['export', s.runId.slice(0, 8), '--format', 'csv', '--data-dir', dir]);
    expect(csv.status).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines.length - 1).toBe(260);
    const commented = runCli(['export', s.runId.slice(0, 8), '--format', 'csv', '--comments', '--data-dir', dir]).stdout.trim().split('\n');
    expect(commented).toContain(`# run_id: ${s.runId}`);
    const header = commented.findIndex((l) => l === CSV_HEADER);
    expect(commented.slice(0, header).every((l) => l.startsWith('#'))).toBe(true);
    expect(commented.slice(header)).toEqual(lines);

    const jsonFile = path.join(out, 'run.json');
    const json = runCli(['export', s.runId, '--format', 'json', '--out', jsonFile, '--data-dir', dir]);
    expect(json.status).toBe(0);
    const doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { run: { id: string }; samples: { g: number[] } };
    expect(doc.run.id).toBe(s.runId);
    expect(doc.samples.g.at(-1)).toBe(s.finalG);
    expect(runCli(['export', s.runId, '--format', 'json', '--out', jsonFile, '--data-dir', dir]).status).toBe(1); // no overwriting
    expect(runCli(['export', s.runId, '--data-dir', dir]).status).toBe(2); // --format is required
    const unknown = runCli(['export', 'ffffffff', '--format', 'csv', '--data-dir', dir]);
    expect(unknown.status).toBe(1);
    expect(oneLine(unknown.stderr)).toHaveLength(1);

    const bundle = path.join(out, 'relax.wbexp.sqlite');
    const exp = runCli(['export-bundle', 'Relax', '--out', bundle, '--data-dir', dir, '--json']);
    expect(exp.status).toBe(0);
    expect(JSON.parse(exp.stdout)).toEqual({ file: bundle, runs: 1, samples: 260 });

    const other = tempDir();
    const imp = runCli(['import', bundle, '--data-dir', other, '--json']);
    expect(imp.status).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ imported: 1, skipped: 0, experimentName: 'Relax' });
    expect(JSON.parse(runCli(['import', bundle, '--data-dir', other, '--json']).stdout)).toMatchObject({ imported: 0, skipped: 1 });
    const listed = JSON.parse(runCli(['runs', '--data-dir', other, '--json']).stdout) as { runs: { id: string; finalG: number }[] };
    expect(listed.runs).toMatchObject([{ id: s.runId, finalG: s.finalG }]);

    const junk = path.join(out, 'junk.sqlite');
    fs.writeFileSync(junk, randomBytes(10_000));
    const refused = runCli(['import', junk, '--data-dir', other]);
    expect(refused.status).toBe(1);
    expect(oneLine(refused.stderr)).toHaveLength(1);
    expect(refused.stderr).toContain('not an experiment bundle');
    expect(runCli(['export-bundle', 'Relax', '--data-dir', dir]).status).toBe(2); // --out is required
  });
});
