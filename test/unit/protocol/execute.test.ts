import { describe, expect, it } from 'vitest';
import { compileProtocol, execute, ProgramError, SafetyLimitError, type Op, type OpResult, type Program } from '../../../shared/protocol';
import { doc, dryRun, libraryDocument, mustCompile } from './helpers';

const spikes = { kind: 'train', count: 100, amplitude: '2 V', width: '10 ms', period: '1 s', read: true };

const pulses = (ops: Op[]): Extract<Op, { op: 'pulse' }>[] => ops.filter((o): o is Extract<Op, { op: 'pulse' }> => o.op === 'pulse');
const reads = (ops: Op[]): Extract<Op, { op: 'read' }>[] => ops.filter((o): o is Extract<Op, { op: 'read' }> => o.op === 'read');

describe('compileProtocol', () => {
  it('refuses a document that violates the limits, with the problems', () => {
    const result = compileProtocol(doc([{ ...spikes, amplitude: '6 V' }]));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.path).toBe('blocks[0].amplitude');
  });

  it('builds a block table with paths, kinds, ids, labels and parents', () => {
    const program = mustCompile(
      doc([
        { kind: 'read', id: 'baseline' },
        { kind: 'repeat', times: 2, label: 'twice', body: [{ kind: 'pulse', amplitude: 1, width: 1e-3 }, { kind: 'sweep', parameter: 'duration', values: [1, 2], body: [{ kind: 'wait' }] }] },
      ]),
    );
    expect(program.blocks).toEqual([
      { path: 'blocks[0]', kind: 'read', id: 'baseline', parent: -1 },
      { path: 'blocks[1]', kind: 'repeat', label: 'twice', parent: -1 },
      { path: 'blocks[1].body[0]', kind: 'pulse', parent: 1 },
      { path: 'blocks[1].body[1]', kind: 'sweep', parent: 1 },
      { path: 'blocks[1].body[1].body[0]', kind: 'wait', parent: 3 },
    ]);
    for (const ins of program.instructions) expect(program.blocks[ins.block]).toBeDefined();
  });

  it('is plain data that survives a JSON round trip', () => {
    const program = mustCompile(libraryDocument('rate-dependence.json'));
    const copy = JSON.parse(JSON.stringify(program)) as Program;
    expect(dryRun(copy).ops).toEqual(dryRun(program).ops);
  });
});

