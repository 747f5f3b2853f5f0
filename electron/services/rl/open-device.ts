import { createSimulatedDevice, TraceDevice, TraceDeviceError, type DevicePreset } from '../../../shared/device';
import type { Device } from '../../../shared/device/device';
import { readConductance } from '../../../shared/fit/trace';
import { traceFromRun } from '../fit';
import { listShippedPresets, loadDevicePreset } from '../library';
import type { Store } from '../store';
import { DeviceRunError } from './device-run';

/**
 * The devices an RL run can name that are not instruments: `sim:PRESET` (a simulated device, its
 * seed recorded so a resumed run continues the same device) and `trace:RUN_ID` (measured-trace
 * mode). The CLI and the Archive's Resume open them the same way.
 */
export function openNonInstrumentDevice(store: Store, spec: string, seed: number | null, resolvePreset: (name: string) => DevicePreset = (n) => presetNamed(store, n)): { device: Device; seed: number | null } | null {
  if (spec.startsWith('trace:')) return { device: openTraceDevice(store, spec.slice(6)), seed: null };
  if (spec.startsWith('sim:')) {
    const s = seed ?? 1;
    return { device: createSimulatedDevice(resolvePreset(spec.slice(4)), { seed: s, noise: true }), seed: s };
  }
  return null;
}

/** A shipped preset, or one saved in this data folder. */
function presetNamed(store: Store, name: string): DevicePreset {
  if (listShippedPresets().includes(name)) return loadDevicePreset(name);
  if (store.devicePresets.has(name)) return store.devicePresets.get(name).preset;
  throw new DeviceRunError(`there is no device preset '${name}' (shipped: ${listShippedPresets().join(', ')})`);
}

/**
 * Measured-trace mode: a stored run's depression and relaxation replayed as the device (see
 * shared/device/trace-device.ts). The run it uses is recorded in the device's snapshot.
 */
export function openTraceDevice(store: Store, runId: string): TraceDevice {
  const trace = traceFromRun(store, runId);
  if (!trace.ok) throw new DeviceRunError(`run ${runId} cannot serve as a measured trace: ${trace.problems[0]}`);
  const reads = trace.trace.reads.map((r) => ({ t: r.t, g: readConductance(r) ?? Number.NaN }));
  try {
    return new TraceDevice({ pulses: trace.trace.pulses, reads, provenance: { source: 'measured-trace', traceRunId: runId, trace: trace.description } });
  } catch (e) {
    if (e instanceof TraceDeviceError) throw new DeviceRunError(`run ${runId} cannot serve as a measured trace: ${e.message}`);
    throw e;
  }
}
