/**
 * The instrument manager of one data folder: the port list (polled for plug and unplug), one
 * connection at a time with a visible state, connection settings editable while disconnected, the
 * console (kept after a disconnect), opt-in auto-reconnect to the same identity with backoff,
 * the safety limits mirrored to the instrument, virtual instruments started from the UI, and the
 * bridge through which the run engine opens the connected instrument as a Device. Each of those is
 * a part in ./manager/; this class wires them together and is what handlers and hosts see.
 *
 * Safety: the output goes off on disconnect, on every run's end (the engine asks), and on close.
 */
import type { InstrumentState } from '../../../shared/contract';
import type { ConnectionConfig, ConsoleLine, DriverChoice, DriverDescription, InstrumentLimitsInfo, PortList, VirtualInstrumentInfo } from '../../../shared/contract/areas/instruments';
import { formatResource, parseController, parseResource, type GpibController, type Resource } from '../../../shared/instruments/resource';
import { createLogger, silentLogger, type Logger } from '../logs/logger';
import { describeDrivers } from './drivers/index';
import type { DriverName, Instrument } from './instrument';
import type { InstrumentLimits } from './limits';
import type { PortListing } from './ports';
import type { SerialSettings } from './settings';
import { ConnectionSettings, type ConfigPatch } from './manager/connection-config';
import { Connection } from './manager/connection';
import { ConsoleFeed } from './manager/console-feed';
import { LimitsMirror } from './manager/limits-mirror';
import { ManagerError } from './manager/manager-error';
import { InstrumentMemory } from './manager/memory';
import { PortListView, type PortIdentity } from './manager/port-list';
import { Reconnector, pathExists } from './manager/reconnect';
import { RunBridge } from './manager/run-bridge';
import { sendFromConsole, type ConsoleSendResult } from './manager/console-send';
import { VirtualInstruments, type VirtualStartOptions } from './manager/virtuals';

export { ManagerError, type PortIdentity, type RunBridge };

export interface ManagerEvents {
  state(state: InstrumentState): void;
  ports(list: PortList): void;
  console(lines: ConsoleLine[]): void;
  /** A run started or stopped using the connected instrument. */
  usage(inUse: boolean): void;
}

export interface InstrumentManagerOptions {
  /** Where state, port and console events go (the event bus). */
  emit?: Partial<ManagerEvents>;
  /** The workbench's logger; the manager logs as its child 'instruments'. */
  logger?: Logger;
  /** A line callback, used when no logger is given (until every composition root passes one). */
  log?: (line: string) => void;
  /** Port poll interval (ms), default 1000. */
  pollIntervalMs?: number;
  /** The system port listing (replaceable in tests); virtual instruments are added to it. */
  list?: () => Promise<PortListing>;
  /** The limits mirrored to the instrument's protections (the workbench's Settings; see settingsChanged). */
  limits?: () => Partial<InstrumentLimits>;
  /** Whether a lost connection is retried (the workbench's Settings); off when absent. */
  autoReconnect?: () => boolean;
  /** Auto-reconnect backoff: first delay and ceiling (ms). */
  reconnectDelayMs?: number;
  reconnectMaxDelayMs?: number;
  consoleCapacity?: number;
  /** Where the remembered instruments are kept (a JSON file in the data folder); none when absent. */
  memoryFile?: string;
}

export class InstrumentManager {
  private readonly logger: Logger;
  private readonly memory: InstrumentMemory;
  private readonly settingsOf: ConnectionSettings;
  private readonly feed: ConsoleFeed;
  private readonly connection: Connection;
  private readonly ports_: PortListView;
  private readonly reconnect: Reconnector;
  private readonly limits: LimitsMirror;
  /** The virtual instruments this manager started. */
  readonly virtual: VirtualInstruments;
  /** What the composition root hands the run engine to open instrument devices. */
  readonly runBridge: RunBridge;
  private identity: PortIdentity | null = null;
  private closed = false;