describe('execute: protocol time', () => {
  it('puts train pulse k at k·P, its read right after the pulse, and a wait for the rest of the period', () => {
    const { ops, end } = dryRun(mustCompile(doc([spikes])));
    expect(ops).toHaveLength(300);
    for (let k = 0; k < 100; k++) {
      expect(ops[3 * k]).toEqual({ op: 'pulse', t: k, amplitude: 2, width: 0.01, period: 1, block: 0 });
      expect(ops[3 * k + 1]).toMatchObject({ op: 'read', voltage: 0.1, integration: 1e-3, block: 0 });
      expect(ops[3 * k + 1]?.t).toBeCloseTo(k + 0.01, 12);
      expect(ops[3 * k + 2]).toMatchObject({ op: 'wait', block: 0 });
      const wait = ops[3 * k + 2];
      if (wait?.op === 'wait') {
        expect(wait.t).toBeCloseTo(k + 0.011, 12);
        expect(wait.duration).toBeCloseTo(1 - 0.011, 12);
      }
    }
    expect(end).toBe(100);
  });

  it('does not drift over a long train', () => {
    const { ops } = dryRun(mustCompile(doc([{ kind: 'train', count: 100_000, amplitude: 1, width: '1 ms', period: '0.1 s' }])));
    const last = pulses(ops).at(-1);
    expect(last?.t).toBe(99_999 * 0.1);
  });

  it('reads every Δt during a wait, starting at once, and ends the wait on time', () => {
    const { ops, end } = dryRun(mustCompile(doc([{ kind: 'wait', duration: '600 s', readEvery: '10 s' }])));
    const rs = reads(ops);
    expect(rs.map((r) => r.t)).toEqual(Array.from({ length: 60 }, (_, k) => k * 10));
    expect(end).toBe(600);
  });

  it('ends a wait whose duration is not a whole number of read intervals at its duration', () => {
    const { ops, end } = dryRun(mustCompile(doc([{ kind: 'wait', duration: '25 s', readEvery: '10 s' }, { kind: 'read' }])));
    expect(reads(ops).map((r) => r.t)).toEqual([0, 10, 20, 25]);
    expect(end).toBeCloseTo(25.001, 12);
  });

  it('spaces read blocks by their interval and takes the read settings given', () => {
    const { ops, end } = dryRun(mustCompile(doc([{ kind: 'read', count: 3, interval: '2 s', voltage: '-50 mV', integration: '5 ms' }])));
    expect(reads(ops)).toEqual([0, 2, 4].map((t) => ({ op: 'read', t, voltage: -0.05, integration: 0.005, block: 0 })));
    expect(end).toBe(6);
  });

  it('uses the document read settings as defaults', () => {
    const { ops } = dryRun(mustCompile(doc([{ kind: 'pulse', amplitude: 1, width: 1e-3, read: { integration: '3 ms' } }], { read: { voltage: '0.2 V' } })));
    expect(reads(ops)).toEqual([{ op: 'read', t: 1e-3, voltage: 0.2, integration: 0.003, block: 0 }]);
  });

  it('ramps the amplitude from → to in steps, never beyond to, also downwards', () => {
    const up = dryRun(mustCompile(doc([{ kind: 'ramp', from: '0.5 V', to: '3 V', step: '0.1 V', width: '10 ms', period: '200 ms' }])));
    const amplitudes = pulses(up.ops).map((p) => p.amplitude);
    expect(amplitudes).toHaveLength(26);
    expect(amplitudes[0]).toBe(0.5);
    expect(amplitudes.at(-1)).toBe(3);
    amplitudes.forEach((a, k) => expect(a).toBeCloseTo(0.5 + 0.1 * k, 12));
    expect(pulses(up.ops).map((p) => p.t)).toEqual(amplitudes.map((_, k) => k * 0.2));

    const down = dryRun(mustCompile(doc([{ kind: 'ramp', from: 1, to: -1, step: 0.75, width: 1e-3, period: 1e-2 }])));
    expect(pulses(down.ops).map((p) => p.amplitude)).toEqual([1, 0.25, -0.5]);
  });

  it('sets the swept parameter of the blocks in a sweep, value by value', () => {
    const program = mustCompile(
      doc([{ kind: 'sweep', parameter: 'period', values: ['50 ms', '2 s'], body: [{ kind: 'train', count: 2, amplitude: 2, width: '10 ms' }, { kind: 'wait', duration: 100 }] }]),
    );
    const { ops, end } = dryRun(program);
    expect(pulses(ops).map((p) => [p.t, p.period])).toEqual([
      [0, 0.05],
      [0.05, 0.05],
      [100.1, 2],
      [102.1, 2],
    ]);
    expect(end).toBeCloseTo(2 * 0.05 + 100 + 2 * 2 + 100, 9);
  });

  it('runs nested sweeps over every combination; an inner sweep over the same parameter wins', () => {
    const program = mustCompile(
      doc([
        {
          kind: 'sweep',
          parameter: 'amplitude',
          values: [1, 2],
          body: [
            { kind: 'sweep', parameter: 'width', values: ['1 ms', '2 ms'], body: [{ kind: 'pulse' }] },
            { kind: 'sweep', parameter: 'amplitude', values: [-1], body: [{ kind: 'pulse', width: 1e-3 }] },
          ],
        },
      ]),
    );
    expect(pulses(dryRun(program).ops).map((p) => [p.amplitude, p.width])).toEqual([
      [1, 0.001],
      [1, 0.002],
      [-1, 0.001],
      [2, 0.001],
      [2, 0.002],
      [-1, 0.001],
    ]);
  });

  it('repeats bodies', () => {
    const { ops } = dryRun(mustCompile(doc([{ kind: 'repeat', times: 3, body: [{ kind: 'pulse', amplitude: 1, width: 1e-3 }, { kind: 'wait', duration: 1 }] }])));
    expect(pulses(ops).map((p) => p.t)).toEqual([0, 1.001, 2.002]);
  });
});

