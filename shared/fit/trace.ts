/** A measured run as a fit sees it: pulses applied and conductance reads, in device time. */
export interface PulseEvent {
  /** Time of the pulse (s). */
  t: number;
  /** Amplitude (V). */
  v: number;
  /** Width (s). */
  width: number;
}

export interface ReadEvent {
  /** Time of the read (s). */
  t: number;
  /** Read voltage (V). */
  v: number;
  /** Measured current (A), when recorded. */
  i?: number;
  /** Measured conductance (S), when recorded; otherwise i/v is used. */
  g?: number;
}

export interface MeasuredTrace {
  pulses: PulseEvent[];
  reads: ReadEvent[];
}

/** The conductance a read measured: g when present, else i/v; undefined when neither is usable. */
export function readConductance(read: ReadEvent): number | undefined {
  if (read.g !== undefined && Number.isFinite(read.g)) return read.g;
  if (read.i !== undefined && Number.isFinite(read.i) && read.v !== 0 && Number.isFinite(read.v)) return read.i / read.v;
  return undefined;
}
