/**
 * The preview's computation, pure and synchronous: validate and compile a document, estimate it,
 * and run it on a simulated device, producing the traces the charts draw. The preview worker runs
 * it off the page's thread; the benchmark runs the same function in Node for its baseline.
 */
import { createDevice, type DevicePreset } from '../../../shared/device';
import { SampleKind } from '../../../shared/samples/columns';
import {
  compileProtocol,
  describeExit,
  drive,
  estimateProgram,
  type Problem,
  type ProgramEstimate,
  type SafetyLimits,
} from '../../../shared/protocol';

export interface PreviewRequest {
  seq: number;
  /** The document as written (any JSON). */
  document: unknown;
  preset: DevicePreset;
  seed: number;
  noise: boolean;
  /** The workbench's limits (from Settings); DEFAULT_LIMITS when absent. */
  limits?: Partial<SafetyLimits>;
  /** Stop simulating after this many operations (pulses, reads and waits); the estimates stay exact. */
  maxOps?: number;
}

export interface PreviewTraces {
  /** Applied voltage as rectangles: (t, 0) (t, V) (t + w, V) (t + w, 0) per pulse. */
  pulseT: Float64Array;
  pulseV: Float64Array;
  /** One point per read: when it starts, at the read voltage. */
  readT: Float64Array;
  readV: Float64Array;
  /** Conductance measured by each read (S), after the device's starting G at t = 0. */
  gT: Float64Array;
  gY: Float64Array;
}

export type PreviewResult =
  | {
      seq: number;
      ok: true;
      traces: PreviewTraces;
      estimate: ProgramEstimate;
      limits: SafetyLimits;
      /** Σ V²·G·w over the simulated pulses (J), G the noiseless conductance at each pulse. */
      energy: number;
      /** Largest G·|V| of a simulated pulse (A). */
      maxPulseCurrent: number;
      /** Conductance before anything happened (S), for the chart's reference. */
      initialG: number;
      /** How each forming or converge block ended on the simulated device, in the run log's words. */
      exits: string[];
      /** True when the simulation stopped at maxOps (energy and traces cover what ran). */
      truncated: boolean;
      operations: number;
      computeMs: number;
    }
  | { seq: number; ok: false; problems: Problem[]; computeMs: number };

export const DEFAULT_MAX_OPS = 500_000;

/** A growable Float64Array. */
class Column {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  take(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

export function computePreview(req: PreviewRequest): PreviewResult {
  const started = performance.now();
  try {
    return simulate(req, started);
  } catch (e) {
    // Never expected of a program the compiler produced; said plainly rather than thrown at the page.
    const message = `the preview could not simulate this protocol: ${e instanceof Error ? e.message : String(e)}`;
    return { seq: req.seq, ok: false, problems: [{ path: '', code: 'structure', message }], computeMs: performance.now() - started };
  }
}

function simulate(req: PreviewRequest, started: number): PreviewResult {
  const compiled = compileProtocol(req.document, { limits: req.limits });
  if (!compiled.ok) return { seq: req.seq, ok: false, problems: compiled.problems, computeMs: performance.now() - started };
  const { program } = compiled;
  const estimate = estimateProgram(program);
  const maxOps = req.maxOps ?? DEFAULT_MAX_OPS;
  const pulses = Math.min(estimate.pulses.value, maxOps);
  const reads = Math.min(estimate.reads.value, maxOps);
  const pulseT = new Column(pulses * 4);
  const pulseV = new Column(pulses * 4);
  const readT = new Column(reads);
  const readV = new Column(reads);
  const gT = new Column(reads);
  const gY = new Column(reads);

  const model = createDevice(req.preset, { seed: req.seed, noise: req.noise });
  const initialG = model.conductance();
  // The trace starts where the device starts: G before anything is applied, at t = 0.
  gT.push(0);
  gY.push(initialG);
  let energy = 0;
  let maxPulseCurrent = 0;
  const exits: string[] = [];
  const { operations, truncated } = drive(program, model, {
    maxOps,
    exit: (note) => exits.push(describeExit(note, program)),
    pulse: (t, amplitude, width, g) => {
      energy += amplitude * amplitude * g * width;
      maxPulseCurrent = Math.max(maxPulseCurrent, Math.abs(g * amplitude));
      // A pulse is drawn as a rectangle: up at t, down at t + width.
      pulseT.push(t);
      pulseV.push(0);
      pulseT.push(t);
      pulseV.push(amplitude);
      pulseT.push(t + width);
      pulseV.push(amplitude);
      pulseT.push(t + width);
      pulseV.push(0);
    },
    sample: (t, v, _i, g, kind) => {
      if (kind !== SampleKind.read) return;
      readT.push(t);
      readV.push(v);
      gT.push(t);
      gY.push(g);
    },
  });
  return {
    seq: req.seq,
    ok: true,
    traces: { pulseT: pulseT.take(), pulseV: pulseV.take(), readT: readT.take(), readV: readV.take(), gT: gT.take(), gY: gY.take() },
    estimate,
    limits: program.limits,
    energy,
    maxPulseCurrent,
    initialG,
    exits,
    truncated,
    operations,
    computeMs: performance.now() - started,
  };
}

/** The buffers a result can hand over to another thread without copying. */
export function transferables(result: PreviewResult): ArrayBuffer[] {
  if (!result.ok) return [];
  const t = result.traces;
  return [t.pulseT, t.pulseV, t.readT, t.readV, t.gT, t.gY].map((a) => a.buffer as ArrayBuffer);
}