describe('execute: until', () => {
  const ramp = { kind: 'ramp', from: 1, to: 2, step: 0.25, width: '1 ms', period: '10 ms', read: true };

  it('stops right after the read that meets an absolute threshold', () => {
    const program = mustCompile(doc([{ kind: 'until', when: 'below', threshold: '5 µS', maxIterations: 3, body: [ramp] }, { kind: 'read', voltage: 0.2 }]));
    // G falls by 1 µS per read from 10 µS: the sixth read (5 µS) meets G ≤ 5 µS.
    const { ops } = dryRun(program, (op, k) => (op.voltage === 0.2 ? 1 : (10 - k) * 1e-6));
    expect(pulses(ops)).toHaveLength(6);
    expect(ops.at(-2)).toMatchObject({ op: 'read', voltage: 0.1 });
    // The rest of the period is skipped: the next block starts right after the read.
    expect(ops.at(-1)?.t).toBeCloseTo((ops.at(-2)?.t ?? 0) + 1e-3, 12);
    expect(ops.at(-1)).toMatchObject({ op: 'read', voltage: 0.2, block: 2 });
  });

  it('compares a relative threshold with a reference read taken when the block starts', () => {
    const program = mustCompile(doc([{ kind: 'until', when: 'above', relative: 2, maxIterations: 5, body: [ramp] }]));
    const values = [3e-6, 4e-6, 5e-6, 6e-6, 7e-6];
    const { ops } = dryRun(program, (_op, k) => values[k]);
    expect(ops[0]).toMatchObject({ op: 'read', t: 0, block: 0 });
    expect(reads(ops)).toHaveLength(4); // the reference (3 µS), then 4, 5, 6 µS ≥ 2 × 3 µS
    expect(pulses(ops)).toHaveLength(3);
  });

  it('runs the body at most maxIterations times when the condition is never met', () => {
    const program = mustCompile(doc([{ kind: 'until', when: 'below', threshold: 1e-9, maxIterations: 3, body: [ramp] }]));
    expect(pulses(dryRun(program).ops)).toHaveLength(15);
  });

  it('never stops on a read that returned nothing', () => {
    const program = mustCompile(doc([{ kind: 'until', when: 'below', threshold: 1, maxIterations: 2, body: [ramp] }]));
    expect(pulses(dryRun(program, () => undefined).ops)).toHaveLength(10);
  });

  it('leaves every enclosing loop when an outer until is met inside an inner one', () => {
    const inner = { kind: 'until', when: 'below', threshold: '1 nS', maxIterations: 10, body: [{ kind: 'pulse', amplitude: 1, width: 1e-3, read: true }] };
    const program = mustCompile(doc([{ kind: 'until', when: 'below', threshold: '5 µS', maxIterations: 10, body: [{ kind: 'repeat', times: 10, body: [inner] }] }, { kind: 'wait', duration: 7 }]));
    const { ops } = dryRun(program, (_op, k) => (k < 3 ? 1e-5 : 4e-6));
    expect(pulses(ops)).toHaveLength(4);
    expect(ops.at(-1)).toMatchObject({ op: 'wait', duration: 7 });
  });
});

describe('execute: one interpreter, sync or async', () => {
  it('yields the same operations to an asynchronous driver', async () => {
    const program = mustCompile(libraryDocument('paired-pulse.json'));
    const sync = dryRun(program).ops;
    const async: Op[] = [];
    const run = execute(program);
    let result: OpResult;
    for (let step = run.next(); !step.done; step = run.next(result)) {
      const op = step.value;
      async.push(op);
      result = await new Promise<OpResult>((resolve) => setTimeout(() => resolve(op.op === 'read' ? { conductance: 1e-5 } : undefined), 0));
    }
    expect(async).toEqual(sync);
  });
});

describe('execute: safety', () => {
  function tampered(change: (p: Program) => void): Program {
    const program = structuredClone(mustCompile(doc([spikes])));
    change(program);
    return program;
  }

  it('refuses a pulse beyond the limits of a tampered program before yielding it', () => {
    const program = tampered((p) => {
      const pulse = p.instructions.find((i) => i.kind === 'pulse');
      if (pulse?.kind === 'pulse') pulse.amplitude = 12;
    });
    const run = execute(program);
    expect(() => run.next()).toThrow(SafetyLimitError);
  });

  it('refuses pulses beyond the program pulse limit', () => {
    const program = tampered((p) => {
      p.limits.maxPulses = 10;
    });
    expect(() => dryRun(program)).toThrow(/pulse 11 exceeds the limit of 10/u);
  });

  it('refuses a duty cycle beyond the limit', () => {
    const program = tampered((p) => {
      p.limits.maxDutyCycle = 0.005;
    });
    expect(() => dryRun(program)).toThrow(/duty cycle 1 % exceeds the limit of 0.5 %/u);
  });

  it('refuses a program whose limits are missing rather than checking against nothing', () => {
    const program = tampered((p) => {
      delete (p.limits as Partial<Program['limits']>).maxVoltage;
    });
    expect(() => dryRun(program)).toThrow(ProgramError);
  });

  it('refuses a read voltage beyond the limit', () => {
    const program = tampered((p) => {
      p.limits.maxVoltage = 0.05;
      const pulse = p.instructions.find((i) => i.kind === 'pulse');
      if (pulse?.kind === 'pulse') pulse.amplitude = 0.01;
    });
    expect(() => dryRun(program)).toThrow(/read voltage 100 mV exceeds/u);
  });
});
