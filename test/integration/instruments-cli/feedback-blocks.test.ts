/**
 * #13: the forming and converge blocks on an instrument stop where the simulation stops. A feedback
 * block decides on what the instrument measured (the current under compliance after each step, the
 * read after each pulse), so these runs go through the real drivers: `workbench emulator` and
 * `workbench run` as separate processes on a socat pseudo-terminal, the run in a real SQLite file.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorProcess, runCliAsync, tempDir } from './helpers';

const SEED = 3;

interface Simulated {
  exits: { text: string; reached: boolean; voltage: number; pulses: number }[];
  samples: unknown[];
}

async function simulate(protocol: string): Promise<Simulated> {
  const r = await runCliAsync(['simulate', '--device', 'bipolar-oxide', '--protocol', protocol, '--seed', String(SEED), '--json'], 120_000);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Simulated;
}

async function onInstrument(driver: string, protocol: string): Promise<{ status: number | null; summary: { runId: string; status: string; samples: number; exitReason: string }; stderr: string; dataDir: string }> {
  const link = path.join(tempDir(), driver);
  await emulatorProcess(['--driver', driver, '--device', 'bipolar-oxide', '--seed', String(SEED), '--link', link]);
  const dataDir = tempDir();
  const r = await runCliAsync(['run', '--protocol', protocol, '--device', `serial:${link}`, '--driver', driver, '--data-dir', dataDir, '--json'], 240_000);
  return { status: r.status, summary: JSON.parse(r.stdout) as never, stderr: r.stderr, dataDir };
}

describe('forming and converge blocks on instruments (virtual, bipolar device)', () => {
  it('keithley2400: the forming template stops at the voltage and pulse the simulation stops at, and says so', { timeout: 300_000 }, async () => {
    const [sim, run] = await Promise.all([simulate('forming'), onInstrument('keithley2400', 'forming')]);
    expect(sim.exits).toHaveLength(1);
    expect(sim.exits[0]!.reached).toBe(true);
    expect(run.status, run.stderr).toBe(0);
    expect(run.summary.status).toBe('completed');
    // Stopped early: the 61-step ramp to 3.5 V ended at the target (a pulse and a read per step).
    expect(run.summary.samples).toBe(sim.samples.length);
    expect(run.summary.samples).toBeLessThan(2 * 61);
    expect(run.summary.exitReason).toContain(sim.exits[0]!.text);
  });

  it('pulse board: converge-to-state forms, SETs and converges into the band after the pulses the simulation needs', { timeout: 300_000 }, async () => {
    const [sim, run] = await Promise.all([simulate('converge-to-state'), onInstrument('pulse-board', 'converge-to-state')]);
    expect(sim.exits.map((e) => e.reached)).toEqual([true, true]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.summary.status).toBe('completed');
    expect(run.summary.samples).toBe(sim.samples.length);
    for (const exit of sim.exits) expect(run.summary.exitReason).toContain(exit.text);
  });

  it('keithley2400: converge-to-state is refused before anything is sent, at the block whose 30 µs RESET it cannot make', { timeout: 300_000 }, async () => {
    const run = await onInstrument('keithley2400', 'converge-to-state');
    expect(run.status).toBe(1);
    expect(run.summary.status).toBe('failed');
    expect(run.summary.samples).toBe(0);
    expect(run.summary.exitReason).toMatch(/blocks\[2\]: refused a pulse of width 30 µs: a Keithley 2400 cannot make a pulse shorter than its integration time/);
    expect(run.stderr).toMatch(/blocks\[2\]/);
  });
});
