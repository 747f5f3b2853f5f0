import type { DeviceModel } from '../device/model';
import { measureStep } from '../device/source-measure';
import { SampleBuilder, SampleKind, type Sample, type SampleColumns } from '../samples/columns';
import { estimateProgram } from './estimate';
import { execute } from './execute';
import type { OpResult, Program } from './program';

export interface SimulateOptions {
  /** Called with each sample as it is produced (for live previews). */
  onSample?: (sample: Sample) => void;
}

/** Largest column capacity reserved up front; bigger runs grow as they go. */
const MAX_PRESIZE = 1 << 20;

/**
 * Runs a program on a device model synchronously. Device time follows protocol time exactly: a
 * pulse applies model.pulse and then relaxes for its width, a read calls model.read and relaxes
 * for its integration time, a wait relaxes for its duration.
 *
 * Samples: a pulse gives kind pulse, v = amplitude, g = the noiseless G when the pulse starts,
 * i = g·v; a read gives kind read, v = read voltage, and the model's measured i and g (its noise
 * included); an I–V sweep step gives kind pulse, v = its voltage, i = the current measured at its
 * end within ±compliance (measureStep) and g = i/v (at 0 V the model's G). t is when the
 * operation starts.
 */
export function simulateProtocol(program: Program, model: DeviceModel, options: SimulateOptions = {}): SampleColumns {
  const estimate = estimateProgram(program);
  const expected = estimate.pulses.value + estimate.reads.value;
  const out = new SampleBuilder(Number.isFinite(expected) ? Math.min(MAX_PRESIZE, Math.max(1, expected)) : MAX_PRESIZE);
  const { onSample } = options;
  drive(program, model, {
    sample: (t, v, i, g, kind, block, compliance) => {
      out.push(t, v, i, g, kind, block, compliance);
      onSample?.({ t, v, i, g, kind, block, compliance });
    },
  });
  return out.take();
}

export interface EnergyEstimate {
  /** Σ V²·G·w over the pulses (J), G the noiseless conductance when each pulse starts. */
  energy: number;
  /** Largest G·|V| of any pulse (A), to compare with the compliance current. */
  maxPulseCurrent: number;
  exceedsCompliance: boolean;
  /** True when an until made the run (and so the energy) depend on the reads. */
  dataDependent: boolean;
}

/**
 * The energy a program puts into a device, from a simulation on the given model. Pass a model
 * without noise: its reads decide when an `until` stops.
 */
export function estimateEnergy(program: Program, model: DeviceModel): EnergyEstimate {
  let energy = 0;
  let maxPulseCurrent = 0;
  let dataDependent = false;
  for (const ins of program.instructions) if (ins.kind === 'until') dataDependent = true;
  drive(program, model, {
    pulse: (_t, amplitude, width, g) => {
      energy += amplitude * amplitude * g * width;
      maxPulseCurrent = Math.max(maxPulseCurrent, Math.abs(g * amplitude));
    },
  });
  return { energy, maxPulseCurrent, exceedsCompliance: maxPulseCurrent > program.limits.compliance, dataDependent };
}

/** `compliance`: the source limited the current (a sweep step measured in compliance). */
type Sink = (t: number, v: number, i: number, g: number, kind: SampleKind, block: number, compliance: boolean) => void;

/** What a caller of `drive` hears of the run, and how far it may go. */
export interface DriveHooks {
  /** Each sample, as simulateProtocol stores it. */
  sample?: Sink;
  /** Each pulse when it starts, with the noiseless G it meets (a sweep step: with its measured |I/V|). */
  pulse?: (t: number, amplitude: number, width: number, g: number) => void;
  /** Stop after this many operations (pulses, reads, waits); the rest is not run. */
  maxOps?: number;
}

/**
 * Runs a program on a model synchronously (device time follows protocol time, see
 * simulateProtocol). Returns how many operations ran, and whether `maxOps` cut the run short.
 */
export function drive(program: Program, model: DeviceModel, hooks: DriveHooks): { operations: number; truncated: boolean } {
  const slices = driveInSlices(program, model, hooks, Number.POSITIVE_INFINITY);
  for (;;) {
    const step = slices.next();
    if (step.done) return step.value;
  }
}

/**
 * `drive` in slices of at most `slice` operations: each `next()` runs one slice, so a caller that
 * streams what it hears (`simulate --json`) can let its output drain between slices.
 */
export function* driveInSlices(program: Program, model: DeviceModel, hooks: DriveHooks, slice: number): Generator<number, { operations: number; truncated: boolean }, void> {
  const { sample, pulse, maxOps = Infinity } = hooks;
  const run = execute(program);
  let result: OpResult;
  let operations = 0;
  let sliceEnd = slice;
  for (let step = run.next(); !step.done; step = run.next(result)) {
    if (operations >= maxOps) return { operations, truncated: true };
    if (operations >= sliceEnd) {
      yield operations;
      sliceEnd = operations + slice;
    }
    operations++;
    const op = step.value;
    result = undefined;
    switch (op.op) {
      case 'pulse': {
        const g = model.conductance();
        sample?.(op.t, op.amplitude, g * op.amplitude, g, SampleKind.pulse, op.block, false);
        pulse?.(op.t, op.amplitude, op.width, g);
        model.pulse(op.amplitude, op.width);
        model.relax(op.width);
        break;
      }
      case 'read': {
        const r = model.read(op.voltage);
        sample?.(op.t, op.voltage, r.current, r.conductance, SampleKind.read, op.block, false);
        result = { conductance: r.conductance };
        model.relax(op.integration);
        break;
      }
      case 'step': {
        // The step switches the model under its compliance, lasts its dwell, and is measured at its end.
        model.pulse(op.voltage, op.dwell, op.compliance);
        model.relax(op.dwell);
        const { current, inCompliance } = measureStep(model, op.voltage, op.compliance);
        const g = op.voltage !== 0 ? current / op.voltage : model.conductance();
        sample?.(op.t, op.voltage, current, g, SampleKind.pulse, op.block, inCompliance);
        pulse?.(op.t, op.voltage, op.dwell, Math.abs(g));
        break;
      }
      case 'wait':
        model.relax(op.duration);
        break;
    }
  }
  return { operations, truncated: false };
}
