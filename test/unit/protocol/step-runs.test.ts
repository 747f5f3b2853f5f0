/**
 * Step runs: `execute(program, { stepRuns: true })` hands over each I–V sweep's staircase as one
 * operation. Expanded step by step (t_(k+1) = t_k + dwell), a run must stand for exactly the steps
 * the interpreter yields one by one — times, voltages, compliances and blocks bit for bit, and the
 * same safety errors at the same point — however the consumer slices it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute, type Op, type Program, type StepRunOp } from '../../../shared/protocol';
import { validProtocol } from './arbitraries';
import { doc, libraryDocument, libraryFiles, mustCompile } from './helpers';

interface Trace {
  ops: Op[];
  runs: number;
  error: string | null;
}

/** Answers: reads get `g(k)` (k counts reads), steps the current `i(k)` (k counts steps). */
interface Answers {
  g: (k: number) => number;
  i: (k: number) => number;
}

function oneByOne(program: Program, a: Answers): Trace {
  const ops: Op[] = [];
  const run = execute(program);
  let reads = 0;
  let steps = 0;
  try {
    for (let step = run.next(); !step.done; ) {
      const op = step.value;
      ops.push(op);
      step = run.next(op.op === 'read' ? { conductance: a.g(reads++) } : op.op === 'step' ? { current: a.i(steps++) } : undefined);
    }
  } catch (e) {
    return { ops, runs: 0, error: errorText(e) };
  }
  return { ops, runs: 0, error: null };
}

/** The same with step runs, each expanded into its steps; `slice(op)` says how many to take. */
function withRuns(program: Program, a: Answers, slice: (op: StepRunOp) => number): Trace {
  const ops: Op[] = [];
  const run = execute(program, { stepRuns: true });
  let reads = 0;
  let steps = 0;
  let runs = 0;
  try {
    for (let step = run.next(); !step.done; ) {
      const op = step.value;
      if (op.op === 'steps') {
        runs++;
        const n = slice(op);
        let t = op.t;
        for (let k = 0; k < n; k++) {
          const voltage = op.voltages[op.first + k] as number;
          ops.push({ op: 'step', t, voltage, dwell: op.dwell, compliance: voltage < 0 ? op.compliance.negative : op.compliance.positive, block: op.block });
          steps++;
          t += op.dwell;
        }
        step = run.next({ steps: n });
        continue;
      }
      if (op.op === 'reads') throw new Error('read runs were not asked for');
      ops.push(op);
      step = run.next(op.op === 'read' ? { conductance: a.g(reads++) } : op.op === 'step' ? { current: a.i(steps++) } : undefined);
    }
  } catch (e) {
    return { ops, runs, error: errorText(e) };
  }
  return { ops, runs, error: null };
}

function errorText(e: unknown): string {
  return `${(e as Error).name}: ${(e as Error).message}`;
}

/** Times bit for bit (toEqual treats -0 and 0 alike). */
function expectSameTimes(got: Op[], want: Op[]): void {
  got.forEach((op, k) => expect(Object.is(op.t, want[k]!.t)).toBe(true));
}

const all = (op: StepRunOp) => op.count;
const constant: Answers = { g: () => 1e-5, i: () => 1e-4 };

