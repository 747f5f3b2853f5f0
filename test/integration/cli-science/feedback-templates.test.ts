import { describe, expect, it } from 'vitest';
import { cliJson, runCli } from './helpers';

interface Exit {
  block: string;
  kind: 'forming' | 'converge';
  reached: boolean;
  voltage: number | null;
  pulses: number;
  text: string;
}

interface SimulateDoc {
  samples: { t: number; v: number; i: number; g: number; kind: 'read' | 'pulse' }[];
  exits: Exit[];
  durationS: number;
  reads: number;
}

const simulate = (protocol: string) => cliJson<SimulateDoc>(['simulate', '--device', 'bipolar-oxide', '--protocol', protocol, '--json']);

describe('workbench simulate runs the lab templates on the bipolar-oxide preset (#13)', () => {
  it('forming: stops when a read finds the device formed, and says at which voltage', () => {
    const { result, doc } = simulate('forming');
    expect(result.status, result.stderr).toBe(0);
    expect(doc.exits).toHaveLength(1);
    const [exit] = doc.exits as [Exit];
    expect(exit).toMatchObject({ block: 'blocks[0]', kind: 'forming', reached: true });
    expect(exit.voltage).toBeGreaterThan(2.4);
    expect(exit.voltage).toBeLessThan(3.5);
    expect(exit.text).toMatch(/^forming \(Form: 0\.5 V → 3\.5 V under 100 µA\): target reached at V = 2\.\d+ V \(R = .+Ω, target R ≤ 20\.00 kΩ\) after \d+ pulses$/);
    // The read after the forming finds the formed state: R ≤ 20 kΩ, where the virgin device read ~100 MΩ.
    const reads = doc.samples.filter((s) => s.kind === 'read');
    expect(reads[0]!.g).toBeLessThan(1e-7);
    expect(reads.at(-1)!.g).toBeGreaterThan(1 / 20e3);
    const text = runCli(['simulate', '--device', 'bipolar-oxide', '--protocol', 'forming']);
    expect(text.stdout).toContain(exit.text);
  });

  it('endurance: 100 SET/RESET cycles with a read after each; LRS well above HRS in every cycle', () => {
    const { result, doc } = simulate('endurance');
    expect(result.status, result.stderr).toBe(0);
    const cycleReads = doc.samples.filter((s) => s.kind === 'read').slice(-200);
    expect(cycleReads).toHaveLength(200);
    for (let k = 0; k < 100; k++) expect(cycleReads[2 * k]!.g / cycleReads[2 * k + 1]!.g, `cycle ${k + 1}`).toBeGreaterThan(5);
  });

  it('retention: reads at log-spaced times after the SET, up to 10⁴ s', () => {
    const { result, doc } = simulate('retention');
    expect(result.status, result.stderr).toBe(0);
    const reads = doc.samples.filter((s) => s.kind === 'read');
    const set = reads.at(-17)!; // the read after the SET, then 16 retention reads
    const after = reads.slice(-16).map((r) => r.t - set.t);
    const expected = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
    after.forEach((t, k) => expect(t / expected[k]!).toBeCloseTo(1, 1));
    expect(doc.durationS).toBeGreaterThan(1e4);
  });

  it('converge-to-state: G ends within its band, as the exit says', () => {
    const { result, doc } = simulate('converge-to-state');
    expect(result.status, result.stderr).toBe(0);
    const converge = doc.exits.find((e) => e.kind === 'converge');
    expect(converge).toMatchObject({ reached: true, block: 'blocks[2]' });
    const last = doc.samples.filter((s) => s.kind === 'read').at(-1)!;
    expect(last.g).toBeGreaterThanOrEqual(150e-6);
    expect(last.g).toBeLessThanOrEqual(250e-6);
  });
});
