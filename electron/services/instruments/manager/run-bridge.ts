import type { InstrumentState } from '../../../../shared/contract';
import type { Device, DeviceReading, DeviceSnapshot, PulseOptions, PulseResult } from '../../../../shared/device/device';
import { deviceResource, formatResource, withController, type GpibController, type Resource } from '../../../../shared/instruments/resource';
import type { DeviceOpenContext, InstrumentDeviceSpec, OpenedDevice } from '../../runs/devices';
import { summarizeProblems } from '../../../../shared/contract/issues';
import type { Program } from '../../../../shared/protocol';
import { DRIVERS } from '../drivers/index';
import { instrumentProblems } from '../program-check';
import { InstrumentError, isInstrumentError } from '../errors';
import { isDriverName, type DriverName, type Instrument } from '../instrument';
import { InstrumentDevice } from '../instrument-device';
import type { SerialSettings } from '../settings';
import type { Connection } from './connection';
import type { LimitsMirror } from './limits-mirror';
import type { PortIdentity } from './port-list';
import type { VirtualInstruments } from './virtuals';

/**
 * The device schemes a run may name: 'serial' (a port path, or any resource string), 'tcp'
 * (HOST:PORT), 'usb' (a usbtmc path), 'gpib' (CONTROLLER:ADDR, or ADDR through the configured
 * controller), and 'virtual' (a virtual instrument's id).
 */
export const RUN_DEVICE_SCHEMES = ['serial', 'tcp', 'usb', 'gpib', 'virtual'] as const;

export interface RunBridgeHost {
  connection: Connection;
  virtuals: VirtualInstruments;
  limits: LimitsMirror;
  /** The controller GPIB resources without their own go through (the Instruments page's). */
  gpibController(): GpibController | null;
  /** The identity the connected device is remembered by (recorded with the run). */
  identity(): PortIdentity | null;
  /** Connects as Connect does, with the run's resource, driver (null: by *IDN?) and serial settings. */
  connect(resource: Resource, driver: DriverName | null, serial: Partial<SerialSettings>): Promise<InstrumentState>;
}

/**
 * How the run engine opens the connected instrument as a `Device`: `open(spec, ctx)` is the
 * function the composition root hands to the engine for instrument devices. A run uses the
 * manager's connection (connecting first when nothing is connected); closing the run's device
 * leaves the connection open with the output off.
 */
export class RunBridge {
  readonly schemes: readonly string[] = RUN_DEVICE_SCHEMES;

  constructor(private readonly host: RunBridgeHost) {}

  /** Opens the instrument a run names as the run's Device. */
  readonly open = async (spec: InstrumentDeviceSpec, ctx: DeviceOpenContext): Promise<OpenedDevice> => {
    if (ctx.signal.aborted) throw new InstrumentError('closed', 'the run was stopped before the instrument was opened');
    const { resource, driver } = this.resolve(spec.scheme, spec.port, spec.driver);
    const path = formatResource(resource);
    ctx.log(`opening the instrument on ${path}${driver ? ` (driver ${driver})` : ''}`);
    return this.runDevice(resource, driver, spec.settings, ctx.program);
  };

  /**
   * The connected instrument as a Device for a run that names no resource (an RL run on "the
   * connected instrument"), with its *IDN? and how to find it again. Null when none is connected.
   */
  openConnected(): { device: Device; identity: string | null; reopen: Record<string, unknown> } | null {
    const instrument = this.host.connection.connected;
    if (!instrument) return null;
    const device = new SharedInstrumentDevice(instrument, this.host.identity(), this.host.limits.acquire());
    // The resource is recorded as the device, so `workbench rl --resume` finds the same instrument too.
    return { device, identity: instrument.idn, reopen: { device: instrument.port, port: instrument.port, driver: instrument.driver, via: 'the connected instrument' } };
  }

  /** The connected instrument's port, driver and *IDN?, or null. */
  connectedInstrument(): { port: string; driver: string; idn: string | null } | null {
    const i = this.host.connection.connected;
    return i ? { port: i.port, driver: i.driver, idn: i.idn } : null;
  }

  /** Whether a run (a protocol or an RL run) is using the instrument now. */
  get inUse(): boolean {
    return this.host.limits.inUse;
  }

  /** The connected instrument a run on this device would use, or null. */
  instrumentFor(scheme: string, port: string): Instrument | null {
    const instrument = this.host.connection.connected;
    if (!instrument) return null;
    try {
      return formatResource(this.resolve(scheme, port, null).resource) === instrument.port ? instrument : null;
    } catch {
      return null;
    }
  }

  /** The resource and driver a run's device names (a virtual instrument's are its emulator's). */
  private resolve(scheme: string, port: string, driver: string | null): { resource: Resource; driver: string | null } {
    if (scheme === 'virtual') {
      const entry = this.host.virtuals.find(port);
      if (!entry) throw new InstrumentError('open-failed', `there is no virtual instrument ${virtualId(port)} running (start it on the Instruments page)`);
      return { resource: this.parse('serial', entry.path), driver: driver ?? entry.driver };
    }
    if (!(RUN_DEVICE_SCHEMES as readonly string[]).includes(scheme)) {
      throw new InstrumentError('open-failed', `'${scheme}:' devices are not instruments this workbench can open (known: ${this.schemes.join(', ')})`);
    }
    return { resource: this.parse(scheme, port), driver };
  }

