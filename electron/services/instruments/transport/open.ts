import { describeResource, formatResource, type GpibController, type Resource } from '../../../../shared/instruments/resource';
import type { Timers } from '../clock';
import { ConsoleLog } from '../console-log';
import { InstrumentError, errorMessage, quoteReply } from '../errors';
import { TERMINATOR_BYTES, type SerialSettings } from '../settings';
import type { Link, LinkEvents } from './link';
import { LineTransport, type Framing } from './line-transport';
import { PROLOGIX_READ, isPrologixVersion, prologixCommand, prologixSetup } from './prologix';
import { openSerialLink } from './serial-link';
import { openTcpLink } from './tcp-link';
import { openUsbtmcLink } from './usbtmc-link';

export interface TransportOptions {
  settings: SerialSettings;
  log?: ConsoleLog | undefined;
  /** Lines for which this is true are logged and otherwise ignored (e.g. a board's '#' comments). */
  isComment?: ((line: string) => boolean) | undefined;
  /** The timers reply timeouts are armed on (real ones by default). */
  timers?: Timers | undefined;
}

/**
 * Opens the link a resource names and the line transport over it: a serial port with its
 * settings, a TCP socket (LF-terminated SCPI), the usbtmc device, or a Prologix controller set up
 * for the instrument's GPIB address (checked with `++ver` before anything reaches the instrument).
 * A GPIB resource must name its controller here (the manager fills in the configured one).
 */
export async function openTransport(resource: Resource, options: TransportOptions): Promise<LineTransport> {
  const { settings } = options;
  const log = options.log ?? new ConsoleLog();
  const relay = relayEvents();
  const plain: Framing = { command: (text) => text + TERMINATOR_BYTES[settings.writeTerminator], readRequest: '' };
  let link: Link;
  let framing = plain;
  try {
    switch (resource.kind) {
      case 'serial':
        log.note(`opening ${resource.path} at ${settings.baudRate} baud, ${settings.dataBits}${settings.parity[0]!.toUpperCase()}${settings.stopBits}`);
        link = await openSerialLink(resource.path, settings, relay.events);
        break;
      case 'tcp':
        log.note(`connecting to ${describeResource(resource)}`);
        link = await openTcpLink(resource.host, resource.port, settings.identifyTimeoutMs, relay.events);
        break;
      case 'usbtmc':
        log.note(`opening ${resource.path} (usbtmc)`);
        link = await openUsbtmcLink(resource.path, relay.events);
        break;
      case 'gpib': {
        if (resource.controller === null) {
          throw new InstrumentError('open-failed', `${formatResource(resource)} needs a Prologix controller: set it on the Instruments page, or write GPIB::${resource.address}@/dev/ttyUSB0`);
        }
        log.note(`opening the Prologix controller on ${describeController(resource.controller)} for GPIB address ${resource.address}`);
        link = await openController(resource.controller, settings, relay.events);
        framing = { command: prologixCommand, readRequest: PROLOGIX_READ };
        break;
      }
    }
  } catch (e) {
    log.note(errorMessage(e));
    throw e;
  }
  const transport = new LineTransport({ link, framing, resource: formatResource(resource), settings, log, isComment: options.isComment, timers: options.timers });
  relay.attach(transport.events);
  try {
    if (settings.openDelayMs > 0) await new Promise((r) => setTimeout(r, settings.openDelayMs));
    await transport.flushInput();
    if (resource.kind === 'gpib') await setUpController(transport, resource.address, settings);
  } catch (e) {
    await transport.close();
    throw e;
  }
  return transport;
}

function openController(c: GpibController, settings: SerialSettings, events: LinkEvents): Promise<Link> {
  // A Prologix GPIB-USB is a USB serial device: its baud rate does not matter, 8N1 does.
  if (c.kind === 'serial') return openSerialLink(c.path, { ...settings, dataBits: 8, parity: 'none', stopBits: 1 }, events);
  return openTcpLink(c.host, c.port, settings.identifyTimeoutMs, events);
}

function describeController(c: GpibController): string {
  return c.kind === 'serial' ? c.path : `${c.host}:${c.port}`;
}

async function setUpController(transport: LineTransport, address: number, settings: SerialSettings): Promise<void> {
  let version: string;
  try {
    version = await transport.controlQuery('++ver', settings.identifyTimeoutMs);
  } catch (e) {
    if (e instanceof InstrumentError && e.kind === 'timeout') {
      throw new InstrumentError('identify', `no Prologix controller answered ++ver on ${transport.path} (is it a Prologix GPIB-USB or GPIB-Ethernet?)`, '++ver');
    }
    throw e;
  }
  if (!isPrologixVersion(version)) {
    throw new InstrumentError('identify', `expected a Prologix controller to answer ++ver, got ${quoteReply(version)}`, '++ver');
  }
  for (const line of prologixSetup(address, settings.writeTerminator, settings.timeoutMs)) await transport.control(line);
}

/** Link events before the transport exists go to a buffer, then to the transport. */
function relayEvents(): { events: LinkEvents; attach(target: LinkEvents): void } {
  let target: LinkEvents | null = null;
  const early: ((t: LinkEvents) => void)[] = [];
  const route = (f: (t: LinkEvents) => void) => (target ? f(target) : early.push(f));
  return {
    events: {
      data: (chunk) => route((t) => t.data(chunk)),
      closed: (reason) => route((t) => t.closed(reason)),
      note: (text) => route((t) => t.note(text)),
    },
    attach(t) {
      target = t;
      for (const f of early.splice(0)) f(t);
    },
  };
}
