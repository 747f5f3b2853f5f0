import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createDevice, intrinsicGradientPreset } from '../../shared/device';
import { formatTraceCsv, simulateReads, type MeasuredTrace, type PulseEvent, type ReadEvent } from '../../shared/fit';
import { compileProtocol, execute, type OpResult } from '../../shared/protocol';
import { resourcesDir } from '../app-meta';
import { fitTrace, traceFromCsv } from '../services/fit';
import type { BenchContext, BenchFigure, Benchmark } from './types';
import { median } from './stats';

/**
 * Fitting, which protocol.bench.ts (simulation) does not cover. A fit runs in the host process when
 * the Devices page asks for one ('devices.fit') and in `workbench fit`: the figure is the time of a
 * whole fit — CSV parsed, the model fitted with the default free parameters, uncertainties and
 * preset made — against one replay of the same trace on the model (what each residual evaluation
 * costs). The ratio, replay/fit, is the inverse of how many replays a fit is worth.
 */
const TRUTH = { ...intrinsicGradientPreset.params, kD: 0.045, tauG: 220 };

/** A protocol simulated on a device with known parameters and 1 % read noise, as a measured trace. */
function measured(protocolFile: string): MeasuredTrace {
  const doc = JSON.parse(readFileSync(path.join(resourcesDir(), 'protocols', protocolFile), 'utf8')) as unknown;
  const compiled = compileProtocol(doc);
  if (!compiled.ok) throw new Error(`${protocolFile} does not compile`);
  const device = createDevice({ ...intrinsicGradientPreset, params: TRUTH, variation: { c2c: 0, d2d: 0, read: 0.01 } }, { seed: 1 });
  const pulses: PulseEvent[] = [];
  const reads: ReadEvent[] = [];
  const run = execute(compiled.program);
  let result: OpResult;
  for (let step = run.next(); !step.done; step = run.next(result)) {
    const op = step.value;
    result = undefined;
    if (op.op === 'pulse') {
      device.pulse(op.amplitude, op.width);
      device.relax(op.width);
      pulses.push({ t: op.t, v: op.amplitude, width: op.width });
    } else if (op.op === 'read') {
      const r = device.read(op.voltage);
      reads.push({ t: op.t, v: op.voltage, g: r.conductance });
      result = { conductance: r.conductance };
      device.relax(op.integration);
    } else if (op.op === 'wait') device.relax(op.duration);
  }
  return { pulses, reads };
}


function timeMedian(runs: number, fn: () => void): number {
  fn();
  const times: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

function fitFigure(id: string, what: string, trace: MeasuredTrace, runs: number, targetMs: number): BenchFigure {
  const csv = formatTraceCsv(trace);
  let converged = true;
  const fit = timeMedian(runs, () => {
    const parsed = traceFromCsv(csv);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const result = fitTrace({ model: 'intrinsic-gradient', trace: parsed.trace });
    if (!result.ok || Math.abs(result.params.kD / TRUTH.kD - 1) > 0.05) throw new Error(`the ${what} fit did not recover k_d`);
    converged &&= result.converged;
  });
  const replay = timeMedian(Math.max(21, runs * 10), () => {
    simulateReads('intrinsic-gradient', TRUTH, trace.pulses, trace.reads);
  });
  return {
    id,
    title: `ms per fit of ${what} (${trace.pulses.length} pulses, ${trace.reads.length} reads; CSV parsed, 5 free parameters), median; ratio = one model replay / this`,
    value: fit,
    unit: 'ms',
    baseline: { title: 'one replay of the trace on the model (a residual evaluation)', value: replay, unit: 'ms' },
    ratio: fit > 0 ? replay / fit : undefined,
    target: { description: `a fit under ${targetMs} ms, so the host stays responsive${converged ? '' : ' (and converged: it did not)'}`, met: fit < targetMs && converged },
  };
}

export const simulateBenchmarks: Benchmark[] = [
  {
    id: 'fit.trace',
    title: 'Model fitting: relaxation.json and rate-dependence.json traces fitted end to end',
    async run(ctx: BenchContext): Promise<BenchFigure[]> {
      const runs = Math.max(3, Math.round(15 * ctx.scale));
      return [
        fitFigure('fit.relaxation', 'the relaxation.json trace', measured('relaxation.json'), runs, 100),
        fitFigure('fit.rate-dependence', 'the rate-dependence.json trace', measured('rate-dependence.json'), Math.max(3, Math.round(runs / 3)), 300),
      ];
    },
  },
];
