import type { Device } from '../../../shared/device/device';
import type { DevicePreset } from '../../../shared/device';
import type { DriverName } from '../../../shared/instruments/drivers';
import { parseResource } from '../../../shared/instruments/resource';
import { connectInstrumentDevice } from '../instruments';
import type { Store } from '../store';
import { DeviceRunError } from './device-run';
import { openNonInstrumentDevice } from './open-device';

export interface OpenedRlDevice {
  device: Device;
  /** The instrument's *IDN? reply (null for a simulated or trace device). */
  identity: string | null;
  /** The simulated device's seed (null for others). */
  seed: number | null;
}

/**
 * The device an RL run names — sim:PRESET, trace:RUN_ID, or an instrument (serial:PATH, tcp:HOST:PORT
 * or a resource string) opened through its driver — as `workbench rl` and a lab worker that owns an
 * instrument open it.
 */
export async function openRlDevice(store: Store, spec: string, driver: DriverName | null, seed: number | null, resolvePreset: (name: string) => DevicePreset): Promise<OpenedRlDevice> {
  const other = openNonInstrumentDevice(store, spec, seed, resolvePreset);
  if (other) return { ...other, identity: null };
  const resource = parseResource(spec);
  if (!resource.ok) throw new DeviceRunError(`${JSON.stringify(spec)}: ${resource.message} (or sim:PRESET for a simulated device)`);
  const device = await connectInstrumentDevice({ path: resource.resource, driver });
  const snapshot = device.snapshot() as { idn?: unknown };
  return { device, identity: typeof snapshot.idn === 'string' ? snapshot.idn : null, seed: null };
}
