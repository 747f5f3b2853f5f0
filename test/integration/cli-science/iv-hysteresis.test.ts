import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProtocol, execute, type StepOp } from '../../../shared/protocol';
import { repoRoot } from '../cli/run-cli';
import { cliJson, runCli, tempDir } from './helpers';

interface Sample {
  t: number;
  v: number;
  i: number;
  g: number;
  kind: 'read' | 'pulse';
}

interface SimulateDoc {
  device: string;
  model: string;
  samples: Sample[];
}

/** The protocol's steps, in order: each sample of `simulate` is one of them (its compliance, its block). */
function protocolSteps(): StepOp[] {
  const file = path.join(repoRoot, 'resources', 'protocols', 'iv-hysteresis.json');
  const compiled = compileProtocol(JSON.parse(readFileSync(file, 'utf8')));
  if (!compiled.ok) throw new Error('iv-hysteresis does not compile');
  const out: StepOp[] = [];
  for (const op of execute(compiled.program)) {
    if (op.op !== 'step') throw new Error(`iv-hysteresis should only sweep, got a ${op.op}`);
    out.push(op);
  }
  return out;
}

/** ∮ I dV over a closed polygon (shoelace), in V·A; signed by the direction it is run. */
function loopArea(loop: readonly Sample[]): number {
  let area = 0;
  for (let k = 0; k < loop.length; k++) {
    const a = loop[k]!;
    const b = loop[(k + 1) % loop.length]!;
    area += a.v * b.i - b.v * a.i;
  }
  return area / 2;
}

/**
 * The switching events of a sweep: where the chord conductance |I/V| between two neighbouring
 * steps of the same polarity changes by more than 2× (the HRS's nonlinearity and the read noise
 * stay far below that; a SET or RESET changes it by 10× or more). A switch spread over neighbouring
 * steps is one event, at the voltage of its first step.
 */
function switches(samples: readonly Sample[]): { kind: 'set' | 'reset'; v: number }[] {
  const out: { kind: 'set' | 'reset'; v: number; at: number }[] = [];
  for (let k = 1; k < samples.length; k++) {
    const [a, b] = [samples[k - 1]!, samples[k]!];
    if (a.v === 0 || b.v === 0 || Math.sign(a.v) !== Math.sign(b.v)) continue;
    const ratio = b.i / b.v / (a.i / a.v);
    const kind = ratio > 2 ? 'set' : ratio < 0.5 ? 'reset' : undefined;
    if (kind === undefined) continue;
    const last = out[out.length - 1];
    if (last?.kind === kind && last.at === k - 1) last.at = k;
    else out.push({ kind, v: b.v, at: k });
  }
  return out.map(({ kind, v }) => ({ kind, v }));
}