  constructor(private readonly options: InstrumentManagerOptions = {}) {
    this.logger = (options.logger ?? (options.log ? lineLogger(options.log) : silentLogger)).child('instruments');
    this.memory = new InstrumentMemory(options.memoryFile ?? null, this.logger);
    this.settingsOf = new ConnectionSettings(this.memory);
    this.feed = new ConsoleFeed(options.consoleCapacity ?? 5000, options.emit?.console);
    this.connection = new Connection({
      state: (s) => this.options.emit?.state?.(s),
      log: this.feed.log,
      limits: () => this.wantedLimits(),
      lost: (instrument, reason) => this.onLost(instrument, reason),
    });
    this.virtual = new VirtualInstruments(this.logger, async () => void (await this.ports_.refresh()));
    this.ports_ = new PortListView({
      intervalMs: options.pollIntervalMs ?? 1000,
      list: options.list,
      virtual: () => this.virtual.ports(),
      remembered: (listed) => this.memory.rows(listed),
      emit: options.emit?.ports,
      logger: this.logger,
    });
    this.reconnect = new Reconnector({
      connection: this.connection,
      ports: this.ports_,
      enabled: () => this.autoReconnect,
      exists: (resource) => reachable(resource, (p) => this.virtual.hasPath(p) || pathExists(p)),
      delayMs: options.reconnectDelayMs ?? 500,
      maxDelayMs: options.reconnectMaxDelayMs ?? 10_000,
    });
    this.limits = new LimitsMirror(this.connection, () => this.wantedLimits(), this.logger, (inUse) => this.options.emit?.usage?.(inUse));
    this.runBridge = new RunBridge({
      connection: this.connection,
      virtuals: this.virtual,
      limits: this.limits,
      gpibController: () => this.gpibController(),
      identity: () => this.identity,
      connect: (resource, driver, serial) => this.connectForRun(resource, driver, serial),
    });
  }

  // ---- state and settings ------------------------------------------------------------------

  state(): InstrumentState {
    return this.connection.state();
  }

  /** The connected instrument, or null. */
  get connected(): Instrument | null {
    return this.connection.connected;
  }

  config(): ConnectionConfig {
    return this.settingsOf.view(this.autoReconnect);
  }

  configure(patch: ConfigPatch): ConnectionConfig {
    this.settingsOf.apply(patch, this.connection.busy);
    return this.config();
  }

  ports(refresh = false): Promise<PortList> {
    return this.ports_.get(refresh);
  }

  /** Every driver and what it can make. */
  drivers(): DriverDescription[] {
    return describeDrivers();
  }

  /** Forgets a remembered instrument; the list without it. */
  async forget(path: string): Promise<PortList> {
    if (!this.memory.forget(path)) throw new ManagerError('not_found', `${path} is not a remembered instrument`);
    await this.ports_.refresh();
    return this.ports_.get();
  }

  /** The connected instrument's limits and what its driver can make, for the Live page. */
  limitsInfo(): InstrumentLimitsInfo {
    return this.limits.info();
  }

  /**
   * The workbench's settings changed: a pending reconnect stops when auto-reconnect was turned
   * off, and new limits are mirrored to the connected instrument — now, or when the run using it
   * ends.
   */
  settingsChanged(): Promise<void> {
    if (!this.autoReconnect && this.reconnect.pending) {
      this.reconnect.cancel();
      this.connection.say('the connection was lost, and auto-reconnect was turned off in Settings: connect again by hand');
    }
    return this.limits.apply();
  }

  // ---- connection --------------------------------------------------------------------------

  connect(override: { path?: string | undefined; driver?: DriverChoice | undefined } = {}): Promise<InstrumentState> {
    if (this.closed) return Promise.reject(new ManagerError('conflict', 'the workbench is closing'));
    const { connection } = this;
    if (connection.connecting) return connection.connecting;
    const instrument = connection.connected;
    if (instrument) {
      const samePath = override.path === undefined || sameAddress(override.path, instrument.port);
      const sameDriver = override.driver === undefined || override.driver === 'auto' || override.driver === instrument.driver;
      if (samePath && sameDriver) return Promise.resolve(this.state());
      return Promise.reject(new ManagerError('conflict', `already connected to ${instrument.port}: disconnect first`));
    }
    if (override.driver !== undefined || override.path !== undefined) this.configure({ driver: override.driver, path: override.path });
    this.reconnect.cancel();
    const target = this.settingsOf.target();
    if (target === null) return Promise.reject(new ManagerError('invalid', 'choose an instrument (or type its address) before connecting'));
    return connection.open(target).then((state) => {
      const connected = connection.connected;
      if (state.state === 'connected' && connected) {
        this.identity = this.ports_.identityOf(target.resource);
        this.reconnect.remember(target, this.identity);
        this.limits.configured();
        // Remembered by address with the driver it runs with (chosen or found by *IDN?), unless it is one of ours.
        if (!this.virtual.hasPath(connected.port)) this.memory.remember(target.resource, connected.driver, connected.idn, target.serial);
        void this.ports_.refresh();
      }
      return state;
    });
  }

