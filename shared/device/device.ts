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

export interface Device {
  readonly kind: 'simulated' | 'instrument';
  /** Provenance: everything needed to know, a year later, what this device was. */
  snapshot(): DeviceSnapshot;
  /** Device time in seconds since the device was opened (simulated time for models, the wall
   *  clock for instruments). Sample timestamps come from here. */
  now(): number;
  pulse(amplitude: number, width: number): Promise<PulseResult>;
  read(voltage: number): Promise<DeviceReading>;
  /** Let `seconds` pass with the output at 0 V (the device relaxes meanwhile). */
  wait(seconds: number): Promise<void>;
  /** Output off and at 0 V. Safe to call at any time, any number of times. */
  outputOff(): Promise<void>;
  close(): Promise<void>;
}
