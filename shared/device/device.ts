/**
 * `Device` is what the run engine and the RL runner drive: one interface with two kinds behind it —
 * a simulated model (shared/device) and a physical device behind an instrument driver
 * (electron/services/instruments). Neither caller knows which kind it has.
 *
 * Every method is async because a physical device answers over a serial line. Times are seconds,
 * voltages volts, currents amperes, conductances siemens.
 */
export interface PulseResult {
  /** Current measured during the pulse (A), when the instrument measures one; else NaN. */
  current: number;
  /** True when the source was limited by the pulse's compliance when the current was measured. */
  inCompliance?: boolean;
}

/**
 * A pulse with a `compliance` (A) is a source–measure step (one step of an I–V sweep): the source
 * limits |I| to the compliance while the voltage is applied, and the current is measured at the
 * end of the step (within ±compliance). Without options a pulse is as it always was.
 */
export interface PulseOptions {
  compliance?: number;
}

export interface DeviceReading {
  current: number;
  conductance: number;
}

export interface DeviceSnapshot {
  kind: 'simulated' | 'instrument';
  /** For simulated devices: the model kind, its parameters, variation and seed. For instruments:
   *  the driver, the port, the identification reply and every connection and safety setting. */
  [key: string]: unknown;
}

/**
 * Reads at set protocol times, taken in one call (Device.readSeries): the engine's per-operation
 * steps for a run of reads, in columns. For each point k in turn the device is brought to protocol
 * time `at[k]` exactly as `wait(at[k] − elapsed)` would bring it when that difference is more than
 * `epsilon` (elapsed = (now() − t0) − pausedFor, so the arithmetic is the engine's own), and then,
 * when `read[k]` is 1, read at `voltage`.
 */
export interface ReadSeries {
  voltage: number;
  /** How many points of `at` and `read` to go through. */
  points: number;
  /** Protocol times (s), in order. */
  at: Float64Array;
  /** 1: take a read on arriving at at[k]; 0: only pass through (where a wait starts or ends). */
  read: Uint8Array;
  /** Device time of the run's start: a sample's t is now() − t0. */
  t0: number;
  /** Time (s) spent paused, left out of protocol time. */
  pausedFor: number;
  /** A difference (s) at or below this is rounding, not time to wait. */
  epsilon: number;
}

/** Where readSeries writes its readings: sample k of the series goes to index `offset + k`. */
export interface ReadSeriesOut {
  t: Float64Array;
  i: Float64Array;
  g: Float64Array;
  offset: number;
}

/**
 * The steps of an I–V sweep's staircase taken in one call (Device.stepSeries): step k (from 0)
 * holds `voltages[first + k]` for `dwell` under `compliance.negative` for a negative voltage,
 * `compliance.positive` otherwise, starting at protocol time t_k (t_0 = t, t_(k+1) = t_k + dwell).
 * Before each step the device is brought to t_k as `wait(t_k − elapsed)` would bring it when that
 * difference is more than `epsilon` (elapsed = (now() − t0) − pausedFor, the engine's arithmetic);
 * the step is then applied as `pulse(v, dwell, { compliance })` applies it, its current measured at
 * its end.
 */
export interface StepSeries {
  voltages: readonly number[];
  first: number;
  count: number;
  /** Protocol time (s) the first step starts at. */
  t: number;
  dwell: number;
  compliance: { positive: number; negative: number };
  /** Device time of the run's start: a sample's t is now() − t0. */
  t0: number;
  /** Time (s) spent paused, left out of protocol time. */
  pausedFor: number;
  /** A difference (s) at or below this is rounding, not time to wait. */
  epsilon: number;
}

/**
 * Where stepSeries writes step k: its start time (now() − t0 as the step began), its voltage, the
 * current measured at its end (within ±compliance) and whether the source was in compliance (1),
 * at index `offset + k`.
 */
export interface StepSeriesOut {
  t: Float64Array;
  v: Float64Array;
  i: Float64Array;
  compliance: Uint8Array;
  offset: number;
}

export interface Device {
  readonly kind: 'simulated' | 'instrument';
  /** Provenance: everything needed to know, a year later, what this device was. */
  snapshot(): DeviceSnapshot;
  /** Device time in seconds since the device was opened (simulated time for models, the wall
   *  clock for instruments). Sample timestamps come from here. */
  now(): number;
  pulse(amplitude: number, width: number, options?: PulseOptions): Promise<PulseResult>;
  read(voltage: number): Promise<DeviceReading>;
  /** Let `seconds` pass with the output at 0 V (the device relaxes meanwhile). */
  wait(seconds: number): Promise<void>;
  /**
   * Optional: a series of reads in one call, for devices that can take them far faster than one
   * call per read (a simulated device in fast pace). The readings must be exactly those that the
   * same waits and reads one call at a time would give. Resolves with the number of reads taken;
   * if it rejects, it took none. A device without it (an instrument) is driven one call at a time.
   */
  readSeries?(series: ReadSeries, out: ReadSeriesOut): Promise<number>;
  /**
   * Optional, like readSeries: the steps of a sweep in one call, exactly as the same waits and
   * source–measure pulses one call at a time would take them. Resolves with the number of steps
   * taken (from the first); if it rejects, it took none.
   */
  stepSeries?(series: StepSeries, out: StepSeriesOut): Promise<number>;
  /** Output off and at 0 V. Safe to call at any time, any number of times. */
  outputOff(): Promise<void>;
  close(): Promise<void>;
}
