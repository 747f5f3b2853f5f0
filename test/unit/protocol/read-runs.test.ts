/**
 * Read runs: `execute(program, { readRuns: true })` hands over each paced loop of reads as one
 * operation. Walked with stepReadRun, a run must stand for exactly the reads and waits the
 * interpreter yields one by one — times, durations and blocks bit for bit, and the same safety
 * errors at the same point — however the consumer slices it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execute, stepReadRun, type Op, type Program, type ReadRunOp } from '../../../shared/protocol';
import { validProtocol } from './arbitraries';
import { doc, libraryDocument, libraryFiles, mustCompile } from './helpers';

interface Trace {
  ops: Op[];
  runs: number;
  error: string | null;
}

/** The operations of a program one by one; reads answer `g(k)` (k counts reads). */
function oneByOne(program: Program, g: (k: number) => number): Trace {
  const ops: Op[] = [];
  const run = execute(program);
  let reads = 0;
  try {
    for (let step = run.next(); !step.done; ) {
      const op = step.value;
      ops.push(op);
      step = run.next(op.op === 'read' ? { conductance: g(reads++) } : undefined);
    }
  } catch (e) {
    return { ops, runs: 0, error: errorText(e) };
  }
  return { ops, runs: 0, error: null };
}

/** The same with read runs, each expanded into its reads and waits; `slice(op)` says how many to take. */
function withRuns(program: Program, g: (k: number) => number, slice: (op: ReadRunOp) => number): Trace {
  const ops: Op[] = [];
  const run = execute(program, { readRuns: true });
  let reads = 0;
  let runs = 0;
  try {
    for (let step = run.next(); !step.done; ) {
      const op = step.value;
      if (op.op === 'reads') {
        runs++;
        const n = slice(op);
        stepReadRun(op, n, (t, wait) => {
          ops.push({ op: 'read', t, voltage: op.voltage, integration: op.integration, block: op.block });
          reads++;
          if (wait > 0) ops.push({ op: 'wait', t: t + op.integration, duration: wait, block: op.block });
        });
        step = run.next({ reads: n });
        continue;
      }
      if (op.op === 'steps') throw new Error('step runs were not asked for');
      ops.push(op);
      step = run.next(op.op === 'read' ? { conductance: g(reads++) } : undefined);
    }
  } catch (e) {
    return { ops, runs, error: errorText(e) };
  }
  return { ops, runs, error: null };
}

function errorText(e: unknown): string {
  return `${(e as Error).name}: ${(e as Error).message}`;
}

const all = (op: ReadRunOp) => op.count;

describe('read runs', () => {
  it('stand for exactly the reads and waits of the one-by-one interpreter, in every shape of paced read loop', () => {
    const shapes = [
      { kind: 'read', count: 1000, interval: '1 ms', integration: '1 ms' },
      { kind: 'read', count: 777, interval: '3 ms', integration: '1 ms' },
      { kind: 'read', count: 500, interval: '0.1 s', voltage: '-50 mV', integration: '5 ms' },
      { kind: 'wait', duration: '60 s', readEvery: '0.7 s' },
      { kind: 'wait', duration: '600 s', readEvery: '10 s' },
      { kind: 'sweep', parameter: 'interval', values: ['2 ms', '5 ms'], body: [{ kind: 'read', count: 300 }] },
      { kind: 'repeat', times: 3, body: [{ kind: 'train', count: 2, amplitude: '2 V', width: '10 ms', period: '50 ms', read: true }, { kind: 'read', count: 50, interval: '2 ms' }] },
    ];
    for (const shape of shapes) {
      const program = mustCompile(doc([shape]));
      const want = oneByOne(program, () => 1e-5);
      for (const slice of [all, () => 1, (op: ReadRunOp) => Math.min(op.count, 7), (op: ReadRunOp) => Math.ceil(op.count / 2)]) {
        const got = withRuns(program, () => 1e-5, slice);
        expect(got.runs, JSON.stringify(shape)).toBeGreaterThan(0);
        expect(got.error).toBeNull();
        expect(got.ops).toEqual(want.ops);
        // toEqual treats -0 and 0 alike, and so does nothing here: compare the times bit for bit too.
        got.ops.forEach((op, k) => expect(Object.is(op.t, want.ops[k]!.t)).toBe(true));
      }
    }
  });

  it('stop where the read limit does, with the same safety error', () => {
    const program = mustCompile(doc([{ kind: 'read', count: 100, interval: '1 ms' }]));
    const limited: Program = { ...program, limits: { ...program.limits, maxReads: 42 } };
    const want = oneByOne(limited, () => 1e-5);
    expect(want.error).toMatch(/^SafetyLimitError/);
    const got = withRuns(limited, () => 1e-5, (op) => Math.min(op.count, 10));
    expect(got.ops).toEqual(want.ops);
    expect(got.error).toBe(want.error);
  });

  it('are not used where an until waits for a reading', () => {
    const program = mustCompile(doc([{ kind: 'until', when: 'below', threshold: '5 µS', maxIterations: 3, body: [{ kind: 'read', count: 20, interval: '1 ms' }] }]));
    const readings = (k: number) => (k === 25 ? 1e-6 : 1e-5);
    const got = withRuns(program, readings, all);
    expect(got.runs).toBe(0);
    expect(got.ops).toEqual(oneByOne(program, readings).ops);
  });

  it('must be answered with how many reads were taken', () => {
    const program = mustCompile(doc([{ kind: 'read', count: 10, interval: '1 ms' }]));
    for (const answer of [undefined, { conductance: 1e-5 }, { reads: 0 }, { reads: 11 }, { reads: 2.5 }]) {
      const run = execute(program, { readRuns: true });
      expect(run.next().value).toMatchObject({ op: 'reads', count: 10 });
      expect(() => run.next(answer)).toThrow(RangeError);
    }
  });

  it('stand for the one-by-one interpreter in the shipped protocols and in random ones, however sliced', () => {
    for (const file of libraryFiles()) {
      const program = mustCompile(libraryDocument(file));
      const want = oneByOne(program, () => 1e-5);
      expect(withRuns(program, () => 1e-5, (op) => Math.min(op.count, 3))).toMatchObject({ ops: want.ops, error: want.error });
    }
    fc.assert(
      fc.property(validProtocol, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ document }, most, seed) => {
        const program = mustCompile(document);
        // Readings that sometimes meet an until's condition, the same sequence on both sides.
        const g = (k: number) => 1e-5 * (1 + (((seed + k * 7919) % 13) - 6) / 10);
        const want = oneByOne(program, g);
        const got = withRuns(program, g, (op) => Math.min(op.count, most));
        expect(got.ops).toEqual(want.ops);
        expect(got.error).toBe(want.error);
      }),
      { numRuns: 300 },
    );
  });
});
