import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, createDevice } from '../../../shared/device';
import {
  compileProtocol,
  describeExit,
  drive,
  estimateProgram,
  execute,
  validateProtocol,
  type ExitNote,
  type Problem,
  type Program,
  type StepOp,
} from '../../../shared/protocol';
import { validProtocol } from './arbitraries';
import { doc, dryRun, libraryDocument, mustCompile } from './helpers';

const staircase = { kind: 'forming', from: '0.5 V', to: '3.5 V', step: '50 mV', width: '10 ms', compliance: '100 µA', targetCurrent: '100 µA' };
const pulses = { kind: 'forming', mode: 'pulses', from: '0.5 V', to: '3.5 V', step: '50 mV', width: '1 ms', compliance: '100 µA', targetResistance: '20 kΩ' };
const band = {
  kind: 'converge',
  low: '150 µS',
  high: '250 µS',
  setAmplitude: '1.5 V',
  setWidth: '1 ms',
  resetAmplitude: '-1.2 V',
  resetWidth: '30 µs',
  maxPulses: 200,
  compliance: { positive: '180 µA' },
};

function problems(block: Record<string, unknown>, extra: Record<string, unknown> = {}): Problem[] {
  const result = validateProtocol(doc([block], extra));
  if (result.ok) throw new Error('expected problems, the document is valid');
  return result.problems;
}

function at(ps: Problem[], path: string): string[] {
  return ps.filter((p) => p.path === path).map((p) => p.message);
}

/** Simulates a program on the bipolar-oxide preset, with how each feedback block ended. */
function simulate(program: Program, seed = 1, noise = true): { exits: ExitNote[]; steps: number; maxAbsV: number } {
  const exits: ExitNote[] = [];
  let steps = 0;
  let maxAbsV = 0;
  drive(program, createDevice(bipolarOxidePreset, { seed, noise }), {
    pulse: (_t, v) => {
      steps++;
      maxAbsV = Math.max(maxAbsV, Math.abs(v));
    },
    exit: (note) => exits.push(note),
  });
  return { exits, steps, maxAbsV };
}

