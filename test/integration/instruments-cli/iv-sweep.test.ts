/**
 * #13, done when: `workbench run --protocol iv-hysteresis --device serial:PATH --driver
 * keithley2400` against the virtual 2400 with a bipolar device under test gives per-cycle V_set
 * within 5 % of `workbench simulate` with the same seed, and compliance flags where the simulation
 * has them; the same on a 2600B (TSP) with a shorter sweep. The emulator and the run are separate
 * processes on a socat pseudo-terminal, the run is stored in a real SQLite archive and read back
 * through `workbench export`, as a lab would; V_set is extracted as `workbench analyze` does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSwitching } from '../../../shared/analysis';
import { compileProtocol, execute } from '../../../shared/protocol';
import { emulatorProcess, runCliAsync, tempDir } from './helpers';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const shippedFile = path.join(repoRoot, 'resources', 'protocols', 'iv-hysteresis.json');

const SEED = 3;

interface Trace {
  v: number[];
  kind: number[];
  i: number[];
  compliance: boolean[];
  block: number[];
}

/** V_set of each SET/RESET cycle, as `workbench analyze` extracts it (shared/analysis), and the SET compliance it finds. */
function switching(trace: Trace): { vSet: (number | null)[]; complianceSet: number | null } {
  const a = analyzeSwitching({ length: trace.v.length, v: trace.v, i: trace.i, kind: trace.kind, block: trace.block, compliance: trace.compliance.map(Number) });
  return { vSet: a.cycles.map((c) => c.vSet), complianceSet: a.complianceSet };
}

async function simulated(protocol: string): Promise<Trace> {
  const r = await runCliAsync(['simulate', '--device', 'bipolar-oxide', '--protocol', protocol, '--seed', String(SEED), '--json'], 120_000);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { samples: { v: number; i: number; kind: 'read' | 'pulse'; compliance: boolean }[] };
  const steps = blocksOf(protocol === 'iv-hysteresis' ? shippedFile : protocol);
  return {
    v: doc.samples.map((s) => s.v),
    kind: doc.samples.map((s) => (s.kind === 'pulse' ? 1 : 0)),
    i: doc.samples.map((s) => s.i),
    compliance: doc.samples.map((s) => s.compliance),
    block: steps,
  };
}

/** The block of each step of the protocol (its forming sweep is 0, its loops 1): simulate's rows do not carry it. */
function blocksOf(file: string): number[] {
  const compiled = compileProtocol(JSON.parse(readFileSync(file, 'utf8')));
  if (!compiled.ok) throw new Error(`${file} does not compile`);
  return [...execute(compiled.program)].map((op) => op.block);
}

async function onInstrument(driver: 'keithley2400' | 'keithley2600', protocol: string): Promise<{ trace: Trace; run: Record<string, unknown> }> {
  const link = path.join(tempDir(), driver);
  const emu = await emulatorProcess(['--driver', driver, '--device', 'bipolar-oxide', '--seed', String(SEED), '--link', link]);
  expect(emu.info.path).toBe(link);
  const dataDir = tempDir();
  const r = await runCliAsync(['run', '--protocol', protocol, '--device', `serial:${link}`, '--driver', driver, '--data-dir', dataDir, '--json'], 240_000);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const summary = JSON.parse(r.stdout) as { runId: string; status: string };
  expect(summary.status).toBe('completed');
  const exported = await runCliAsync(['export', summary.runId, '--format', 'json', '--data-dir', dataDir]);
  expect(exported.status).toBe(0);
  const doc = JSON.parse(exported.stdout) as { run: Record<string, unknown>; samples: { v: number[]; i: number[]; kind: number[]; compliance: boolean[]; block: number[] } };
  return { trace: doc.samples, run: doc.run };
}

function expectSameSwitching(onInst: Trace, sim: Trace, cycles: number): void {
  expect(onInst.v).toEqual(sim.v);
  expect(onInst.block).toEqual(sim.block);
  const { vSet: measured, complianceSet } = switching(onInst);
  const { vSet: reference, complianceSet: simCompliance } = switching(sim);
  expect(reference).toHaveLength(cycles);
  expect(measured).toHaveLength(cycles);
  expect(reference.every((v) => v !== null)).toBe(true);
  expect(complianceSet).toBe(5e-4);
  expect(simCompliance).toBe(5e-4);
  measured.forEach((v, c) => {
    expect(v, `cycle ${c + 1}`).not.toBeNull();
    expect(Math.abs(v! - reference[c]!) / reference[c]!, `V_set of cycle ${c + 1}: ${v} V against ${reference[c]} V`).toBeLessThanOrEqual(0.05);
  });
  // In compliance exactly where the simulation is: during each SET, at the compliance current.
  expect(sim.compliance.filter(Boolean).length).toBeGreaterThan(cycles);
  expect(onInst.compliance).toEqual(sim.compliance);
  onInst.compliance.forEach((flag, k) => {
    if (flag) expect(Math.abs(onInst.i[k]!)).toBeCloseTo(onInst.v[k]! < 0 ? 1e-3 : onInst.block[k] === 0 ? 1e-4 : 5e-4, 9);
  });
}

describe('I–V sweeps with the compliance on the instrument (virtual instruments, bipolar device)', () => {
  it('keithley2400: iv-hysteresis gives per-cycle V_set within 5 % of simulate with the same seed, and the same compliance flags', { timeout: 300_000 }, async () => {
    const [sim, onInst] = await Promise.all([simulated('iv-hysteresis'), onInstrument('keithley2400', 'iv-hysteresis')]);
    expectSameSwitching(onInst.trace, sim, 10);
    expect(onInst.run.device).toMatchObject({ kind: 'instrument', driver: 'keithley2400', virtual: true });
  });

  it('keithley2600 (TSP): a 3-cycle hysteresis gives the same V_set and compliance flags as simulate', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'iv-short.json');
    const doc = JSON.parse(readFileSync(shippedFile, 'utf8')) as { blocks: { cycles?: number }[] };
    doc.blocks[1]!.cycles = 3;
    writeFileSync(file, JSON.stringify(doc));
    const [sim, onInst] = await Promise.all([simulated(file), onInstrument('keithley2600', file)]);
    expectSameSwitching(onInst.trace, sim, 3);
    expect(onInst.run.device).toMatchObject({ kind: 'instrument', driver: 'keithley2600', virtual: true });
  });
});
