import type { DeviceModel } from './model';

/** What createDevice returns: the DeviceModel interface plus what a simulation can also tell. */
export interface SimulatedDevice extends DeviceModel {
  /** This instance's parameters (nominal values with the device-to-device spread applied). */
  readonly params: Readonly<Record<string, number>>;
  /** The efficacy e(V, w) of a pulse on this device (1 for the 2 V, 10 ms calibration pulse). */
  efficacyOf(amplitude: number, width: number): number;
}