describe('workbench simulate --device bipolar-oxide --protocol iv-hysteresis --json', () => {
  const steps = protocolSteps();
  const formingBlock = steps[0]!.block;
  const forming = steps.filter((s) => s.block === formingBlock).length;
  const cycleLength = 301; // 0 → 1.5 → 0 → −1.5 → 0 V in 20 mV steps

  it.each([1, 2, 3])('seed %i: every loop is pinched, encloses an area, SETs at V > 0 and RESETs at V < 0 within the compliance', (seed) => {
    const { result, doc } = cliJson<SimulateDoc>(['simulate', '--device', 'bipolar-oxide', '--protocol', 'iv-hysteresis', '--seed', String(seed), '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(doc).toMatchObject({ device: 'bipolar-oxide', model: 'bipolar' });
    const samples = doc.samples;
    expect(samples).toHaveLength(steps.length);
    expect((steps.length - forming) / cycleLength).toBe(10);

    // Each sample is its step: the voltage applied, a current never beyond that step's compliance.
    samples.forEach((s, k) => {
      expect(s.kind).toBe('pulse');
      expect(s.v).toBe(steps[k]!.voltage);
      expect(Math.abs(s.i)).toBeLessThanOrEqual(steps[k]!.compliance * 1.01);
    });

    // Forming: the virgin device switches once, at a positive voltage, and is held at 100 µA.
    const formingSweep = samples.slice(0, forming);
    expect(switches(formingSweep).map((e) => e.kind)).toEqual(['set']);
    expect(switches(formingSweep)[0]!.v).toBeGreaterThan(2);
    expect(Math.max(...formingSweep.map((s) => s.i))).toBeCloseTo(100e-6, 12);

    for (let c = 0; c < 10; c++) {
      const loop = samples.slice(forming + c * cycleLength, forming + (c + 1) * cycleLength);
      const maxI = Math.max(...loop.map((s) => Math.abs(s.i)));
      // Pinched: the current at 0 V is below 10⁻³ of the largest.
      const atZero = loop.filter((s) => s.v === 0);
      expect(atZero.length).toBeGreaterThanOrEqual(3);
      for (const s of atZero) expect(Math.abs(s.i)).toBeLessThan(1e-3 * maxI);
      // A hysteresis loop: the up and down branches differ, so each lobe (0 → +1.5 → 0 V and
      // 0 → −1.5 → 0 V, each closed at I = 0) encloses an area. The lobes of a pinched bipolar
      // loop run in opposite directions, so they are measured apart rather than summed with signs.
      const half = (cycleLength - 1) / 2;
      for (const lobe of [loop.slice(0, half + 1), loop.slice(half)]) {
        const lobeMax = Math.max(...lobe.map((s) => Math.abs(s.i)));
        expect(Math.abs(loopArea(lobe))).toBeGreaterThan(0.05 * 1.5 * lobeMax);
      }
      // SET at V > 0, RESET at V < 0, and both in every cycle.
      const events = switches(loop);
      expect(events.some((e) => e.kind === 'set')).toBe(true);
      expect(events.some((e) => e.kind === 'reset')).toBe(true);
      for (const e of events) {
        if (e.kind === 'set') expect(e.v).toBeGreaterThan(0);
        else expect(e.v).toBeLessThan(0);
      }
      // During the SET the current rises to the compliance (500 µA) and never more than 1 % past it.
      const positive = loop.filter((s) => s.v > 0);
      expect(Math.max(...positive.map((s) => s.i))).toBeGreaterThanOrEqual(0.99 * 500e-6);
      expect(Math.max(...positive.map((s) => s.i))).toBeLessThanOrEqual(1.01 * 500e-6);
    }
  });

  it('workbench run on sim:bipolar-oxide records the same steps and currents as simulate, seed for seed', () => {
    const dataDir = tempDir();
    const { result: run, doc: ran } = cliJson<{ runId: string; status: string; samples: number }>(['run', '--protocol', 'iv-hysteresis', '--device', 'sim:bipolar-oxide', '--seed', '5', '--data-dir', dataDir, '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect(ran).toMatchObject({ status: 'completed', samples: steps.length });
    const exported = runCli(['export', ran.runId, '--format', 'csv', '--data-dir', dataDir]);
    expect(exported.status, exported.stderr).toBe(0);
    const rows = exported.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#')).slice(1).map((l) => l.split(','));
    const { doc: simulated } = cliJson<SimulateDoc>(['simulate', '--device', 'bipolar-oxide', '--protocol', 'iv-hysteresis', '--seed', '5', '--json']);
    expect(rows).toHaveLength(simulated.samples.length);
    rows.forEach(([, v, i], k) => {
      // The CSV writes voltages as exact decimals at 1 nV: 0.15 for the staircase's 0.15000000000000002.
      expect(Math.abs(Number(v) - simulated.samples[k]!.v)).toBeLessThanOrEqual(5e-10);
      expect(Number(i)).toBe(simulated.samples[k]!.i);
    });
    // simulate's summary gives the switching figures `analyze` gives for the run recorded, line for line.
    const summary = runCli(['simulate', '--device', 'bipolar-oxide', '--protocol', 'iv-hysteresis', '--seed', '5']);
    expect(summary.status, summary.stderr).toBe(0);
    const analyzed = runCli(['analyze', ran.runId, '--data-dir', dataDir]);
    expect(analyzed.status, analyzed.stderr).toBe(0);
    const figures = (text: string) => text.split('\n').filter((l) => /^ {2}(V_set|V_reset|HRS|LRS|on\/off) /.test(l));
    expect(figures(analyzed.stdout)).toHaveLength(5);
    expect(figures(summary.stdout)).toEqual(figures(analyzed.stdout));
    expect(summary.stdout).toContain('Switching: 10 SET/RESET cycles');
    expect(summary.stdout).toMatch(/V_set +median [0-9.]+ mV/);
  });

  it('simulate says nothing about switching for a run that never cycles on a device that cannot', () => {
    const plain = runCli(['simulate', '--device', 'intrinsic-gradient', '--protocol', 'paper-spike-train']);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('Switching');
  });
});
