/**
 * What a RunEngine is built with (its store, bus, clocks and the tuning of its sessions) and what
 * a run is submitted with. Apart from engine.ts so that the queue reads as the queue.
 */
import type { Pace } from '../../../shared/device';
import type { EventBus } from '../../router';
import type { Logger } from '../logs/logger';
import type { RunOwner, Store } from '../store';
import type { WriterThreads } from '../store/writer-thread';
import type { MonotonicClock, Timers } from '../clock';
import type { InstrumentOpeners, RunDeviceSpec } from './devices';
import type { PreparedProtocol } from './protocol';
import type { SessionTuning } from './session';

/**
 * Starting the writer and checkpoint threads (a worker each, loading SQLite and the store's code)
 * costs about what writing a million samples on this thread costs — some 0.1 s, several times that
 * on a busy machine — and the threads save at most the write time. A fast run estimated at fewer
 * samples writes on this thread unless the threads already run (an earlier run started them).
 */
export const THREAD_WORTH_SAMPLES = 1_000_000;


export interface RunEngineOptions {
  store: Store;
  /** Where 'run.state' and 'run.samples' go; none for a headless engine. */
  bus?: EventBus;
  /** The process driving the runs (recorded with each run); this process by default. */
  owner?: RunOwner;
  /** Interval of sample batches (to the store and the bus), ms. Default 40 (25 Hz). */
  batchIntervalMs?: number;
  /** Shortest interval between progress events, ms. Default 250. */
  progressIntervalMs?: number;
  /** How long a fast run computes before it lets the event loop run, ms. Default 8. */
  yieldEveryMs?: number;
  /** Most reads or sweep steps taken in one device.readSeries or stepSeries call (control is checked between calls). Default 4096. */
  seriesSlice?: number;
  /** false: never use device.readSeries, one read at a time throughout (tests compare the two). Default true. */
  readSeries?: boolean;
  /** false: never use device.stepSeries, one sweep step at a time throughout (tests compare the two). Default true. */
  stepSeries?: boolean;
  /** Most samples of a run with I–V sweeps kept in memory for its analysis at its end (takeSamples). Default KEEP_SAMPLES_UP_TO. */
  keepSamplesUpTo?: number;
  /** false: a fast run writes its samples on this thread too, not on the store's writer thread. Default true. */
  writerThread?: boolean;
  /** The writer and checkpoint threads of fast runs; the engine's own (stopped by shutdown) by default. */
  writerThreads?: WriterThreads;
  /** Longest single device.wait of a realtime run, s (control is checked between slices). Default 0.5. */
  waitSliceS?: number;
  /** Monotonic wall clock in seconds. Default performance.now() / 1000. */
  wallClock?: MonotonicClock;
  /** The timers of batch ticks, pacing sleeps and shutdown grace (tests pass a virtual clock's). Default real ones. */
  timers?: Timers;
  /** Where run failures, interruptions and output-off failures are logged (source 'runs'). */
  logger: Logger;
  /** How runs on instruments are opened, by scheme; none: simulated devices only. */
  instruments?: InstrumentOpeners;
}

export interface SubmitRun {
  protocol: PreparedProtocol;
  device: RunDeviceSpec;
  pace?: Pace;
  experimentId?: string;
  /** Created when missing; 'Default' when neither this nor experimentId is given. */
  experimentName?: string;
  /** Default: the protocol's name. */
  name?: string;
  notes?: string;
  tags?: string[];
  /** A run id chosen by the caller (reproducible sample data); random when absent. */
  id?: string;
  /** The device (store.lab) the run is on; its virtual device when absent. */
  deviceId?: string;
}

/** The sessions' tuning from the engine's options, with the documented defaults. */
export function sessionTuning(options: RunEngineOptions): SessionTuning {
  return {
    batchIntervalMs: options.batchIntervalMs ?? 40,
    progressIntervalMs: options.progressIntervalMs ?? 250,
    yieldEveryMs: options.yieldEveryMs ?? 8,
    seriesSlice: Math.max(1, Math.floor(options.seriesSlice ?? 4096)),
    readSeries: options.readSeries ?? true,
    stepSeries: options.stepSeries ?? true,
    waitSliceS: options.waitSliceS ?? 0.5,
  };
}
