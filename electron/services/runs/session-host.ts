/** What a run session needs of its engine: its settings and the services the engine lends it. */
import type { EventName, EventPayload, RunStatus } from '../../../shared/contract';
import type { SampleColumns } from '../../../shared/samples/columns';
import type { Timers } from '../clock';
import type { Logger } from '../logs/logger';
import type { RunOwner, Store } from '../store';
import type { DeviceOpener } from './devices';
import type { Job } from './job';
import type { RunWriter } from './sample-sink';

/** The engine's settings a session runs by (see RunEngineOptions). */
export interface SessionTuning {
  batchIntervalMs: number;
  progressIntervalMs: number;
  yieldEveryMs: number;
  seriesSlice: number;
  readSeries: boolean;
  stepSeries: boolean;
  waitSliceS: number;
}

/** What a session uses of its engine. */
export interface SessionHost {
  readonly store: Store;
  readonly owner: RunOwner;
  readonly logger: Logger;
  readonly devices: DeviceOpener;
  readonly tuning: SessionTuning;
  /** Monotonic wall clock (s). */
  readonly wallClock: () => number;
  /** The batch tick's and the pacing sleeps' timers. */
  readonly timers: Timers;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Announces the job's state ('run.state'). */
  emitState(job: Job): void;
  /** Sets the job's status, announces it and wakes whoever waits for it. */
  setStatus(job: Job, status: RunStatus): void;
  openWriter(job: Job): Promise<RunWriter>;
  /** How many samples of the job to keep in memory for whoever asks once it ended (engine.takeSamples); 0: none. */
  keepUpTo(job: Job): number;
  /** The samples of the job that just ended, all of them, kept for engine.takeSamples. */
  keep(job: Job, samples: SampleColumns): void;
  /** The job's end is recorded: it is no longer the engine's running run (called just before it settles). */
  ended(job: Job): void;
}
