import type { Timers } from './clock';
import { ConsoleLog } from './console-log';
import { DRIVERS } from './drivers/index';
import { InstrumentError, errorMessage } from './errors';
import { isDriverName, type DriverName, type Instrument } from './instrument';
import { InstrumentDevice, type InstrumentDeviceOptions } from './instrument-device';
import type { InstrumentLimits } from './limits';
import { resolveSettings, type SerialSettings } from './settings';
import { SerialTransport } from './transport';

export interface ConnectOptions {
  /** A port path (listed or typed by hand: pseudo-terminals are never listed). */
  path: string;
  driver: DriverName;
  /** Over the driver's defaults (e.g. the 2400 at 9600 baud with CR). */
  serial?: Partial<SerialSettings>;
  limits?: Partial<InstrumentLimits>;
  /** Where exchanged lines go; a new bounded log by default. */
  log?: ConsoleLog;
  /** false skips configuration (for inspecting an instrument without resetting it). Default true. */
  configure?: boolean;
  /** The timers reply timeouts are armed on (real ones by default). */
  timers?: Timers;
}

/**
 * Opens the port, identifies the instrument (refusing anything else, saying what answered) and
 * configures it with the limits mirrored to its protections. On any failure the output is switched
 * off where possible and the port released before the error is thrown.
 */
export async function connectInstrument(options: ConnectOptions): Promise<Instrument> {
  if (!isDriverName(options.driver)) {
    throw new InstrumentError('identify', `unknown driver '${String(options.driver)}' (known: ${Object.keys(DRIVERS).join(', ')})`);
  }
  const info = DRIVERS[options.driver];
  const settings = resolveSettings(info.defaultSettings, options.serial);
  const log = options.log ?? new ConsoleLog();
  const transport = await SerialTransport.open(options.path, { settings, log, ...(info.isComment ? { isComment: info.isComment } : {}), ...(options.timers ? { timers: options.timers } : {}) });
  const instrument = info.create(transport, options.limits ?? {});
  try {
    const idn = await instrument.identify();
    log.note(`identified as ${idn}`);
    if (options.configure !== false) await instrument.configure(options.limits ?? {});
    return instrument;
  } catch (e) {
    log.note(`connection refused: ${errorMessage(e)}`);
    // Identification failed before anything was configured: nothing to switch off, and a
    // non-instrument should not be sent output-off commands it does not understand.
    if (instrument.idn === null) await transport.close();
    else await instrument.close();
    throw e;
  }
}

/** connectInstrument, then the `Device` the run engine drives (closing it closes the instrument). */
export async function connectInstrumentDevice(options: ConnectOptions, deviceOptions: InstrumentDeviceOptions = {}): Promise<InstrumentDevice> {
  return new InstrumentDevice(await connectInstrument(options), deviceOptions);
}