describe('the forming block', () => {
  it('stops at the first step whose current reaches the target, and says at which voltage', () => {
    const program = mustCompile(doc([staircase], { limits: { maxVoltage: '4 V' } }));
    const { exits, steps } = simulate(program);
    expect(exits).toHaveLength(1);
    const [note] = exits as [ExitNote];
    expect(note).toMatchObject({ kind: 'forming', reached: true, quantity: 'current', on: 'step', pulses: steps });
    // The bipolar-oxide preset forms at about 2.5 V: the staircase stops well before 3.5 V.
    expect(note.voltage).toBeGreaterThan(2.4);
    expect(note.voltage).toBeLessThan(3.5);
    expect(steps).toBeLessThan(61);
    expect(note.value).toBeGreaterThanOrEqual(100e-6);
    expect(describeExit(note, program)).toMatch(/^forming \(blocks\[0\]\): target reached at V = 2\.\d+ V \(\|I\| = 100\.0 µA, target \|I\| ≥ 100\.0 µA\) after \d+ steps$/);
  });

  it('a target that can never be reached: every step up to the maximum voltage, then "maximum voltage reached without forming"', () => {
    // The device forms at about 2.5 V; this staircase stops at 2 V.
    const program = mustCompile(doc([{ ...staircase, to: '2 V' }]));
    const { exits, steps, maxAbsV } = simulate(program);
    expect(steps).toBe(31); // 0.5 V … 2 V in 50 mV steps
    expect(maxAbsV).toBe(2);
    expect(exits).toHaveLength(1);
    const [note] = exits as [ExitNote];
    expect(note).toMatchObject({ kind: 'forming', reached: false, voltage: 2, pulses: 31 });
    expect(note.value).toBeLessThan(100e-6);
    expect(describeExit(note, program)).toMatch(/^forming \(blocks\[0\]\): maximum voltage 2\.000 V reached without forming \(last \|I\| = .+A; target \|I\| ≥ 100\.0 µA\)$/);
  });

  it('in pulse mode reads after each pulse and stops on the read resistance', () => {
    const program = mustCompile(doc([pulses], { limits: { maxVoltage: '4 V' } }));
    const run = dryRun(program, (_op, k) => (k < 9 ? 1e-8 : 1e-4)); // the 10th read finds 10 kΩ
    const kinds = run.ops.map((op) => op.op);
    expect(kinds.slice(0, 4)).toEqual(['step', 'read', 'step', 'read']);
    expect(run.pulses).toBe(10);
    expect(run.reads).toBe(10);
    const steps = run.ops.filter((op): op is StepOp => op.op === 'step');
    expect(steps.at(-1)?.voltage).toBeCloseTo(0.95, 12);
    expect(steps.every((op) => op.compliance === 100e-6)).toBe(true);
  });

  it('the same interpreter decides for any device: an asynchronous device answering with currents stops where the simulation does', async () => {
    const program = mustCompile(doc([staircase], { limits: { maxVoltage: '4 V' } }));
    const sync = simulate(program, 3, false);
    // An instrument-like loop: each step awaited and answered with the current measured at its end.
    const exits: ExitNote[] = [];
    const run = execute(program, { onExit: (n) => exits.push(n) });
    const device = createDevice(bipolarOxidePreset, { seed: 3, noise: false });
    let step = run.next();
    while (!step.done) {
      const op = step.value;
      if (op.op !== 'step') throw new Error(`unexpected ${op.op}`);
      await Promise.resolve();
      device.pulse(op.voltage, op.dwell, op.compliance);
      const i = device.read(op.voltage).current;
      step = run.next({ current: Math.sign(i) * Math.min(Math.abs(i), op.compliance) });
    }
    expect(sync.exits[0]!.reached).toBe(true);
    expect(exits).toEqual(sync.exits);
  });

  it('is estimated at its worst case: the whole staircase, flagged as a bound', () => {
    const e = estimateProgram(mustCompile(doc([staircase], { limits: { maxVoltage: '4 V' } })));
    expect(e.pulses).toEqual({ value: 61, exact: false });
    expect(e.duration.value).toBeCloseTo(0.61, 12);
    expect(e.maxAbsVoltage).toBe(3.5);
    expect(e.dataDependent).toBe(true);
    const p = estimateProgram(mustCompile(doc([{ ...pulses, period: '10 ms' }], { limits: { maxVoltage: '4 V' } })));
    expect(p.pulses.value).toBe(61);
    expect(p.reads.value).toBe(61);
    expect(p.duration.value).toBeCloseTo(0.61, 9);
  });

  it('reports bad input at its field: zero or negative step, a compliance of 0 or above the limit, non-finite values, an unreachable target', () => {
    const ps = problems({ ...staircase, step: 0, compliance: 0, width: '-1 ms' });
    expect(at(ps, 'blocks[0].step')).toEqual(['step must be positive; got 0 V']);
    expect(at(ps, 'blocks[0].compliance')).toEqual(['compliance must be positive; got 0 A']);
    expect(at(ps, 'blocks[0].width')).toEqual(['width must be positive; got -1 ms']);
    expect(at(problems({ ...staircase, compliance: '20 mA' }), 'blocks[0].compliance')[0]).toMatch(/^compliance 20 mA exceeds the limit of 1 mA/);
    expect(at(problems({ ...staircase, step: '-50 mV' }), 'blocks[0].step')[0]).toMatch(/must be positive/);
    expect(at(problems({ ...staircase, from: Number.NaN }), 'blocks[0].from')[0]).toMatch(/finite number/);
    expect(at(problems({ ...staircase, to: Number.POSITIVE_INFINITY }), 'blocks[0].to')[0]).toMatch(/finite number/);
    expect(at(problems({ ...staircase, targetCurrent: '-1 µA' }), 'blocks[0].targetCurrent')[0]).toMatch(/must be positive/);
    expect(at(problems({ ...staircase, to: '6 V' }), 'blocks[0].to')[0]).toMatch(/exceeds the limit of 5 V/);
    expect(at(problems({ ...staircase, to: '0.2 V' }), 'blocks[0].to')[0]).toMatch(/^to is the maximum voltage: it must be further from 0 V than from/);
    expect(at(problems({ ...staircase, to: '-3 V' }), 'blocks[0].to')[0]).toMatch(/on the same side/);
    // A staircase measures under its compliance: a current above it is never measured.
    expect(at(problems({ ...staircase, targetCurrent: '200 µA' }), 'blocks[0].targetCurrent')).toEqual([
      'targetCurrent 200 µA can never be reached: the compliance holds |I| at 100 µA or below',
    ]);
    expect(at(problems({ ...staircase, targetCurrent: undefined, targetResistance: '1 kΩ' }), 'blocks[0].targetResistance')[0]).toMatch(
      /^targetResistance 1 kΩ can never be reached: under a 100 µA compliance every step measures at least 5 kΩ/,
    );
    expect(at(problems({ ...staircase, targetResistance: '10 kΩ' }), 'blocks[0]')).toEqual(['give targetCurrent or targetResistance, not both']);
    expect(at(problems({ ...staircase, targetCurrent: undefined }), 'blocks[0]')[0]).toMatch(/^a forming block needs a target/);
    expect(at(problems({ ...staircase, period: '1 s', read: {} }), 'blocks[0].period')[0]).toMatch(/^period is for mode 'pulses'/);
    expect(at(problems({ ...staircase, mode: 'ramp' }), 'blocks[0].mode')[0]).toMatch(/^mode must be 'staircase' or 'pulses'/);
    expect(at(problems({ ...pulses, period: '1 ms' }), 'blocks[0].period')[0]).toMatch(/duty cycle|shorter than/);
    expect(at(problems({ ...staircase, compliance: undefined }), 'blocks[0].compliance')[0]).toMatch(/^missing compliance/);
  });
});

