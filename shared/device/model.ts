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
  /** The true, noiseless conductance now (S). */
  conductance(): number;
  /** A plain-data copy of the internal state (for provenance and tests). */
  state(): Readonly<Record<string, number>>;
}
