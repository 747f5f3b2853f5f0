/**
 * How the run engine of one data folder opens instruments: through that folder's own instrument
 * manager (its connection, its virtual instruments), never through another workbench open in the
 * same process. The engine only sees the openers (RunEngineOptions.instruments).
 */
import type { InstrumentManager } from '../services/instruments/manager';
import { InstrumentError } from '../services/instruments/errors';
import type { DeviceOpenContext, InstrumentDeviceSpec, InstrumentOpeners, OpenedDevice } from '../services/runs';

/** The device schemes a workbench opens instruments on: 'serial:PATH' and 'virtual:ID'. */
export const INSTRUMENT_SCHEMES: readonly string[] = ['serial', 'virtual'];

export function instrumentOpeners(manager: InstrumentManager): InstrumentOpeners {
  return {
    serial: (spec, ctx) => openOn(manager, spec, ctx, spec.port),
    virtual: async (spec, ctx) => {
      const id = spec.port.startsWith('virtual:') ? spec.port : `virtual:${spec.port}`;
      const entry = manager.virtuals().find((v) => v.id === id);
      if (!entry) throw new InstrumentError('open-failed', `there is no virtual instrument ${id} running (start it on the Instruments page)`);
      return openOn(manager, { ...spec, driver: spec.driver ?? entry.driver }, ctx, entry.path);
    },
  };
}

async function openOn(manager: InstrumentManager, spec: InstrumentDeviceSpec, ctx: DeviceOpenContext, path: string): Promise<OpenedDevice> {
  if (ctx.signal.aborted) throw new InstrumentError('closed', 'the run was stopped before the instrument was opened');
  ctx.log(`opening the instrument on ${path}${spec.driver ? ` (driver ${spec.driver})` : ''}`);
  return manager.runDevice(path, spec.driver, spec.settings);
}