describe('the converge block', () => {
  it('the converge-to-state template brings G into its band on the bipolar-oxide preset, seed after seed', () => {
    const program = mustCompile(libraryDocument('converge-to-state.json'));
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { exits } = simulate(program, seed);
      const converge = exits.find((e) => e.kind === 'converge');
      expect(converge, `seed ${seed}`).toMatchObject({ reached: true, when: 'within', threshold: 150e-6, upper: 250e-6 });
      expect(converge!.value).toBeGreaterThanOrEqual(150e-6);
      expect(converge!.value).toBeLessThanOrEqual(250e-6);
      expect(describeExit(converge!, program)).toMatch(/^converge \(Converge to 150–250 µS\): G = \d+\.?\d* µS within 150\.0 µS…250\.0 µS after \d+ pulses?$/);
    }
  });

  it('picks SET below the band and RESET above it, reading after each; already in the band: no pulse at all', () => {
    const program = mustCompile(doc([band], { limits: { maxVoltage: '4 V' } }));
    const gs = [100e-6, 300e-6, 300e-6, 200e-6];
    const run = dryRun(program, (_op, k) => gs[k]);
    const steps = run.ops.filter((op): op is StepOp => op.op === 'step');
    expect(steps.map((s) => [s.voltage, s.dwell, s.compliance])).toEqual([
      [1.5, 1e-3, 180e-6],
      [-1.2, 30e-6, 1e-3],
      [-1.2, 30e-6, 1e-3],
    ]);
    expect(run.reads).toBe(4);
    const none = dryRun(program, () => 200e-6);
    expect(none.pulses).toBe(0);
    expect(none.reads).toBe(1);
  });

  it('says when it gives up after its maximum pulses', () => {
    const program = mustCompile(doc([{ ...band, maxPulses: 3 }], { limits: { maxVoltage: '4 V' } }));
    const exits: ExitNote[] = [];
    const run = execute(program, { onExit: (n) => exits.push(n) });
    for (let step = run.next(); !step.done; ) step = run.next(step.value.op === 'read' ? { conductance: 1e-3 } : undefined);
    expect(exits).toHaveLength(1);
    expect(exits[0]).toMatchObject({ reached: false, pulses: 3, voltage: -1.2, value: 1e-3 });
    expect(describeExit(exits[0]!)).toBe('converge: G = 1.000 mS still outside 150.0 µS…250.0 µS after 3 pulses (the maximum)');
  });

  it('is estimated at its worst case: every pulse the longer one, the largest |V|', () => {
    const e = estimateProgram(mustCompile(doc([band], { limits: { maxVoltage: '4 V' } })));
    expect(e.pulses).toEqual({ value: 200, exact: false });
    expect(e.reads.value).toBe(201);
    expect(e.maxAbsVoltage).toBe(1.5);
    expect(e.maxWidth).toBe(1e-3);
    expect(e.duration.value).toBeCloseTo(200 * (1e-3 + 1e-3) + 1e-3, 9);
  });

  it('reports bad input at its field', () => {
    const ps = problems({ ...band, high: '100 µS', setAmplitude: 0, resetWidth: 0, maxPulses: 0, compliance: { positive: 0 } });
    expect(at(ps, 'blocks[0].high')[0]).toMatch(/^high \(100 µS\) must be above low \(150 µS\)/);
    expect(at(ps, 'blocks[0].setAmplitude')).toEqual(['setAmplitude must not be zero']);
    expect(at(ps, 'blocks[0].resetWidth')[0]).toMatch(/must be positive/);
    expect(at(ps, 'blocks[0].maxPulses')[0]).toMatch(/whole number of at least 1/);
    expect(at(ps, 'blocks[0].compliance.positive')[0]).toMatch(/must be positive/);
    expect(at(problems({ ...band, low: Number.NaN }), 'blocks[0].low')[0]).toMatch(/finite number/);
    expect(at(problems({ ...band, maxPulses: 2_000_000 }), 'blocks[0].maxPulses')[0]).toMatch(/exceeds the limit of 1,000,000/);
    expect(at(problems({ ...band, setAmplitude: '6 V' }), 'blocks[0].setAmplitude')[0]).toMatch(/exceeds the limit of 5 V/);
  });
});