describe('step runs', () => {
  it('stand for exactly the steps of the one-by-one interpreter, in every shape of sweep', () => {
    const shapes = [
      { kind: 'iv-sweep', points: ['0 V', '1.5 V', '0 V', '-1.5 V', '0 V'], step: '10 mV', dwell: '1 ms', cycles: 3, compliance: '1 mA' },
      { kind: 'iv-sweep', points: ['0 V', '-1 V', '0.7 V'], step: '33 mV', rate: '1 V/s', compliance: { positive: '100 µA', negative: '1 mA' } },
      { kind: 'iv-sweep', points: ['10 mV', '2 V', '10 mV'], spacing: 'log', pointsPerDecade: 17, floor: '10 mV', dwell: '0.3 ms', compliance: '500 µA' },
      { kind: 'repeat', times: 4, body: [{ kind: 'iv-sweep', points: ['0 V', '1.5 V', '0 V'], step: '50 mV', dwell: '1 ms', compliance: '500 µA' }, { kind: 'read', voltage: '100 mV' }] },
      { kind: 'sweep', parameter: 'amplitude', values: ['1 V', '2 V'], body: [{ kind: 'pulse', width: '1 ms' }, { kind: 'iv-sweep', points: ['0 V', '0.5 V'], step: '0.1 V', dwell: '2 ms' }] },
    ];
    for (const shape of shapes) {
      const program = mustCompile(doc([shape]));
      const want = oneByOne(program, constant);
      expect(want.error, JSON.stringify(shape)).toBeNull();
      for (const slice of [all, () => 1, (op: StepRunOp) => Math.min(op.count, 7), (op: StepRunOp) => Math.ceil(op.count / 2)]) {
        const got = withRuns(program, constant, slice);
        expect(got.runs, JSON.stringify(shape)).toBeGreaterThan(0);
        expect(got.error).toBeNull();
        expect(got.ops).toEqual(want.ops);
        expectSameTimes(got.ops, want.ops);
      }
    }
  });

  it('stop where the pulse limit does, with the same safety error', () => {
    const program = mustCompile(doc([{ kind: 'iv-sweep', points: ['0 V', '1 V', '0 V'], step: '10 mV', dwell: '1 ms', cycles: 2, compliance: '1 mA' }]));
    const limited: Program = { ...program, limits: { ...program.limits, maxPulses: 250 } };
    const want = oneByOne(limited, constant);
    expect(want.error).toMatch(/^SafetyLimitError/);
    const got = withRuns(limited, constant, (op) => Math.min(op.count, 60));
    expect(got.runs).toBeGreaterThan(0);
    expect(got.ops).toEqual(want.ops);
    expect(got.error).toBe(want.error);
  });

  it('stop before a step over the voltage limit, which then fails as it would alone', () => {
    const program = mustCompile(doc([{ kind: 'iv-sweep', points: ['0 V', '2 V', '0 V'], step: '100 mV', dwell: '1 ms', compliance: '1 mA' }]));
    const limited: Program = { ...program, limits: { ...program.limits, maxVoltage: 1.45 } };
    const want = oneByOne(limited, constant);
    expect(want.error).toMatch(/^SafetyLimitError: sweep step at/);
    const got = withRuns(limited, constant, all);
    expect(got.runs).toBe(1);
    expect(got.ops).toEqual(want.ops);
    expect(got.error).toBe(want.error);
  });

  it('are not used where an until watches the steps (a forming block)', () => {
    const program = mustCompile(doc([{ kind: 'forming', mode: 'staircase', from: '0 V', to: '3 V', step: '100 mV', width: '1 ms', compliance: '100 µA', targetCurrent: '50 µA' }]));
    const answers: Answers = { g: () => 1e-5, i: (k) => (k === 12 ? 6e-5 : 1e-6) };
    const want = oneByOne(program, answers);
    const got = withRuns(program, answers, all);
    expect(got.runs).toBe(0);
    expect(got.ops).toEqual(want.ops);
  });

  it('must be answered with how many steps were taken', () => {
    const program = mustCompile(doc([{ kind: 'iv-sweep', points: ['0 V', '1 V'], step: '100 mV', dwell: '1 ms' }]));
    for (const answer of [undefined, { current: 1e-5 }, { steps: 0 }, { steps: 12 }, { steps: 2.5 }]) {
      const run = execute(program, { stepRuns: true });
      expect(run.next().value).toMatchObject({ op: 'steps', count: 11 });
      expect(() => run.next(answer)).toThrow(RangeError);
    }
  });

  it('stand for the one-by-one interpreter in the shipped protocols and in random ones, however sliced', () => {
    for (const file of libraryFiles()) {
      const program = mustCompile(libraryDocument(file));
      const want = oneByOne(program, constant);
      expect(withRuns(program, constant, (op) => Math.min(op.count, 3))).toMatchObject({ ops: want.ops, error: want.error });
    }
    fc.assert(
      fc.property(validProtocol, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ document }, most, seed) => {
        const program = mustCompile(document);
        // Measurements that sometimes meet an until's condition, the same sequence on both sides.
        const answers: Answers = { g: (k) => 1e-5 * (1 + (((seed + k * 7919) % 13) - 6) / 10), i: (k) => 1e-4 * (1 + (((seed + k * 104729) % 11) - 5) / 10) };
        const want = oneByOne(program, answers);
        const got = withRuns(program, answers, (op) => Math.min(op.count, most));
        expect(got.ops).toEqual(want.ops);
        expectSameTimes(got.ops, want.ops);
        expect(got.error).toBe(want.error);
      }),
      { numRuns: 300 },
    );
  });
});
