/**
 * The one interface every simulated memristor model implements. The run engine, the protocol
 * interpreter, the editor preview, the RL runner and the virtual instrument all talk to this,
 * never to a concrete model.
 *
 * Units are SI throughout: volts, seconds, siemens, amperes.
 */
export interface ReadResult {
  /** Measured current (A), read noise included. */
  readonly current: number;
  /** Measured conductance current/voltage (S), read noise included. */
  readonly conductance: number;
}

/** The steps of a staircase a model takes in one call (DeviceModel.measureSteps). */
export interface StaircaseSteps {
  readonly voltages: readonly number[];
  readonly first: number;
  readonly count: number;
  readonly dwell: number;
  readonly compliance: { readonly positive: number; readonly negative: number };
}

/** Where DeviceModel.measureSteps writes step k: index offset + k of each array. */
export interface MeasuredSteps {
  readonly i: Float64Array;
  readonly compliance: Uint8Array;
  readonly offset: number;
}

export interface DeviceModel {
  /** The model kind, e.g. 'intrinsic-gradient'. */
  readonly kind: string;
  /** Pristine conductance G0 (S) of this device instance (after device-to-device spread). */
  readonly g0: number;
  /**
   * Apply one voltage pulse of the given amplitude (V) and width (s). Instantaneous in device time.
   * `compliance` (A), when given, is the current limit the source holds during the pulse (a step
   * of an I–V sweep): models whose switching the current drives (bipolar) stop switching where
   * the limit is reached; the others ignore it. Callers that pass nothing get no limit.
   */
  pulse(amplitude: number, width: number, compliance?: number): void;
  /**
   * True for models whose switching the source's current limit shapes (bipolar): every
   * source–measure cycle an instrument makes on them is a step under its compliance, measured at
   * its end (source-measure.ts), as a simulated I–V sweep measures it.
   */
  readonly currentLimited?: boolean;
  /** Let the device evolve with no stimulus for dt seconds (closed form, any dt ≥ 0). */
  relax(dt: number): void;
  /** A read at a small voltage: does not disturb the state. */
  read(voltage: number): ReadResult;
  /**
   * Optional: the current of read(voltage) alone, for callers that want nothing else (a sweep
   * step's measurement). It must draw the same noise and give the same number as read().current.
   */
  readCurrent?(voltage: number): number;
  /**
   * Optional, only for a model that does not change between operations (its relax changes
   * nothing, so a caller may leave those calls out): the source–measure steps of a staircase in
   * one call. Step k (from 0) is pulse(voltages[first + k], dwell, c) then the current measured at
   * its end (measureStep, source-measure.ts), c being compliance.negative for a negative voltage and
   * compliance.positive otherwise; its current goes to out.i[out.offset + k] and whether the source
   * was in compliance (1 or 0) to out.compliance[out.offset + k]. Bit for bit what those calls one
   * at a time give; the voltages are valid steps (finite, compliances positive and finite).
   */
  measureSteps?(steps: StaircaseSteps, out: MeasuredSteps): void;
  /** The true, noiseless conductance now (S). */
  conductance(): number;
  /** A plain-data copy of the internal state (for provenance and tests). */
  state(): Readonly<Record<string, number>>;
}