  private parse(scheme: string, port: string): Resource {
    const parsed = deviceResource(scheme, port);
    if (!parsed.ok) throw new InstrumentError('open-failed', parsed.message);
    return withController(parsed.resource, this.host.gpibController());
  }

  private async runDevice(resource: Resource, driver: string | null, settings: Record<string, unknown>, program: Program | undefined): Promise<OpenedDevice> {
    if (driver !== null && !isDriverName(driver)) {
      throw new InstrumentError('identify', `unknown driver '${driver}' (known: ${Object.keys(DRIVERS).join(', ')})`);
    }
    const path = formatResource(resource);
    const { connection } = this.host;
    let instrument = connection.connected;
    if (instrument && instrument.port !== path) {
      throw new InstrumentError('open-failed', `another instrument is connected (${instrument.port}); disconnect it before running on ${path}`);
    }
    if (instrument && driver !== null && instrument.driver !== driver) {
      throw new InstrumentError('open-failed', `the instrument on ${path} is connected with the ${instrument.driver} driver, not ${driver}`);
    }
    if (!instrument) {
      if (connection.connecting) await connection.connecting.catch(() => undefined);
      instrument = connection.connected;
      if (!instrument) {
        const state = await this.host.connect(resource, driver, pickSerialSettings(settings));
        instrument = connection.connected;
        if (!instrument) throw new InstrumentError('open-failed', state.message ?? `could not connect to ${path}`);
      }
    }
    // What this instrument cannot make (a compliance beyond its range, a pulse shorter than it can
    // source) is refused here, every problem with its block's path, before anything is sent.
    const problems = program ? instrumentProblems(program, instrument) : [];
    if (problems.length > 0) {
      throw new InstrumentError('unsafe', `the protocol cannot run on the ${instrument.title} (${instrument.port}): ${summarizeProblems(problems, '(document)')}`);
    }
    const release = this.host.limits.acquire();
    const device = new SharedInstrumentDevice(instrument, this.host.identity(), release);
    return { device, instrumentIdn: instrument.idn };
  }
}

function virtualId(port: string): string {
  return port.startsWith('virtual:') ? port : `virtual:${port}`;
}

/**
 * The run's view of the manager's connection: the instrument's Device, except that closing it only
 * switches the output off (the connection stays for the next run), and a line that dies mid-run
 * fails the operation with a message that says so (kind 'port-closed': the run ends interrupted).
 */
class SharedInstrumentDevice implements Device {
  readonly kind = 'instrument';
  private readonly inner: InstrumentDevice;
  private released = false;

  constructor(
    private readonly instrument: Instrument,
    identity: PortIdentity | null,
    private readonly release: () => void,
  ) {
    this.inner = new InstrumentDevice(instrument, identity ? { notes: { identity: { ...identity } } } : {});
  }

  snapshot(): DeviceSnapshot {
    return this.inner.snapshot();
  }
  now(): number {
    return this.inner.now();
  }
  pulse(amplitude: number, width: number, options?: PulseOptions): Promise<PulseResult> {
    return this.guard(() => this.inner.pulse(amplitude, width, options));
  }
  read(voltage: number): Promise<DeviceReading> {
    return this.guard(() => this.inner.read(voltage));
  }
  wait(seconds: number): Promise<void> {
    return this.guard(() => this.inner.wait(seconds));
  }
  async outputOff(): Promise<void> {
    if (this.instrument.connected) await this.instrument.outputOff('end of run');
  }
  async close(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.release();
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    if (this.released) throw new InstrumentError('closed', `the run's device on ${this.instrument.port} was released`);
    if (!this.instrument.connected) throw lost('the connection is gone');
    try {
      return await op();
    } catch (e) {
      if (isInstrumentError(e, 'port-closed') || isInstrumentError(e, 'closed')) throw lost(e.message);
      // A line that dies under a command often shows first as a missing reply, the port's close
      // following a moment later (an adapter unplugged, an emulator killed): then the run was cut
      // short from outside, not failed by the instrument.
      if (isInstrumentError(e, 'timeout') && (await closesWithin(this.instrument, LOST_LINE_GRACE_MS))) throw lost(`${e.message}, and then the port closed`);
      throw e;
    }
  }
}

/** How long after a command timed out a closing port still counts as the cause. */
const LOST_LINE_GRACE_MS = 2000;

/** Whether the instrument's port is closed now or closes within `ms`. */
function closesWithin(instrument: Instrument, ms: number): Promise<boolean> {
  if (!instrument.connected) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(!instrument.connected);
    }, ms);
    const off = instrument.onDisconnect(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function lost(why: string): InstrumentError {
  return new InstrumentError(
    'port-closed',
    `the instrument connection was lost mid-run (${why}); the samples taken so far are kept — reconnect on the Instruments page and start a new run`,
  );
}

const SERIAL_KEYS = ['baudRate', 'dataBits', 'parity', 'stopBits', 'writeTerminator', 'timeoutMs', 'identifyTimeoutMs', 'openDelayMs'] as const;

/** Serial settings given with a run: flat keys or under `serial`. */
export function pickSerialSettings(settings: Record<string, unknown>): Partial<SerialSettings> {
  const source = settings.serial !== null && typeof settings.serial === 'object' ? (settings.serial as Record<string, unknown>) : settings;
  const out: Record<string, unknown> = {};
  for (const k of SERIAL_KEYS) if (source[k] !== undefined) out[k] = source[k];
  return out as Partial<SerialSettings>;
}

