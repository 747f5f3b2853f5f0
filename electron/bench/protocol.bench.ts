import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDevice, intrinsicGradientPreset, type DeviceModel } from '../../shared/device';
import { compileProtocol, simulateProtocol, type Program } from '../../shared/protocol';
import { resourcesDir } from '../app-meta';
import type { BenchContext, BenchFigure, Benchmark } from './types';
import { median } from './stats';

// From resourcesDir(), not beside this file: the bench also runs from the bundle in dist/cli/.
const RELAXATION = path.join(resourcesDir(), 'protocols', 'relaxation.json');


/** Median wall time (ms) of `fn` over `runs` runs, after a warm-up. */
function timeMedian(runs: number, fn: () => void): number {
  for (let k = 0; k < Math.max(5, runs >> 2); k++) fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The real intrinsic-gradient model with its default (seeded) noise, as a run would use it. */
function freshModel(): DeviceModel {
  return createDevice(intrinsicGradientPreset, { seed: 1 });
}

function compile(text: string): Program {
  const result = compileProtocol(JSON.parse(text));
  if (!result.ok) throw new Error(`relaxation.json does not compile: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return result.program;
}

/** One model call a simulation made: 0 pulse (a, b = amplitude, width), 1 relax (a = dt), 2 read (a = voltage). */
type Call = readonly [0 | 1 | 2, number, number];

/** The model calls one simulation makes, in order, to replay them in a bare loop. */
function recordCalls(program: Program): Call[] {
  const calls: Call[] = [];
  const model = freshModel();
  const recorder: DeviceModel = {
    kind: model.kind,
    g0: model.g0,
    pulse: (amplitude, width) => {
      calls.push([0, amplitude, width]);
      model.pulse(amplitude, width);
    },
    relax: (dt) => {
      calls.push([1, dt, 0]);
      model.relax(dt);
    },
    read: (voltage) => {
      calls.push([2, voltage, 0]);
      return model.read(voltage);
    },
    conductance: () => model.conductance(),
    state: () => model.state(),
  };
  simulateProtocol(program, recorder);
  return calls;
}

function replay(calls: readonly Call[]): void {
  const model = freshModel();
  for (const [kind, a, b] of calls) {
    if (kind === 0) model.pulse(a, b);
    else if (kind === 1) model.relax(a);
    else model.read(a);
  }
}

export const protocolBenchmarks: Benchmark[] = [
  {
    id: 'protocol.simulate',
    title: 'Protocol simulation: relaxation.json (100 spikes, then 600 s of reads every 10 s) parsed, compiled and simulated',
    async run(ctx: BenchContext): Promise<BenchFigure[]> {
      const text = readFileSync(RELAXATION, 'utf8');
      const runs = Math.max(11, Math.round(201 * ctx.scale));
      const program = compile(text);
      const calls = recordCalls(program);

      const simulation = timeMedian(runs, () => {
        simulateProtocol(compile(text), freshModel());
      });
      // The same model updates with no parsing, compiling, interpreting or sample columns.
      const bare = timeMedian(runs, () => replay(calls));
      const count = (kind: Call[0]): number => calls.filter((c) => c[0] === kind).length;

      return [
        {
          id: 'protocol.simulate',
          title: 'ms per simulation of relaxation.json end to end, median (ratio = bare model loop / this: 1 means no overhead)',
          value: simulation,
          unit: 'ms',
          baseline: {
            title: `bare loop replaying the same model calls (${count(0)} pulses, ${count(1)} relaxations, ${count(2)} reads)`,
            value: bare,
            unit: 'ms',
          },
          ratio: simulation > 0 ? bare / simulation : undefined,
          target: { description: 'well under 10 ms per simulation', met: simulation < 10 },
        },
      ];
    },
  },
];
