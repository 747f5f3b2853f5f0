/**
 * Step series: on a device that offers `stepSeries` (a simulated device in fast pace), the
 * interpreter hands over each I–V sweep's staircase as one operation (a StepRunOp), and the engine
 * takes it in slices of at most `slice` steps — one device call per slice, writing straight into
 * the batch's columns — instead of an interpreter step, a wait check, a pulse and a push per
 * sample. The device brings itself to each step's protocol time as the one-at-a-time path would,
 * so the samples are bit for bit the same. The engine acts on requests between slices.
 */
import type { Device } from '../../../shared/device/device';
import type { StepRunOp } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import { EPSILON_S } from './read-series';
import type { SampleSink } from './sample-sink';

export type StepSeriesDevice = Device & Required<Pick<Device, 'stepSeries'>>;

export interface StepsTaken {
  /** Steps taken (≥ 1). */
  taken: number;
  /** The protocol time of the last step's start (what the one-at-a-time path last reported). */
  protocolTime: number;
}

/**
 * Takes the first steps of `op` (at most `slice`) with one device call, into the sink's batch.
 * `t0` is the device time of the run's start, `pausedFor` the time it spent paused so far, and
 * `lastG` the conductance of the last read, which a step at 0 V records (it measures no G).
 */
export async function takeSteps(op: StepRunOp, slice: number, device: StepSeriesDevice, sink: SampleSink, t0: number, pausedFor: number, lastG: number): Promise<StepsTaken> {
  const n = Math.min(op.count, slice);
  const { builder } = sink;
  const from = builder.length;
  const columns = builder.reserve(n);
  sink.seriesInFlight = true;
  let taken: number;
  try {
    taken = await device.stepSeries(
      { voltages: op.voltages, first: op.first, count: n, t: op.t, dwell: op.dwell, compliance: op.compliance, t0, pausedFor, epsilon: EPSILON_S },
      { t: columns.t, v: columns.v, i: columns.i, compliance: columns.compliance, offset: from },
    );
  } finally {
    sink.seriesInFlight = false;
  }
  if (!Number.isInteger(taken) || taken < 1 || taken > n) throw new Error(`the device answered a series of ${n} steps with ${taken} taken`);
  stepConductances(columns, from, from + taken, lastG);
  columns.kind.fill(SampleKind.pulse, from, from + taken);
  columns.block.fill(op.block, from, from + taken);
  builder.added(taken);
  return { taken, protocolTime: lastStart(op.t, op.dwell, taken) };
}

/**
 * G of steps [from, to) as a step taken alone records it: I/V where the current was measured, else
 * `lastG` (the last read's), and NaN for a current not measured. (A plain function, not part of the
 * async one above: its loop is compiled on its own, without boxing a number per sample.)
 */
function stepConductances(columns: { v: Float64Array; i: Float64Array; g: Float64Array }, from: number, to: number, lastG: number): void {
  const { v, i, g } = columns;
  for (let k = from; k < to; k++) {
    const current = i[k] as number;
    const voltage = v[k] as number;
    const measured = Number.isFinite(current);
    if (!measured) i[k] = Number.NaN;
    g[k] = measured && voltage !== 0 ? current / voltage : lastG;
  }
}

/** The start of the last of `taken` steps from `t`, summed step by step as the interpreter sums it. */
function lastStart(t: number, dwell: number, taken: number): number {
  let at = t;
  for (let k = 1; k < taken; k++) at += dwell;
  return at;
}
