import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliAsync, tempDir } from './helpers';

/** `workbench rl` refuses what it cannot run safely, in one line, before anything is written. */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const paper = JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'experiments', 'paper.json'), 'utf8')) as { strategies: Record<string, unknown>[] };

describe('workbench rl refuses', () => {
  it('pulses outside the safety limits, an episode shorter than its pulse, a schedule, an unknown strategy, a bad device', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const hot = structuredClone(paper);
    hot.strategies = hot.strategies.map((s) => (s.id === 'device-intrinsic-gradient' ? { ...s, pulse: { amplitude: 12, width: 0.01 } } : s));
    const hotFile = path.join(dir, 'hot.json');
    writeFileSync(hotFile, JSON.stringify(hot));
    const cases: [string[], RegExp][] = [
      [['--experiment', hotFile, '--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient'], /outside the safety limits: .*12/],
      [['--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--episode-device-time', '0.005'], /must be longer than one pulse/],
      [['--strategy', 'constant', '--device', 'sim:intrinsic-gradient'], /is a constant schedule; only a device strategy/],
      [['--strategy', 'nope', '--device', 'sim:intrinsic-gradient'], /has no strategy 'nope'/],
      [['--strategy', 'device-intrinsic-gradient', '--device', 'bogus::thing'], /--device/],
      [['--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--episodes', '3'], /at least the convergence window/],
      [['--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--g0', 'bogus'], /--g0 must be 'read', a positive conductance/],
    ];
    for (const [k, [args, pattern]] of cases.entries()) {
      const dataDir = path.join(dir, `data-${k}`);
      const r = await runCliAsync(['rl', ...args, '--data-dir', dataDir]);
      expect(r.status, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
      // Nothing was recorded: no RL run in the folder (the store may exist, empty of runs).
      if (existsSync(path.join(dataDir, 'workbench.sqlite'))) {
        const list = await runCliAsync(['rl-runs', '--json', '--data-dir', dataDir]);
        expect(JSON.parse(list.stdout)).toEqual({ rlRuns: [] });
      }
    }
  });

  it('G0 (not a refusal): an explicit reference is recorded, and a device far from it is flagged before the run', { timeout: 60_000 }, async () => {
    const dataDir = tempDir();
    const r = await runCliAsync(['rl', '--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--episodes', '12', '--g0', '20 uS', '--json', '--data-dir', dataDir]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/the device reads 10\.\d+ µS, 4\d % below its reference G0 = 20 µS: α starts low/);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed', g0: 20e-6, g0Source: 'entered' });
    const read = JSON.parse((await runCliAsync(['rl', '--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--episodes', '12', '--json', '--data-dir', dataDir])).stdout) as { g0: number; g0Source: string };
    expect(read.g0Source).toBe('read burst (5 reads, median)');
    expect(read.g0).toBeGreaterThan(9e-6);
  });

  it('to resume a run that completed, or one that does not exist', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const done = await runCliAsync(['rl', '--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--episodes', '12', '--json', '--data-dir', dataDir]);
    const id = (JSON.parse(done.stdout) as { rlRunId: string }).rlRunId;
    const again = await runCliAsync(['rl', '--resume', id, '--data-dir', dataDir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/is completed; only an interrupted or cancelled run resumes/);
    const missing = await runCliAsync(['rl', '--resume', '00000000-0000-4000-8000-000000000000', '--data-dir', dataDir]);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(/no RL run with id/);
  });
});
