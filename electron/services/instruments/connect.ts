import { describeResource, parseResource, type Resource } from '../../../shared/instruments/resource';
import type { Timers } from './clock';
import { ConsoleLog } from './console-log';
import { DRIVERS, driverForIdn } from './drivers/index';
import { InstrumentError, errorMessage, quoteReply } from './errors';
import { isDriverName, type DriverName, type Instrument } from './instrument';
import { InstrumentDevice, type InstrumentDeviceOptions } from './instrument-device';
import type { InstrumentLimits } from './limits';
import { DEFAULT_SERIAL_SETTINGS, resolveSettings, type SerialSettings } from './settings';
import { openTransport } from './transport/open';
import type { LineTransport } from './transport/line-transport';

export interface ConnectOptions {
  /** Where the instrument is: a resource (TCPIP::…::SOCKET, GPIB::24@…, USB::…) or a port path. */
  path: string | Resource;
  /** The driver; null or absent: chosen by the instrument's `*IDN?` reply. */
  driver?: DriverName | null;
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

/** The resource a connect option names (a path or resource string parsed; refused with the parser's reason). */
export function resourceOf(path: string | Resource): Resource {
  if (typeof path !== 'string') return path;
  const parsed = parseResource(path);
  if (!parsed.ok) throw new InstrumentError('open-failed', parsed.message);
  return parsed.resource;
}

/**
 * The settings an instrument is opened with: its driver's factory defaults (the workbench's when
 * the driver is still to be chosen), LF-terminated off RS-232 — LXI sockets, USB-TMC and GPIB
 * instruments end commands with LF — then the user's changes over them.
 */
export function settingsFor(driver: DriverName | null, resource: Resource, given: Partial<SerialSettings> = {}): SerialSettings {
  const base = driver ? DRIVERS[driver].defaultSettings : DEFAULT_SERIAL_SETTINGS;
  return resolveSettings(resource.kind === 'serial' ? base : { ...base, writeTerminator: 'LF' }, given);
}

/**
 * Opens the link, identifies the instrument (refusing anything else, saying what answered; or,
 * without a driver, choosing one by its reply) and configures it with the limits mirrored to its
 * protections. On any failure the output is switched off where possible and the link released
 * before the error is thrown.
 */
export async function connectInstrument(options: ConnectOptions): Promise<Instrument> {
  const chosen = options.driver ?? null;
  if (chosen !== null && !isDriverName(chosen)) {
    throw new InstrumentError('identify', `unknown driver '${String(chosen)}' (known: ${Object.keys(DRIVERS).join(', ')})`);
  }
  const resource = resourceOf(options.path);
  const settings = settingsFor(chosen, resource, options.serial);
  const log = options.log ?? new ConsoleLog();
  const isComment = chosen ? DRIVERS[chosen].isComment : (line: string) => line.startsWith('#');
  const transport = await openTransport(resource, { settings, log, isComment, timers: options.timers });
  let driver: DriverName;
  try {
    driver = chosen ?? (await detectDriver(transport, resource));
  } catch (e) {
    log.note(`connection refused: ${errorMessage(e)}`);
    await transport.close();
    throw e;
  }
  const instrument = DRIVERS[driver].create(transport, options.limits ?? {});
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

/** Asks `*IDN?` and picks the driver that knows the reply. */
async function detectDriver(transport: LineTransport, resource: Resource): Promise<DriverName> {
  await transport.write('');
  let reply: string;
  try {
    reply = await transport.query('*IDN?', { timeoutMs: transport.settings.identifyTimeoutMs });
  } catch (e) {
    if (e instanceof InstrumentError && e.kind === 'timeout') {
      throw new InstrumentError(
        'identify',
        `no reply to *IDN? on ${describeResource(resource)}, so no driver could be chosen` +
          (resource.kind === 'serial' ? ` (asked at ${transport.settings.baudRate} baud with ${transport.settings.writeTerminator} line endings: choose the driver, or set the instrument's baud rate)` : ''),
        '*IDN?',
      );
    }
    throw e;
  }
  const driver = driverForIdn(reply);
  if (driver === null) {
    const echo = reply.trim() === '*IDN?' ? ' — the port echoes what it is sent (a terminal, a loopback or the wrong port?)' : '';
    throw new InstrumentError('identify', `no driver knows the instrument that answered *IDN? with ${quoteReply(reply)}${echo}; choose its driver if it is one of ${Object.keys(DRIVERS).join(', ')}`, '*IDN?');
  }
  transport.log.note(`driver chosen by *IDN?: ${driver}`);
  return driver;
}

/** connectInstrument, then the `Device` the run engine drives (closing it closes the instrument). */
export async function connectInstrumentDevice(options: ConnectOptions, deviceOptions: InstrumentDeviceOptions = {}): Promise<InstrumentDevice> {
  return new InstrumentDevice(await connectInstrument(options), deviceOptions);
}
