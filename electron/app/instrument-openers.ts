/**
 * How the run engine of one data folder opens instruments: through that folder's own instrument
 * manager (its connection, its virtual instruments), never through another workbench open in the
 * same process. The engine only sees the openers (RunEngineOptions.instruments), one per device
 * scheme the manager's run bridge knows.
 */
import type { InstrumentManager } from '../services/instruments/manager';
import { RUN_DEVICE_SCHEMES } from '../services/instruments/manager/run-bridge';
import type { InstrumentOpeners } from '../services/runs';

/** The device schemes a workbench opens instruments on: serial, tcp, usb, gpib and virtual. */
export const INSTRUMENT_SCHEMES: readonly string[] = RUN_DEVICE_SCHEMES;

export function instrumentOpeners(manager: InstrumentManager): InstrumentOpeners {
  return Object.fromEntries(manager.runBridge.schemes.map((scheme) => [scheme, manager.runBridge.open]));
}