describe('a pulse with a compliance', () => {
  it('is a source–measure step under that compliance; 0 or above the limit is refused', () => {
    const program = mustCompile(doc([{ kind: 'pulse', amplitude: '1.5 V', width: '1 ms', compliance: '500 µA', read: true }]));
    expect(dryRun(program).ops.map((op) => op.op)).toEqual(['step', 'read']);
    expect((dryRun(program).ops[0] as StepOp).compliance).toBe(500e-6);
    expect(at(problems({ kind: 'pulse', amplitude: '1 V', width: '1 ms', compliance: 0 }), 'blocks[0].compliance')[0]).toMatch(/must be positive/);
    expect(at(problems({ kind: 'pulse', amplitude: '1 V', width: '1 ms', compliance: '2 mA' }), 'blocks[0].compliance')[0]).toMatch(/exceeds the limit of 1 mA/);
  });
});

describe('random protocols with feedback blocks', () => {
  it('the generator makes forming, converge and compliance pulses (the shared property tests cover them)', () => {
    const kinds = new Set<string>();
    const visit = (blocks: unknown): void => {
      for (const b of (blocks as Record<string, unknown>[]) ?? []) {
        kinds.add(b.kind === 'pulse' && b.compliance !== undefined ? 'pulse+compliance' : String(b.kind));
        visit(b.body);
      }
    };
    for (const { document } of fc.sample(validProtocol, { numRuns: 300, seed: 1 })) visit(document.blocks);
    expect([...kinds]).toEqual(expect.arrayContaining(['forming', 'converge', 'pulse+compliance']));
  });

  it('a forming block never steps beyond its maximum voltage, whatever the currents it is answered with', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.double({ min: 0, max: 2e-3, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(1, -1),
        (to, steps, currents, sign) => {
          const compiled = compileProtocol(doc([{ kind: 'forming', from: 0, to: sign * to, step: to / steps, width: '1 ms', compliance: '1 mA', targetCurrent: '500 µA' }]));
          if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('; '));
          const exits: ExitNote[] = [];
          const run = execute(compiled.program, { onExit: (n) => exits.push(n) });
          let k = 0;
          let last = Number.NaN;
          for (let step = run.next(); !step.done; ) {
            const op = step.value as StepOp;
            expect(Math.abs(op.voltage)).toBeLessThanOrEqual(to * (1 + 1e-12));
            last = Math.min(1e-3, currents[k++ % currents.length]!);
            step = run.next({ current: sign * last });
          }
          // It stops exactly at the first current that meets the target, or at the top: one exit either way.
          expect(exits).toHaveLength(1);
          expect(exits[0]!.reached).toBe(last >= 500e-6);
          if (!exits[0]!.reached) expect(k).toBe(steps + 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
