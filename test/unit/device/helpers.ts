import { createDevice, type DevicePreset, type SimulatedDevice } from '../../../shared/device';

export const CAL_V = 2;
export const CAL_W = 0.01;

export function quiet(preset: DevicePreset, seed = 1): SimulatedDevice {
  return createDevice(preset, { seed, noise: false });
}

/** n calibration spikes, `period` seconds apart; returns G (S) right after each spike. */
export function spikeTrain(device: SimulatedDevice, n: number, period: number): number[] {
  const after: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k > 0) device.relax(period);
    device.pulse(CAL_V, CAL_W);
    after.push(device.conductance());
  }
  return after;
}

/** Fractional drop ΔG/G caused by one calibration spike now. */
export function spikeFraction(device: SimulatedDevice): number {
  const before = device.conductance();
  device.pulse(CAL_V, CAL_W);
  return (before - device.conductance()) / before;
}
