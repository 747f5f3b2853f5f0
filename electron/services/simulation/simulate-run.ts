/**
 * One simulated run of a compiled protocol on a preset's device: what `workbench simulate` prints
 * and what a lab simulation sweep's job stores (#16) — one function, so the two are the same run,
 * sample for sample, for the same preset, seed and noise.
 *
 * It is a generator that yields between slices of operations: the CLI waits for stdout to drain
 * there; a sweep job simply runs it to the end.
 */
import { createDevice, type DeviceModel, type DevicePreset } from '../../../shared/device';
import { describeExit, driveInSlices, type ExitNote, type Program } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';

export interface SimulationInput {
  preset: DevicePreset;
  program: Program;
  seed: number;
  noise: boolean;
}

export type SampleSink = (t: number, v: number, i: number, g: number, kind: SampleKind, block: number, compliance: boolean) => void;

/** How a forming or converge block ended, in the words a run's log uses. */
export interface SimulationExit {
  block: string;
  kind: ExitNote['kind'];
  t: number;
  reached: boolean;
  voltage: number | null;
  pulses: number;
  text: string;
}

export interface SimulationSummary {
  /** 'reads': initial/final/minimum G are measured reads; 'model': the protocol takes no reads. */
  basis: 'reads' | 'model';
  /** The model's true conductance before the first operation (G₀ of this device instance, unless the protocol is run on a used device). */
  pristineG: number;
  initialG: number;
  finalG: number;
  deltaGPercent: number;
  minG: number;
  durationS: number;
  sampleCount: number;
  pulses: number;
  reads: number;
}

export interface SimulationOutcome {
  summary: SimulationSummary;
  exits: SimulationExit[];
}

/** Operations simulated between two yields. */
export const SIMULATION_SLICE = 65_536;

export function* simulateRun(input: SimulationInput, sample: SampleSink, slice = SIMULATION_SLICE): Generator<void, SimulationOutcome, void> {
  const device = createDevice(input.preset, { seed: input.seed, noise: input.noise });
  const clock = timedModel(device);
  const before = device.conductance();
  const tally = new SummaryTally();
  const exits: SimulationExit[] = [];
  const steps = driveInSlices(
    input.program,
    clock.model,
    {
      sample: (t, v, i, g, kind, block, compliance) => {
        tally.add(kind, g);
        sample(t, v, i, g, kind, block, compliance);
      },
      exit: (note) => {
        const block = input.program.blocks[note.block]?.path ?? '';
        exits.push({ block, kind: note.kind, t: note.t, reached: note.reached, voltage: Number.isFinite(note.voltage) ? note.voltage : null, pulses: note.pulses, text: describeExit(note, input.program) });
      },
    },
    slice,
  );
  for (let step = steps.next(); !step.done; step = steps.next()) yield;
  return { summary: tally.summary(before, device.conductance(), clock.elapsed()), exits };
}

/** Runs a simulation to its end without pausing. */
export function simulateToEnd(input: SimulationInput, sample: SampleSink): SimulationOutcome {
  const steps = simulateRun(input, sample, Number.MAX_SAFE_INTEGER);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The model, with the device time it has been advanced by (protocol time, exactly: see simulateProtocol). */
function timedModel(model: DeviceModel): { model: DeviceModel; elapsed: () => number } {
  let elapsed = 0;
  const wrapped: DeviceModel = {
    kind: model.kind,
    g0: model.g0,
    // A sweep step's compliance goes through: it is what limits a bipolar device's SET.
    pulse: (amplitude, width, compliance) => (compliance === undefined ? model.pulse(amplitude, width) : model.pulse(amplitude, width, compliance)),
    relax: (dt) => {
      elapsed += dt;
      model.relax(dt);
    },
    read: (voltage) => model.read(voltage),
    conductance: () => model.conductance(),
    state: () => model.state(),
  };
  return { model: wrapped, elapsed: () => elapsed };
}

/**
 * The summary, taken sample by sample as the simulation goes (nothing is kept): initial and final G
 * are the first and last reads, minimum G the smallest read; with no reads, the model's own G.
 */
export class SummaryTally {
  private count = 0;
  private reads = 0;
  private firstG = Number.NaN;
  private lastG = Number.NaN;
  private minG = Infinity;

  add(kind: SampleKind, g: number): void {
    this.count++;
    if (kind !== SampleKind.read) return;
    if (this.reads === 0) this.firstG = g;
    this.reads++;
    this.lastG = g;
    this.minG = Math.min(this.minG, g);
  }

  summary(trueBefore: number, trueAfter: number, durationS: number): SimulationSummary {
    const basis = this.reads > 0 ? 'reads' : 'model';
    const initialG = this.reads > 0 ? this.firstG : trueBefore;
    const finalG = this.reads > 0 ? this.lastG : trueAfter;
    return {
      basis,
      pristineG: trueBefore,
      initialG,
      finalG,
      deltaGPercent: ((finalG - initialG) / initialG) * 100,
      minG: this.reads > 0 ? this.minG : Math.min(trueBefore, trueAfter),
      durationS,
      sampleCount: this.count,
      pulses: this.count - this.reads,
      reads: this.reads,
    };
  }
}