  /** Output off, then the port is released; no auto-reconnect after this. */
  async disconnect(): Promise<InstrumentState> {
    this.reconnect.cancel();
    await this.connection.disconnect();
    return this.state();
  }

  private onLost(instrument: Instrument, reason: string): void {
    const retry = this.autoReconnect && !this.closed;
    this.connection.set({
      state: 'error',
      port: instrument.port,
      idn: instrument.idn,
      // Without auto-reconnect the message says what to do, not only what happened.
      message: `the instrument disconnected (${reason})${retry ? '; reconnecting to the same device…' : '; check its cable and power (a stopped virtual instrument: start it again), then Connect again'}`,
    });
    if (retry) this.reconnect.schedule();
  }

  /** A run on an instrument while nothing is connected: its serial settings, then Connect. */
  private async connectForRun(resource: Resource, driver: DriverName | null, serial: Partial<SerialSettings>): Promise<InstrumentState> {
    if (this.connection.busy) return this.connect({ path: formatResource(resource), ...(driver !== null ? { driver } : {}) });
    try {
      this.configure({ path: formatResource(resource), driver: driver ?? 'auto', ...(Object.keys(serial).length > 0 ? { settings: serial } : {}) });
    } catch (e) {
      throw new ManagerError('invalid', `the run's instrument settings are not valid: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.connect();
  }

  private gpibController(): GpibController | null {
    const text = this.settingsOf.view(false).gpibController;
    if (text === null) return null;
    const parsed = parseController(text);
    return parsed.ok ? parsed.controller : null;
  }

  // ---- console -----------------------------------------------------------------------------

  consoleLines(since = -1): { lines: ConsoleLine[]; dropped: number } {
    return this.feed.since(since);
  }

  consoleText(): string {
    return this.feed.text();
  }

  /**
   * A command typed in the console: refused while a run uses the instrument (or nothing is
   * connected); its reply when it has one; the limits mirrored again after one that touched
   * sources or protections.
   */
  send(command: string): Promise<ConsoleSendResult> {
    return sendFromConsole(command, { connection: this.connection, limits: this.limits, wanted: () => this.wantedLimits(), log: this.feed.log });
  }

  // ---- virtual instruments -----------------------------------------------------------------

  startVirtual(options: VirtualStartOptions): Promise<VirtualInstrumentInfo> {
    if (this.closed) return Promise.reject(new ManagerError('conflict', 'the workbench is closing'));
    return this.virtual.start(options);
  }

  stopVirtual(id: string): Promise<void> {
    return this.virtual.stop(id);
  }

  virtuals(): VirtualInstrumentInfo[] {
    return this.virtual.list();
  }

  /** The connected instrument a run on this port ('serial' path or 'virtual' id) would use, or null. */
  instrumentFor(scheme: string, port: string): Instrument | null {
    return this.runBridge.instrumentFor(scheme, port);
  }

  // ---- close -------------------------------------------------------------------------------

  /** App quit: output off, port released, emulators stopped. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reconnect.close();
    this.ports_.stop();
    try {
      await this.connection.close();
    } finally {
      this.feed.close();
      await this.virtual.close();
    }
  }

  private get autoReconnect(): boolean {
    return this.options.autoReconnect?.() ?? false;
  }

  private wantedLimits(): Partial<InstrumentLimits> {
    return this.options.limits?.() ?? {};
  }
}

/** Whether a resource's device could be there: a serial or usbtmc path (or a GPIB controller's) that exists; a network one always. */
function reachable(r: Resource, exists: (path: string) => boolean): boolean {
  if (r.kind === 'serial' || r.kind === 'usbtmc') return exists(r.path);
  if (r.kind === 'gpib') return r.controller?.kind !== 'serial' || exists(r.controller.path);
  return true;
}

/** Two addresses name the same instrument (a path and its ASRL form, say). */
function sameAddress(a: string, b: string): boolean {
  const pa = parseResource(a);
  const pb = parseResource(b);
  return pa.ok && pb.ok ? formatResource(pa.resource) === formatResource(pb.resource) : a === b;
}

/** The old line callback as a Logger (what the composition roots pass until they hand a Logger). */
function lineLogger(log: (line: string) => void): Logger {
  return createLogger((_level, _source, message) => log(message), 'instruments');
}
