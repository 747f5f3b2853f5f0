/**
 * Read series: on a device that offers `readSeries` (a simulated device in fast pace), the
 * interpreter hands over each paced loop of reads (a read block with an interval, a wait that reads
 * every Δt) as one operation, and the engine takes it in slices of at most `slice` reads — one
 * device call per slice, writing straight into the batch's columns — instead of an interpreter
 * step, a wait, a read and a push per sample. The device is given the very times the
 * one-at-a-time path would bring it to (stepReadRun walks them with the interpreter's arithmetic),
 * so the samples are bit for bit the same. The engine acts on requests between slices.
 */
import type { Device } from '../../../shared/device/device';
import { stepReadRun, type ReadRunOp } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import type { SampleSink } from './sample-sink';

/** Protocol-time differences below this (s) are rounding, not time to wait. */
export const EPSILON_S = 1e-9;

export type SeriesDevice = Device & Required<Pick<Device, 'readSeries'>>;

export interface SeriesTaken {
  /** Reads taken (≥ 1). */
  taken: number;
  /** The conductance of the last of them. */
  lastG: number;
  /** The protocol time reached. */
  protocolTime: number;
}

export class ReadSeries {
  /** One point per read, two more for a wait after it (where it starts and where it ends). */
  private readonly at: Float64Array;
  private readonly read: Uint8Array;

  constructor(private readonly slice: number) {
    this.at = new Float64Array(3 * slice);
    this.read = new Uint8Array(3 * slice);
  }

  /**
   * Takes the first reads of `op` (at most one slice) with one device call, into the sink's batch.
   * `t0` is the device time of the run's start, `pausedFor` the time it spent paused so far.
   */
  async take(op: ReadRunOp, device: SeriesDevice, sink: SampleSink, t0: number, pausedFor: number): Promise<SeriesTaken> {
    const { at, read } = this;
    const n = Math.min(op.count, this.slice);
    let points = 0;
    stepReadRun(op, n, (t, wait) => {
      at[points] = t;
      read[points++] = 1;
      if (wait > 0) {
        // The one-at-a-time path brings the device to the wait's start, then to its end.
        const start = t + op.integration;
        at[points] = start;
        read[points++] = 0;
        at[points] = start + wait;
        read[points++] = 0;
      }
    });
    const { builder } = sink;
    const from = builder.length;
    const columns = builder.reserve(n);
    sink.seriesInFlight = true;
    let taken: number;
    try {
      taken = await device.readSeries({ voltage: op.voltage, points, at, read, t0, pausedFor, epsilon: EPSILON_S }, { t: columns.t, i: columns.i, g: columns.g, offset: from });
    } finally {
      sink.seriesInFlight = false;
    }
    if (!Number.isInteger(taken) || taken < 1 || taken > n) throw new Error(`the device answered a series of ${n} reads with ${taken} taken`);
    columns.v.fill(op.voltage, from, from + taken);
    columns.kind.fill(SampleKind.read, from, from + taken);
    columns.block.fill(op.block, from, from + taken);
    columns.compliance.fill(0, from, from + taken);
    builder.added(taken);
    return { taken, lastG: columns.g[from + taken - 1] as number, protocolTime: at[points - 1] as number };
  }
}
