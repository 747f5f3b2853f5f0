import { createDevice, intrinsicGradientPreset } from '../../shared/device';
import { formatTraceCsv, type PulseEvent, type ReadEvent } from '../../shared/fit';

/** The pulses and reads of a noisy measurement of a device with known k_d and τ_g: the paper's train, then 600 s of recovery. */
export function measuredTrace(kD: number, tauG: number): { pulses: PulseEvent[]; reads: ReadEvent[] } {
  const device = createDevice({ ...intrinsicGradientPreset, params: { ...intrinsicGradientPreset.params, kD, tauG }, variation: { c2c: 0, d2d: 0, read: 0.01 } }, { seed: 5 });
  const pulses: PulseEvent[] = [];
  const reads: ReadEvent[] = [];
  let t = 0;
  const wait = (dt: number) => {
    device.relax(dt);
    t += dt;
  };
  reads.push({ t, v: 0.1, i: device.read(0.1).current });
  wait(0.5);
  for (let k = 0; k < 100; k++) {
    device.pulse(2, 0.01);
    pulses.push({ t, v: 2, width: 0.01 });
    wait(0.5);
    reads.push({ t, v: 0.1, i: device.read(0.1).current });
    wait(0.5);
  }
  for (let k = 0; k < 60; k++) {
    wait(10);
    reads.push({ t, v: 0.1, i: device.read(0.1).current });
  }
  return { pulses, reads };
}

/** The same measurement as the workbench's own trace CSV. */
export function measuredCsv(kD: number, tauG: number): string {
  return formatTraceCsv(measuredTrace(kD, tauG), ['cell 5, read noise 1 %']);
}
