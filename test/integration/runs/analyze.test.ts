/**
 * `workbench analyze` on a real archive (SQLite file): a 1,000-cycle endurance run built from
 * iv-sweep blocks with a read after each SET and each RESET, run on the simulated bipolar-oxide
 * device, gives every per-cycle figure and the statistics, stored with the run (#13).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store';
import { ANALYSIS_CSV_HEADER } from '../../../electron/cli/analyze';
import { repoRoot, runCli } from '../cli/run-cli';
import { tempDir } from './helpers';

interface Printed {
  runId: string;
  cycles: { vSet: number | null; vReset: number | null; hrs: number | null; lrs: number | null; maxSetCurrent: number | null; set: boolean; reset: boolean; setInCompliance: boolean | null }[];
  complianceSet: number | null;
  onOff: { median: number | null };
  cv: { vSet: number | null; vReset: number | null; hrs: number | null; lrs: number | null };
  read: { voltage: number | null; from: string | null };
  failed: number;
  unpaired: number;
}

const protocol = path.join(repoRoot, 'test', 'fixtures', 'analysis', 'endurance-iv.json');

describe('workbench analyze', () => {
  it('extracts and stores the figures of a 1,000-cycle endurance run', { timeout: 180_000 }, () => {
    const dir = tempDir();
    const run = runCli(['run', '--protocol', protocol, '--device', 'sim:bipolar-oxide', '--seed', '5', '--data-dir', dir, '--json']);
    expect(run.stderr).toBe('');
    const { runId } = JSON.parse(run.stdout) as { runId: string };

    const r = runCli(['analyze', runId.slice(0, 8), '--json', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout) as Printed;
    expect(a.runId).toBe(runId);
    expect(a.cycles).toHaveLength(1000);
    expect(a.unpaired).toBe(1); // the forming sweep
    for (const c of a.cycles) {
      expect(Object.keys(c).slice(0, 5)).toEqual(['vSet', 'vReset', 'hrs', 'lrs', 'maxSetCurrent']);
      // The LRS and HRS are taken by the reads, at 100 mV; the SET stops at the 500 µA compliance.
      expect(c.lrs).toBeGreaterThan(100);
      expect(c.hrs).toBeGreaterThan(c.lrs ?? Infinity);
      expect(c.maxSetCurrent).toBeLessThanOrEqual(500e-6 * 1.01);
    }
    const switched = a.cycles.filter((c) => c.set && c.reset);
    expect(switched.length).toBe(1000 - a.failed);
    expect(switched.length).toBeGreaterThan(990);
    for (const c of switched) {
      expect(c.vSet).toBeGreaterThan(0.5);
      expect(c.vSet).toBeLessThan(1.5);
      expect(c.vReset).toBeLessThan(-0.5);
      expect(c.vReset).toBeGreaterThan(-1.5);
      expect(c.setInCompliance).toBe(true);
    }
    expect(a.complianceSet).toBeCloseTo(500e-6, 9);
    expect(a.read).toEqual({ voltage: 0.1, from: 'reads' });
    expect(a.onOff.median).toBeGreaterThan(5);
    // The preset varies V_set, V_reset, HRS and LRS by 8 % from cycle to cycle (ours): CVs of that order.
    for (const key of ['vSet', 'vReset', 'hrs', 'lrs'] as const) {
      expect(a.cv[key]).toBeGreaterThan(2);
      expect(a.cv[key]).toBeLessThan(25);
    }

    // Stored with the run: the same document, reused by the next call.
    const store = openStore(dir, { appVersion: 'test' });
    try {
      const kept = store.analyses.get(runId);
      expect(kept?.sampleCount).toBe(store.runs.get(runId).sampleCount);
      expect((kept?.analysis as { cycles: unknown[] }).cycles).toHaveLength(1000);
    } finally {
      store.close();
    }
    const csv = runCli(['analyze', runId, '--csv', '--data-dir', dir]);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(ANALYSIS_CSV_HEADER);
    expect(lines).toHaveLength(1001);
    const human = runCli(['analyze', runId, '--data-dir', dir]);
    expect(human.stdout).toContain('1000 SET/RESET cycles');
    expect(human.stdout).toContain('stored with the run');
    // Every cycle has its voltages from the sweeps: no word about pulses.
    expect(human.stdout).not.toContain('single pulses');
  });

  it('says why V_set and V_reset are empty when the cycles switch by single pulses (the endurance template)', { timeout: 60_000 }, () => {
    const dir = tempDir();
    const { runId } = JSON.parse(runCli(['run', '--protocol', 'endurance', '--device', 'sim:bipolar-oxide', '--seed', '3', '--data-dir', dir, '--json']).stdout) as { runId: string };
    const a = JSON.parse(runCli(['analyze', runId, '--json', '--data-dir', dir]).stdout) as Printed;
    expect(a.cycles.length).toBeGreaterThan(50);
    expect(a.cycles.filter((c) => c.set).length).toBeGreaterThan(50);
    expect(a.cycles.every((c) => c.vSet === null && c.vReset === null)).toBe(true);
    const human = runCli(['analyze', runId, '--data-dir', dir]);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/V_set +median —/);
    expect(human.stdout).toContain('cycles switched by single pulses have none');
  });

  it('stores the figures of a run with sweeps when it ends, and of no other run', { timeout: 60_000 }, () => {
    const dir = tempDir();
    const sweep = JSON.parse(runCli(['run', '--protocol', 'iv-hysteresis', '--device', 'sim:bipolar-oxide', '--seed', '2', '--data-dir', dir, '--json']).stdout) as { runId: string };
    const spikes = JSON.parse(runCli(['run', '--protocol', 'paper-spike-train', '--device', 'sim:intrinsic-gradient', '--seed', '2', '--data-dir', dir, '--json']).stdout) as { runId: string };
    const store = openStore(dir, { appVersion: 'test' });
    try {
      const kept = store.analyses.get(sweep.runId);
      expect((kept?.analysis as { cycles: unknown[] }).cycles).toHaveLength(10);
      expect(store.analyses.get(spikes.runId)).toBeNull();
    } finally {
      store.close();
    }
  });

  it('says clearly when the run does not exist or the flags conflict', { timeout: 60_000 }, () => {
    const dir = tempDir();
    const missing = runCli(['analyze', '0123abcd', '--data-dir', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/No run id starts with 0123abcd/);
    const both = runCli(['analyze', '0123abcd', '--json', '--csv', '--data-dir', dir]);
    expect(both.status).not.toBe(0);
    expect(both.stderr).toMatch(/--json or --csv, not both/);
  });
});
