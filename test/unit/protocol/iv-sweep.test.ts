import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, createDevice } from '../../../shared/device';
import {
  BlockInputSchema,
  DEFAULT_LIMITS,
  estimateProgram,
  execute,
  SafetyLimitError,
  simulateProtocol,
  validateProtocol,
  type Problem,
  type Program,
  type StepOp,
} from '../../../shared/protocol';
import { ivCycleVoltages, ivStepCount, type IvPath } from '../../../shared/protocol/iv-steps';
import { IV_MAX_STEPS_PER_CYCLE } from '../../../shared/protocol/iv-sweep-block';
import { SampleKind } from '../../../shared/samples/columns';
import { doc, dryRun, mustCompile } from './helpers';

const loop = { kind: 'iv-sweep', points: ['0 V', '1 V', '0 V', '-1 V', '0 V'], step: '0.25 V', dwell: '10 ms' };

function problems(block: Record<string, unknown>, extra: Record<string, unknown> = {}): Problem[] {
  const result = validateProtocol(doc([block], extra));
  if (result.ok) throw new Error('expected problems, the document is valid');
  return result.problems;
}

function at(ps: Problem[], path: string): string[] {
  return ps.filter((p) => p.path === path).map((p) => p.message);
}

function steps(program: Program): StepOp[] {
  return dryRun(program).ops.filter((op): op is StepOp => op.op === 'step');
}

const TOL = 1e-9;

/** Random sweep paths: points on a 0.1 V grid within ±5 V, neighbours distinct; linear or log. */
const pathArb: fc.Arbitrary<IvPath> = fc
  .tuple(
    fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2, maxLength: 6 }).filter((ks) => ks.every((k, i) => i === 0 || k !== ks[i - 1])),
    fc.boolean(),
    fc.double({ min: 0.02, max: 2, noNaN: true }),
    fc.integer({ min: 1, max: 20 }),
    fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
  )
  .map(([ks, linear, step, pointsPerDecade, floor]) => {
    const points = ks.map((k) => k / 10);
    return linear ? { points, spacing: 'linear', step } : { points, spacing: 'log', pointsPerDecade, floor };
  });

