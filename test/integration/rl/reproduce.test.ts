import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/run-cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-reproduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paperText = readFileSync(path.join(repoRoot, 'resources', 'experiments', 'paper.json'), 'utf8');

interface Row {
  name: string;
  median: number;
  q1: number;
  q3: number;
  seeds: number;
}
interface EnvReport {
  baseline: string;
  reductionPercent: number;
  rows: Row[];
}

/** 20 seeds: enough for stable medians (the IQRs are narrow), a third of the shipped 50. */
const SEEDS = 20;

describe('workbench reproduce', () => {
  it('--json prints one document with the paper’s comparison, and meets the targets', { timeout: 120_000 }, () => {
    const r = runCli(['reproduce', '--seeds', String(SEEDS), '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, EnvReport>;
    expect(Object.keys(doc)).toEqual(['static', 'dynamic']);
    for (const env of Object.values(doc)) {
      expect(env.baseline).toBe('Constant α = 0.1 (conventional)');
      expect(env.rows.map((row) => row.name)).toContain(env.baseline);
      for (const row of env.rows) {
        expect(row).toEqual(expect.objectContaining({ name: expect.any(String), median: expect.any(Number), q1: expect.any(Number), q3: expect.any(Number), seeds: SEEDS }));
        expect(row.q1).toBeLessThanOrEqual(row.median);
        expect(row.median).toBeLessThanOrEqual(row.q3);
      }
      // The reported reduction is the medians' reduction, recomputed here from the rows.
      const device = env.rows.find((row) => row.name === 'Device-driven (intrinsic-gradient)')!;
      const base = env.rows.find((row) => row.name === env.baseline)!;
      expect(env.reductionPercent).toBeCloseTo(((base.median - device.median) / base.median) * 100, 9);
    }
    // The paper reports 68.75 % and 35.65 %; the issue asks for at least 60 % and 30 %.
    expect(doc.static!.reductionPercent).toBeGreaterThanOrEqual(60);
    expect(doc.dynamic!.reductionPercent).toBeGreaterThanOrEqual(30);
  });

  it('prints a readable table that says whose parameters these are', { timeout: 120_000 }, () => {
    const r = runCli(['reproduce', '--seeds', '3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Parameters: All parameters');
    expect(r.stdout).toContain('the paper\'s full text is not available');
    expect(r.stdout).toMatch(/strategy\s+median\s+IQR \(q1–q3\)\s+seeds/);
    expect(r.stdout).toMatch(/fewer training iterations \(published: 68\.75 %\)/);
    expect(r.stdout).toMatch(/Best other strategy|Tied with the best other strategy|NOT the best here/);
    expect(r.stdout).toMatch(/3 seeds, 2 environments, 11 strategies: [\d.]+ s on \d+ worker thread/);
  });

  it('runs another experiment file', { timeout: 60_000 }, () => {
    const doc = JSON.parse(paperText) as { environments: unknown[]; strategies: { id: string }[] };
    doc.environments = doc.environments.slice(0, 1);
    doc.strategies = doc.strategies.filter((s) => ['device-intrinsic-gradient', 'constant-0.1'].includes(s.id));
    const file = path.join(dir, 'small.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = runCli(['reproduce', '--experiment', file, '--seeds', '2', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, EnvReport>;
    expect(Object.keys(out)).toEqual(['static']);
    expect(out.static!.rows).toHaveLength(2);
  });

  const oneLine = (stderr: string) => expect(stderr.trim().split('\n')).toHaveLength(1);

  it('refuses bad files with one line and exit code 1', () => {
    const missing = runCli(['reproduce', '--experiment', path.join(dir, 'nope.json')]);
    expect(missing.status).toBe(1);
    oneLine(missing.stderr);
    expect(missing.stderr).toMatch(/cannot read experiment file .*nope\.json: no such file/);

    const notJson = path.join(dir, 'broken.json');
    writeFileSync(notJson, '{"schema": 1,');
    const broken = runCli(['reproduce', '--experiment', notJson]);
    expect(broken.status).toBe(1);
    oneLine(broken.stderr);
    expect(broken.stderr).toMatch(/invalid experiment file .*broken\.json: not valid JSON/);

    const invalid = path.join(dir, 'invalid.json');
    writeFileSync(invalid, paperText.replace('"alpha": 0.1', '"alpha": 1.5'));
    const bad = runCli(['reproduce', '--experiment', invalid]);
    expect(bad.status).toBe(1);
    oneLine(bad.stderr);
    expect(bad.stderr).toContain('strategies[1].alpha: alpha must be in (0, 1] (got 1.5)');

    const folder = runCli(['reproduce', '--experiment', dir]);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toContain('it is a folder');
    expect(missing.stdout + broken.stdout + bad.stdout).toBe('');
  });

  it('refuses bad flags with one line and exit code 2', () => {
    for (const args of [['--seeds', '0'], ['--seeds', '2.5'], ['--seeds', 'many'], ['--workers', '0'], ['--colour']]) {
      const r = runCli(['reproduce', ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      oneLine(r.stderr);
      expect(r.stdout).toBe('');
    }
    expect(runCli(['reproduce', '--seeds', '0']).stderr).toContain('--seeds must be an integer from 1 to 10000, got 0');
  });

  it('is listed in --help', () => {
    expect(runCli(['--help']).stdout).toContain('reproduce [--experiment FILE] [--seeds N] [--json]');
  });
});
