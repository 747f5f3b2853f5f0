import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/run-cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-reproduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paperText = readFileSync(path.join(repoRoot, 'resources', 'experiments', 'paper.json'), 'utf8');

interface Figures {
  median: number;
  q1: number;
  q3: number;
}
interface Row extends Figures {
  id: string;
  name: string;
  family: string;
  seeds: number;
  censored: number;
  medianCensored: boolean;
  firstK: Figures & { unconverged: number };
  regret: Figures;
}
interface EnvReport {
  metric: string;
  baseline: string;
  primary: string;
  reductionPercent: number;
  bestConstant: { name: string; median: number };
  bestDecay: { name: string; median: number };
  reductionVsBestConstantPercent: number;
  reductionVsBestDecayPercent: number;
  ci95: { vsBaseline: [number, number]; vsBestConstant: [number, number]; vsBestDecay: [number, number] };
  rows: Row[];
}

/** 20 seeds: enough for stable medians, a third of the shipped 50. */
const SEEDS = 20;

describe('workbench reproduce', () => {
  it('--json prints one document: the headline metric, the best tuned constant and decay computed from the rows, intervals and censoring', { timeout: 120_000 }, () => {
    const r = runCli(['reproduce', '--seeds', String(SEEDS), '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, EnvReport>;
    expect(Object.keys(doc)).toEqual(['static', 'dynamic']);
    for (const env of Object.values(doc)) {
      expect(env.metric).toBe('episodes-to-stable-optimal');
      expect(env.baseline).toBe('Constant α = 0.1 (conventional, untuned)');
      expect(env.rows.map((row) => row.name)).toContain(env.baseline);
      for (const row of env.rows) {
        expect(row).toEqual(expect.objectContaining({ name: expect.any(String), family: expect.any(String), median: expect.any(Number), seeds: SEEDS, censored: expect.any(Number) }));
        expect(row.q1).toBeLessThanOrEqual(row.median);
        expect(row.median).toBeLessThanOrEqual(row.q3);
        expect(row.censored).toBeLessThanOrEqual(row.seeds);
        expect(row.firstK.median).toBeLessThanOrEqual(row.median + 1e-9);
      }
      const device = env.rows.find((row) => row.name === env.primary)!;
      const base = env.rows.find((row) => row.name === env.baseline)!;
      expect(env.reductionPercent).toBeCloseTo(((base.median - device.median) / base.median) * 100, 9);
      // "Best" is computed from the rows, never written by hand.
      const constants = env.rows.filter((row) => row.family === 'constant');
      expect(env.bestConstant.median).toBe(Math.min(...constants.map((row) => row.median)));
      const decays = env.rows.filter((row) => ['exponential', 'inverse-time', 'polynomial', 'linear'].includes(row.family));
      expect(env.bestDecay.median).toBe(Math.min(...decays.map((row) => row.median)));
      expect(env.reductionVsBestConstantPercent).toBeCloseTo(((env.bestConstant.median - device.median) / env.bestConstant.median) * 100, 9);
      expect(env.reductionVsBestDecayPercent).toBeCloseTo(((env.bestDecay.median - device.median) / env.bestDecay.median) * 100, 9);
      for (const ci of Object.values(env.ci95)) {
        expect(ci[0]).toBeLessThanOrEqual(ci[1]);
      }
    }
  });

  it('prints a readable table that says whose parameters these are', { timeout: 120_000 }, () => {
    const r = runCli(['reproduce', '--seeds', '3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Parameters: Our experiment after the paper: all parameters');
    expect(r.stdout).toContain('the paper\'s full text is not available');
        expect(r.stdout).toContain('our experiment after the paper');
    expect(r.stdout).toMatch(/\(paper, its own set-up: 68\.75 % fewer training iterations\)/);
    expect(r.stdout).toMatch(/strategy\s+family\s+median\s+IQR \(q1–q3\)\s+censored/);
    expect(r.stdout).toMatch(/vs the best tuned constant, .+ \(median [\d.]+\): /);
    expect(r.stdout).toMatch(/Best other strategy|NOT the best here/);
    expect(r.stdout).toMatch(/3 seeds, 2 environments, \d+ strategies: [\d.]+ s on \d+ worker thread/);
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