describe('the voltages of one I–V sweep cycle', () => {
  it('start and end on the first and last points, pass through every point in order and never leave their range', () => {
    fc.assert(
      fc.property(pathArb, (path) => {
        const vs = ivCycleVoltages(path);
        expect(vs).toHaveLength(ivStepCount(path));
        expect(vs[0]).toBe(path.points[0]);
        expect(vs[vs.length - 1]).toBe(path.points[path.points.length - 1]);
        let from = 0;
        for (const p of path.points) {
          const k = vs.indexOf(p, from);
          expect(k, `point ${p} after index ${from}`).toBeGreaterThanOrEqual(from);
          from = k;
        }
        const lo = Math.min(...path.points);
        const hi = Math.max(...path.points);
        for (const v of vs) {
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(hi);
          expect(Object.is(v, -0)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('linear: every step is non-zero and at most `step`; log: neighbours within 1/ppd decade, none below the floor, 0 V between polarities', () => {
    fc.assert(
      fc.property(pathArb, (path) => {
        const vs = ivCycleVoltages(path);
        for (let k = 1; k < vs.length; k++) {
          const [a, b] = [vs[k - 1]!, vs[k]!];
          expect(a).not.toBe(b);
          if (path.spacing === 'linear') expect(Math.abs(b - a)).toBeLessThanOrEqual(path.step! * (1 + TOL));
          else {
            if (a !== 0 && b !== 0) {
              expect(Math.sign(a)).toBe(Math.sign(b));
              const ratio = Math.max(Math.abs(a), Math.abs(b)) / Math.min(Math.abs(a), Math.abs(b));
              expect(ratio).toBeLessThanOrEqual(Math.pow(10, 1 / path.pointsPerDecade!) * (1 + TOL));
            }
            const smallest = Math.min(path.floor!, ...path.points.filter((p) => p !== 0).map(Math.abs));
            if (b !== 0) expect(Math.abs(b)).toBeGreaterThanOrEqual(smallest * (1 - TOL));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('are what a lab expects for the usual loop', () => {
    expect(ivCycleVoltages({ points: [0, 1, 0, -1, 0], spacing: 'linear', step: 0.25 })).toEqual([0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25, 0, -0.25, -0.5, -0.75, -1, -0.75, -0.5, -0.25, 0]);
    expect(ivCycleVoltages({ points: [0, 1, 0.3], spacing: 'linear', step: 0.4 })).toEqual([0, 0.4, 0.8, 1, 0.6, 0.3]);
    const log = ivCycleVoltages({ points: [0, 1, -1], spacing: 'log', pointsPerDecade: 1, floor: 0.01 });
    expect(log).toEqual([0, 0.01, 0.1, 1, 0.1, 0.01, 0, -0.01, -0.1, -1]);
  });
});

describe('validating an iv-sweep block', () => {
  it('normalises it and keeps it as written', () => {
    const result = validateProtocol(doc([{ ...loop, cycles: 3, compliance: { positive: '500 µA', negative: '1 mA' } }, { kind: 'iv-sweep', points: [0, 1], spacing: 'log', pointsPerDecade: 5, floor: '1 mV', dwell: 1e-3, compliance: '100 µA' }]));
    expect(result.ok && result.document.blocks).toEqual([
      { kind: 'iv-sweep', points: [0, 1, 0, -1, 0], step: 0.25, dwell: 0.01, cycles: 3, compliance: { positive: 500e-6, negative: 1e-3 } },
      { kind: 'iv-sweep', points: [0, 1], spacing: 'log', pointsPerDecade: 5, floor: 0.001, dwell: 0.001, compliance: 100e-6 },
    ]);
    for (const b of result.ok ? result.document.blocks : []) expect(BlockInputSchema.safeParse(b).success).toBe(true);
  });

  it('reports a zero step, a compliance of 0 and one above the limit, each at its field', () => {
    const ps = problems({ ...loop, step: 0, compliance: { positive: 0, negative: '20 mA' } });
    expect(at(ps, 'blocks[0].step')).toEqual(['step must be positive; got 0 V']);
    expect(at(ps, 'blocks[0].compliance.positive')).toEqual(['compliance.positive must be positive; got 0 A']);
    expect(at(ps, 'blocks[0].compliance.negative')).toEqual(['compliance.negative 20 mA exceeds the limit of 1 mA (compliance current)']);
    expect(at(problems({ ...loop, compliance: '-1 mA' }), 'blocks[0].compliance')).toEqual(['compliance must be positive; got -1 mA']);
    expect(at(problems({ ...loop, compliance: '300 µA' }, { limits: { compliance: '100 µA' } }), 'blocks[0].compliance')).toEqual(['compliance 300 µA exceeds the limit of 100 µA (compliance current)']);
  });

  it('reports points that cannot be swept, each at its own index', () => {
    expect(at(problems({ ...loop, points: ['1 V'] }), 'blocks[0].points')).toEqual(['points must have at least two voltages: a sweep goes from one to the next']);
    expect(at(problems({ ...loop, points: '1 V' }), 'blocks[0].points')).toEqual(["points must be a list of voltages; got '1 V'"]);
    const ps = problems({ ...loop, points: [0, '6 V', 1, 1, 'x'] });
    expect(at(ps, 'blocks[0].points[1]')).toEqual(['point 6 V exceeds the limit of 5 V (max |V|)']);
    expect(at(ps, 'blocks[0].points[3]')).toEqual(['point 1 V is the same as the one before it: each segment must go somewhere']);
    expect(at(ps, 'blocks[0].points[4]')[0]).toMatch(/^points\[4\]: expected a voltage/);
    expect(at(problems({ kind: 'iv-sweep', step: 0.1, dwell: 0.01 }), 'blocks[0].points')[0]).toMatch(/^missing points/);
  });

  it('asks for exactly one of dwell and rate, and a rate only with equal steps', () => {
    expect(at(problems({ ...loop, dwell: undefined }), 'blocks[0].dwell')[0]).toMatch(/^missing dwell: give how long each step lasts/);
    expect(at(problems({ ...loop, rate: '1 V/s' }), 'blocks[0]')).toEqual(['give dwell or rate, not both']);
    expect(at(problems({ ...loop, dwell: '2 s' }), 'blocks[0].dwell')).toEqual(['dwell 2 s exceeds the limit of 1 s (max width)']);
    expect(at(problems({ ...loop, dwell: undefined, rate: '100 mV/s' }), 'blocks[0].rate')).toEqual(['a step of 250 mV at 100 mV/s lasts 2.5 s, which exceeds the limit of 1 s (max width)']);
    expect(at(problems({ ...loop, dwell: undefined, rate: '2 V' }), 'blocks[0].rate')[0]).toMatch(/expected a sweep rate such as '1 V\/s', got '2 V' \(that is a voltage\)/);
    const log = { kind: 'iv-sweep', points: [0, 1], spacing: 'log', pointsPerDecade: 5, floor: '1 mV' };
    expect(at(problems({ ...log, rate: '1 V/s' }), 'blocks[0].rate')).toEqual(['a sweep rate needs linear spacing (equal steps); give a log sweep a dwell']);
  });

  it('checks the spacing’s own fields', () => {
    expect(at(problems({ ...loop, step: undefined }), 'blocks[0].step')[0]).toMatch(/^missing step/);
    expect(at(problems({ ...loop, spacing: 'exp' }), 'blocks[0].spacing')).toEqual(["spacing must be 'linear' or 'log'; got 'exp'"]);
    expect(at(problems({ ...loop, floor: '1 mV' }), 'blocks[0].floor')).toEqual(["floor is for spacing 'log'; a linear sweep steps by step"]);
    const ps = problems({ ...loop, spacing: 'log', pointsPerDecade: 0, points: [0, '1 mV', 1] });
    expect(at(ps, 'blocks[0].step')).toEqual(['step is for linear spacing; a log sweep takes pointsPerDecade and floor']);
    expect(at(ps, 'blocks[0].floor')[0]).toMatch(/^missing floor/);
    expect(at(ps, 'blocks[0].pointsPerDecade')).toEqual(['pointsPerDecade must be a whole number of at least 1; got 0']);
    const below = problems({ kind: 'iv-sweep', points: [0, '1 mV', 1], spacing: 'log', pointsPerDecade: 5, floor: '10 mV', dwell: 0.01 });
    expect(at(below, 'blocks[0].points[1]')).toEqual(['point 1 mV is below the log floor 10 mV: a log sweep cannot reach it']);
  });

  it('caps the steps of one cycle, and counts every step against the pulse limit and the bounds', () => {
    expect(at(problems({ ...loop, step: '1 µV' }), 'blocks[0].step')).toEqual([`one cycle of this sweep has 4,000,001 steps, more than ${IV_MAX_STEPS_PER_CYCLE.toLocaleString('en-US')}: use a larger step`]);
    const many = problems({ ...loop, cycles: 1000 }, { limits: { maxPulses: 10_000 } });
    expect(at(many, 'blocks')).toEqual(['the protocol applies 17,000 pulses, more than the limit of 10,000 (max pulse count)']);
    const long = problems({ ...loop, cycles: 1e9 });
    expect(at(long, 'blocks[0]')[0]).toMatch(/^this iv-sweep block lasts .* more than the limit of/);
  });

  it('refuses unknown fields with a hint', () => {
    expect(at(problems({ ...loop, cycle: 2 }), 'blocks[0].cycle')).toEqual(["an iv-sweep block has no field 'cycle' (did you mean 'cycles'?)"]);
    expect(at(problems({ ...loop, compliance: { pos: '1 mA' } }), 'blocks[0].compliance.pos')[0]).toMatch(/^compliance has no field 'pos'/);
  });
});

describe('compiling and running an iv-sweep block', () => {
  it('steps through the cycle `cycles` times, back to back, with the compliance of each polarity', () => {
    const program = mustCompile(doc([{ ...loop, cycles: 2, compliance: { positive: '200 µA', negative: '1 mA' } }]));
    const ops = steps(program);
    const cycle = ivCycleVoltages({ points: [0, 1, 0, -1, 0], spacing: 'linear', step: 0.25 });
    expect(ops.map((o) => o.voltage)).toEqual([...cycle, ...cycle]);
    ops.forEach((o, k) => {
      expect(o.t).toBeCloseTo(k * 0.01, 12);
      expect(o.dwell).toBe(0.01);
      expect(o.compliance).toBe(o.voltage < 0 ? 1e-3 : 200e-6);
    });
    const e = estimateProgram(program);
    expect(e.pulses).toEqual({ value: 34, exact: true });
    expect(e.duration.value).toBeCloseTo(0.34, 12);
    expect(e.maxAbsVoltage).toBe(1);
    expect(e.maxWidth).toBe(0.01);
  });

  it('takes the dwell from the rate, and the protocol’s compliance limit when none is given', () => {
    const ops = steps(mustCompile(doc([{ ...loop, dwell: undefined, rate: '5 V/s' }], { limits: { compliance: '300 µA' } })));
    expect(ops.every((o) => Math.abs(o.dwell - 0.05) < 1e-15 && o.compliance === 300e-6)).toBe(true);
    const partial = steps(mustCompile(doc([{ ...loop, compliance: { negative: '10 µA' } }])));
    expect(new Set(partial.map((o) => `${Math.sign(o.voltage) < 0}:${o.compliance}`))).toEqual(new Set(['false:0.001', 'true:0.00001']));
  });

  it('estimates what it runs, for any valid sweep (property)', () => {
    fc.assert(
      fc.property(pathArb, fc.integer({ min: 1, max: 3 }), fc.double({ min: 1e-4, max: 0.5, noNaN: true }), (path, cycles, dwell) => {
        const block = { kind: 'iv-sweep', ...path, dwell, cycles };
        const program = mustCompile(doc([block]));
        const run = dryRun(program);
        const e = estimateProgram(program);
        expect(run.pulses).toBe(cycles * ivStepCount(path));
        expect(e.pulses.value).toBe(run.pulses);
        expect(e.duration.value).toBeCloseTo(run.end, 9);
        expect(run.ops.map((o) => (o as StepOp).voltage)).toEqual(Array.from({ length: cycles }, () => ivCycleVoltages(path)).flat());
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a hand-made step beyond the program’s limits', () => {
    const program = mustCompile(doc([loop]));
    const run = (edit: (p: Program) => void) => {
      const copy = structuredClone(program);
      edit(copy);
      return () => [...execute(copy)];
    };
    const stepOf = (p: Program) => p.instructions.find((i) => i.kind === 'step') as { compliance: { positive: number; negative: number }; dwell: number };
    expect(run((p) => (stepOf(p).compliance.positive = 2 * DEFAULT_LIMITS.compliance))).toThrow(SafetyLimitError);
    expect(run((p) => ((stepOf(p) as { compliance?: unknown }).compliance = undefined))).toThrow(/sweep compliance NaN/);
    expect(run((p) => (stepOf(p).dwell = 5))).toThrow(/sweep dwell 5 s is outside/);
    expect(run((p) => (p.limits.maxPulses = 3))).toThrow(/sweep step 4 exceeds the limit of 3 \(max pulse count\)/);
  });

  it('simulates each step as a sample of V and the current at its end, within the compliance', () => {
    const program = mustCompile(doc([{ kind: 'iv-sweep', points: [0, 3.5, 0, -1.5, 0, 1.5, 0], step: '20 mV', dwell: '10 ms', compliance: { positive: '200 µA', negative: '1 mA' } }]));
    const s = simulateProtocol(program, createDevice(bipolarOxidePreset, { seed: 4 }));
    const ops = steps(program);
    expect(s.length).toBe(ops.length);
    for (let k = 0; k < s.length; k++) {
      expect(s.kind[k]).toBe(SampleKind.pulse);
      expect(s.v[k]).toBe(ops[k]!.voltage);
      expect(Math.abs(s.i[k]!)).toBeLessThanOrEqual(ops[k]!.compliance);
      if (s.v[k] === 0) expect(s.i[k]).toBe(0);
      else expect(Math.sign(s.i[k]!)).toBe(Math.sign(s.v[k]!));
    }
    // The forming sweep reached the compliance; the second positive sweep SETs again.
    expect(Math.max(...s.i)).toBe(200e-6);
  });
});
