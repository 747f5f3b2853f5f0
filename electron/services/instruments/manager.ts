/**
 * The instrument manager of one app-services: the port list (polled for plug and unplug), one
 * connection at a time with a visible state, connection settings editable while disconnected, the
 * serial console (kept after a disconnect), opt-in auto-reconnect to the same identity with
 * backoff, and virtual instruments started from the UI. The run engine runs protocols on the
 * connected instrument through the device factories registered at the end of this module.
 *
 * Safety: the output goes off on disconnect, on every run's end (the engine asks), and on close.
 * The limits (Settings) are mirrored to the instrument's protections when it connects, and again
 * when they change: at once when no run uses the instrument, else as soon as the run ends.
 * Auto-reconnect is the Settings' `autoReconnect`, read when a connection is lost.
 */
import { existsSync } from 'node:fs';
import type { InstrumentState } from '../../../shared/contract';
import type { ConnectionConfig, ConsoleLine, InstrumentLimitsInfo, PortList, SerialSettingsInput, VirtualInstrumentInfo } from '../../../shared/contract/areas/instruments';
import { formatSI } from '../../../shared/units';
import type { Device, DeviceReading, DeviceSnapshot, PulseResult } from '../../../shared/device/device';
import { registerDeviceFactory, type DeviceOpenContext, type InstrumentDeviceSpec, type OpenedDevice } from '../runs/devices';
import { currentLimits } from '../settings';
import { connectInstrument } from './connect';
import { ConsoleLog, type ConsoleEntry } from './console-log';
import { DRIVERS } from './drivers/index';
import { startEmulator, type Emulator } from './emulator/index';
import { InstrumentError, errorMessage, isInstrumentError } from './errors';
import { isDriverName, type DriverName, type Instrument } from './instrument';
import { InstrumentDevice } from './instrument-device';
import { instrumentLimitsFrom, resolveLimits, type InstrumentLimits } from './limits';
import { PortPoller } from './port-poller';
import { listPorts, type PortInfo, type PortListing } from './ports';
import { resolveSettings, type SerialSettings } from './settings';
import { listVirtualInstruments } from './virtual-registry';

export interface ManagerEvents {
  state(state: InstrumentState): void;
  ports(list: PortList): void;
  console(lines: ConsoleLine[]): void;
}

export interface InstrumentManagerOptions {
  /** Where state, port and console events go (the event bus in app-services). */
  emit?: Partial<ManagerEvents>;
  log?: (line: string) => void;
  /** Port poll interval (ms), default 1000. */
  pollIntervalMs?: number;
  /** The port listing (replaceable in tests). */
  list?: () => Promise<PortListing>;
  /** The limits mirrored to the instrument's protections (the workbench's Settings; see settingsChanged). */
  limits?: () => Partial<InstrumentLimits>;
  /** Whether a lost connection is retried (the workbench's Settings); off when absent. */
  autoReconnect?: () => boolean;
  /** Auto-reconnect backoff: first delay and ceiling (ms). */
  reconnectDelayMs?: number;
  reconnectMaxDelayMs?: number;
  consoleCapacity?: number;
}

/** What a device is remembered by: VID/PID/serial where the port says, else its path (pseudo-terminals). */
export interface PortIdentity {
  path: string;
  vidPid: string | null;
  serialNumber: string | null;
}

const CONSOLE_BATCH_MS = 50;

export class InstrumentManager {
  private current: InstrumentState = { state: 'disconnected', port: null, idn: null, message: null };
  private instrument: Instrument | null = null;
  private identity: PortIdentity | null = null;
  private path: string | null = null;
  private driver: DriverName = 'keithley2400';
  private override: Partial<SerialSettings> = {};
  private poller: PortPoller | null = null;
  private listing: PortListing = { ports: [] };
  private readonly consoleLog: ConsoleLog;
  private readonly lines: ConsoleLine[] = [];
  private seq = 0;
  private dropped = 0;
  private pending: ConsoleLine[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reconnectAttempt = 0;
  private connecting: Promise<InstrumentState> | null = null;
  private readonly emulators = new Map<string, { emulator: Emulator; info: VirtualInstrumentInfo }>();
  private closed = false;
  private readonly capacity: number;
  /** Runs currently using the connection (a disconnect during one fails it, which is the point). */
  private runsInUse = 0;
  /** Settings' limits changed while a run used the instrument: they are mirrored when it ends. */
  private limitsPending = false;
  /** Limit changes are mirrored one after another, so the last change is the one that stays. */
  private applying: Promise<void> = Promise.resolve();

  constructor(private readonly options: InstrumentManagerOptions = {}) {
    this.capacity = options.consoleCapacity ?? 5000;
    this.consoleLog = new ConsoleLog(this.capacity);
    this.consoleLog.subscribe((entry) => this.onConsole(entry));
    managers.add(this);
  }

  // ---- state -------------------------------------------------------------------------------

  state(): InstrumentState {
    return { ...this.current };
  }

  /** The connected instrument, or null. */
  get connected(): Instrument | null {
    return this.instrument !== null && this.instrument.connected ? this.instrument : null;
  }

  config(): ConnectionConfig {
    return { path: this.path, driver: this.driver, settings: this.settings(), autoReconnect: this.autoReconnect };
  }

  private get autoReconnect(): boolean {
    return this.options.autoReconnect?.() ?? false;
  }

  configure(patch: { path?: string | null | undefined; driver?: DriverName | undefined; settings?: SerialSettingsInput | undefined }): ConnectionConfig {
    const changesConnection = patch.path !== undefined || patch.driver !== undefined || patch.settings !== undefined;
    if (changesConnection && (this.current.state === 'connected' || this.current.state === 'connecting')) {
      throw new ManagerError('conflict', 'the connection settings can only be changed while disconnected: disconnect first');
    }
    let driver = this.driver;
    let override = this.override;
    if (patch.driver !== undefined && patch.driver !== this.driver) {
      driver = patch.driver;
      override = {}; // another instrument: its own factory defaults
    }
    if (patch.settings !== undefined) {
      const clean = Object.fromEntries(Object.entries(patch.settings).filter(([, v]) => v !== undefined)) as Partial<SerialSettings>;
      override = { ...override, ...clean };
    }
    try {
      resolveSettings(DRIVERS[driver].defaultSettings, override);
    } catch (e) {
      throw new ManagerError('invalid', errorMessage(e));
    }
    this.driver = driver;
    this.override = override;
    if (patch.path !== undefined) this.path = patch.path === null || patch.path.trim() === '' ? null : patch.path.trim();
    return this.config();
  }

  private settings(): SerialSettings {
    return resolveSettings(DRIVERS[this.driver].defaultSettings, this.override);
  }

  // ---- ports -------------------------------------------------------------------------------

  async ports(refresh = false): Promise<PortList> {
    if (this.poller === null && !this.closed) {
      this.poller = new PortPoller({
        intervalMs: this.options.pollIntervalMs ?? 1000,
        list: this.options.list ?? (() => listPorts()),
        onChange: (change) => {
          this.listing = change.warning ? { ports: change.ports, warning: change.warning } : { ports: change.ports };
          this.options.emit?.ports?.(this.portList());
        },
        onError: (message) => this.options.log?.(message),
      });
      this.listing = await this.poller.start();
    } else if (refresh && this.poller) {
      this.listing = await this.poller.poll();
    }
    return this.portList();
  }

  private portList(): PortList {
    return { ports: this.listing.ports.map(toContractPort), warning: this.listing.warning ?? null };
  }

  // ---- connection --------------------------------------------------------------------------

  connect(override: { path?: string | undefined; driver?: DriverName | undefined } = {}): Promise<InstrumentState> {
    if (this.closed) return Promise.reject(new ManagerError('conflict', 'the workbench is closing'));
    if (this.connecting) return this.connecting;
    if (this.connected) {
      if ((override.path === undefined || override.path === this.instrument?.port) && (override.driver === undefined || override.driver === this.driver)) {
        return Promise.resolve(this.state());
      }
      return Promise.reject(new ManagerError('conflict', `already connected to ${this.instrument?.port}: disconnect first`));
    }
    if (override.driver !== undefined || override.path !== undefined) this.configure({ driver: override.driver, path: override.path });
    this.cancelReconnect();
    const path = this.path;
    if (path === null) return Promise.reject(new ManagerError('invalid', 'choose a port (or type its path) before connecting'));
    this.connecting = this.open(path, false).finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async open(path: string, reconnecting: boolean): Promise<InstrumentState> {
    const driver = this.driver;
    this.setState({ state: 'connecting', port: path, idn: null, message: reconnecting ? `reconnecting (attempt ${this.reconnectAttempt})` : null });
    let instrument: Instrument;
    try {
      instrument = await connectInstrument({
        path,
        driver,
        serial: this.override,
        log: this.consoleLog,
        limits: this.wantedLimits(),
      });
    } catch (e) {
      const message = `could not connect to ${path}: ${errorMessage(e)}`;
      if (reconnecting) {
        this.setState({ state: 'error', port: path, idn: null, message });
        this.scheduleReconnect();
      } else this.setState({ state: 'error', port: path, idn: null, message });
      return this.state();
    }
    if (this.closed) {
      await instrument.close();
      return this.state();
    }
    this.instrument = instrument;
    this.limitsPending = false;
    this.reconnectAttempt = 0;
    // Remember the device by identity: VID/PID/serial when the port has them, else its path.
    if (!reconnecting || this.identity === null) this.identity = this.identityOf(path);
    instrument.onDisconnect((reason) => this.onLost(instrument, reason));
    this.setState({ state: 'connected', port: path, idn: instrument.idn, message: null });
    return this.state();
  }

  private identityOf(path: string): PortIdentity {
    const port = this.listing.ports.find((p) => p.path === path);
    return { path, vidPid: port?.vidPid ?? null, serialNumber: port?.serialNumber ?? null };
  }

  private onLost(instrument: Instrument, reason: string): void {
    if (this.instrument !== instrument) return;
    this.instrument = null;
    const port = instrument.port;
    const retry = this.autoReconnect && !this.closed;
    this.setState({
      state: 'error',
      port,
      idn: instrument.idn,
      message: `the instrument disconnected (${reason})${retry ? '; reconnecting to the same device…' : ''}`,
    });
    if (retry) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || !this.autoReconnect || this.identity === null) return;
    const base = this.options.reconnectDelayMs ?? 500;
    const max = this.options.reconnectMaxDelayMs ?? 10_000;
    const delay = Math.min(max, base * 2 ** Math.min(this.reconnectAttempt, 10));
    this.reconnectAttempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.tryReconnect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private async tryReconnect(): Promise<void> {
    if (this.closed || !this.autoReconnect || this.identity === null || this.instrument !== null || this.connecting) return;
    const id = this.identity;
    let listing: PortListing = this.listing;
    try {
      listing = this.poller ? await this.poller.poll() : await (this.options.list ?? (() => listPorts()))();
      this.listing = listing;
    } catch {
      // keep the last listing
    }
    // Only the same identity: by VID/PID/serial where known (the path may have changed), else the same path.
    const match =
      id.vidPid !== null && id.serialNumber !== null
        ? listing.ports.find((p) => p.vidPid === id.vidPid && p.serialNumber === id.serialNumber)
        : listing.ports.find((p) => p.path === id.path) ?? (existsAsDevice(id.path) ? { path: id.path } : undefined);
    if (!match) {
      this.setState({ ...this.current, state: 'error', message: `waiting for the same device (${describeIdentity(id)}) to come back…` });
      this.scheduleReconnect();
      return;
    }
    this.connecting = this.open(match.path, true).finally(() => {
      this.connecting = null;
    });
    await this.connecting;
  }

  private cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.reconnectAttempt = 0;
  }

  /** Output off, then the port is released; no auto-reconnect after this. */
  async disconnect(): Promise<InstrumentState> {
    this.cancelReconnect();
    if (this.connecting) await this.connecting.catch(() => undefined);
    const instrument = this.instrument;
    this.instrument = null;
    if (instrument) {
      await instrument.outputOff('disconnect');
      await instrument.close();
    }
    this.setState({ state: 'disconnected', port: instrument?.port ?? this.current.port, idn: null, message: null });
    return this.state();
  }

  private setState(next: InstrumentState): void {
    this.current = next;
    this.options.emit?.state?.(this.state());
  }

  // ---- settings: limits and auto-reconnect -------------------------------------------------

  /**
   * The workbench's settings changed: a pending reconnect stops when auto-reconnect was turned
   * off, and new limits are mirrored to the connected instrument — now, or when the run using it
   * ends (its operations are checked against the limits it started with until then).
   */
  settingsChanged(): Promise<void> {
    if (!this.autoReconnect && this.reconnectTimer !== null) {
      this.cancelReconnect();
      this.setState({ ...this.current, message: 'the connection was lost, and auto-reconnect was turned off in Settings: connect again by hand' });
    }
    return this.applyLimits();
  }

  /** The connected instrument's limits and what its driver can make, for the Live page. */
  limitsInfo(): InstrumentLimitsInfo {
    const instrument = this.connected;
    if (!instrument) return { instrument: null };
    return {
      instrument: {
        driver: instrument.driver,
        title: instrument.title,
        port: instrument.port,
        idn: instrument.idn,
        applied: { ...instrument.limits },
        minPulseWidth: instrument.minPulseWidth,
        pending: this.limitsPending || !sameLimits(instrument.limits, this.wantedLimits()),
      },
    };
  }

  private wantedLimits(): Partial<InstrumentLimits> {
    return this.options.limits?.() ?? {};
  }

  private applyLimits(): Promise<void> {
    this.applying = this.applying.then(() => this.mirrorLimits()).catch((e: unknown) => this.options.log?.(`mirroring the limits failed: ${errorMessage(e)}`));
    return this.applying;
  }

  private async mirrorLimits(): Promise<void> {
    const instrument = this.connected;
    if (!instrument) return;
    let wanted: Required<InstrumentLimits>;
    try {
      wanted = resolveLimits(this.wantedLimits());
    } catch (e) {
      this.setState({ ...this.current, message: `the safety limits in Settings cannot be used: ${errorMessage(e)}` });
      return;
    }
    if (sameLimits(instrument.limits, wanted)) {
      if (this.limitsPending) {
        this.limitsPending = false;
        this.setState({ ...this.current, message: null });
      }
      return;
    }
    if (this.runsInUse > 0) {
      if (!this.limitsPending) {
        this.limitsPending = true;
        instrument.log.note('the safety limits changed in Settings: they are mirrored to the instrument when the running run ends');
        this.setState({ ...this.current, message: 'new safety limits from Settings reach the instrument when the running run ends' });
      }
      return;
    }
    this.limitsPending = false;
    try {
      await instrument.configure(wanted);
      instrument.log.note(`safety limits from Settings mirrored to the instrument: ${describeLimits(wanted)}`);
      if (this.instrument === instrument) this.setState({ ...this.current, message: null });
    } catch (e) {
      if (this.instrument !== instrument) return;
      this.setState({ ...this.current, message: `the new safety limits could not be mirrored to the instrument (${errorMessage(e)}): disconnect and connect again` });
    }
  }

  // ---- console -----------------------------------------------------------------------------

  private onConsole(entry: ConsoleEntry): void {
    const line: ConsoleLine = { t: entry.t, dir: entry.dir, text: entry.text, seq: this.seq++ };
    this.lines.push(line);
    if (this.lines.length > this.capacity) {
      this.lines.splice(0, this.lines.length - this.capacity);
      this.dropped++;
    }
    if (!this.options.emit?.console) return;
    this.pending.push(line);
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.flushConsole(), CONSOLE_BATCH_MS);
      this.flushTimer.unref();
    }
  }

  private flushConsole(): void {
    this.flushTimer = null;
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) this.options.emit?.console?.(lines);
  }

  consoleLines(since = -1): { lines: ConsoleLine[]; dropped: number } {
    return { lines: this.lines.filter((l) => l.seq > since), dropped: this.dropped };
  }

  consoleText(): string {
    return this.consoleLog.exportText();
  }

  // ---- virtual instruments -----------------------------------------------------------------

  async startVirtual(options: { driver: DriverName; preset?: string | undefined; seed?: number | string | undefined }): Promise<VirtualInstrumentInfo> {
    if (this.closed) throw new ManagerError('conflict', 'the workbench is closing');
    const preset = options.preset ?? 'intrinsic-gradient';
    const seed = options.seed ?? 1;
    const emulator = await startEmulator({ driver: options.driver, preset, seed, time: 'wall' });
    if (this.closed) {
      await emulator.stop();
      throw new ManagerError('conflict', 'the workbench is closing');
    }
    const id = emulator.id ?? `virtual:${options.driver}@${emulator.path}`;
    const info: VirtualInstrumentInfo = { id, driver: options.driver, path: emulator.path, idn: emulator.idn, preset, seed };
    this.emulators.set(id, { emulator, info });
    this.options.log?.(`virtual instrument ${id} started on ${emulator.path}`);
    await this.refreshPorts();
    return info;
  }

  async stopVirtual(id: string): Promise<void> {
    const entry = this.emulators.get(id);
    if (!entry) throw new ManagerError('not_found', `there is no virtual instrument ${id} started here`);
    this.emulators.delete(id);
    await entry.emulator.stop();
    await this.refreshPorts();
  }

  virtuals(): VirtualInstrumentInfo[] {
    return [...this.emulators.values()].map((e) => e.info);
  }

  private async refreshPorts(): Promise<void> {
    if (this.poller) await this.poller.poll();
  }

  // ---- runs --------------------------------------------------------------------------------

  /**
   * The Device a run uses: the connected instrument when it is on `path` (connecting first when
   * nothing is connected). Closing the run's device leaves the connection open (output off).
   */
  async runDevice(path: string, driver: string | null, settings: Record<string, unknown>): Promise<OpenedDevice> {
    if (driver !== null && !isDriverName(driver)) {
      throw new InstrumentError('identify', `unknown driver '${driver}' (known: ${Object.keys(DRIVERS).join(', ')})`);
    }
    let instrument = this.connected;
    if (instrument && instrument.port !== path) {
      throw new InstrumentError('open-failed', `another instrument is connected (${instrument.port}); disconnect it before running on ${path}`);
    }
    if (instrument && driver !== null && instrument.driver !== driver) {
      throw new InstrumentError('open-failed', `the instrument on ${path} is connected with the ${instrument.driver} driver, not ${driver}`);
    }
    if (!instrument) {
      if (this.connecting) await this.connecting.catch(() => undefined);
      instrument = this.connected;
      if (!instrument) {
        const serial = pickSerialSettings(settings);
        if (Object.keys(serial).length > 0 && this.current.state !== 'connecting') {
          try {
            this.configure({ settings: serial as SerialSettingsInput });
          } catch (e) {
            throw new InstrumentError('open-failed', `the run's serial settings are not valid: ${errorMessage(e)}`);
          }
        }
        const state = await this.connect({ path, ...(driver !== null ? { driver } : {}) });
        instrument = this.connected;
        if (!instrument) throw new InstrumentError('open-failed', state.message ?? `could not connect to ${path}`);
      }
    }
    this.runsInUse++;
    const device = new SharedInstrumentDevice(instrument, this.identity, () => {
      this.runsInUse--;
      if (this.limitsPending && this.runsInUse === 0) void this.applyLimits();
    });
    return { device, instrumentIdn: instrument.idn };
  }

  /** The connected instrument a run on this port ('serial' path or 'virtual' id) would use, or null. */
  instrumentFor(scheme: string, port: string): Instrument | null {
    const instrument = this.connected;
    if (!instrument) return null;
    const path = scheme === 'virtual' ? listVirtualInstruments().find((v) => v.id === (port.startsWith('virtual:') ? port : `virtual:${port}`))?.path : port;
    return path === instrument.port ? instrument : null;
  }

  // ---- close -------------------------------------------------------------------------------

  /** App quit: output off, port released, emulators stopped. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    managers.delete(this);
    this.cancelReconnect();
    this.poller?.stop();
    if (this.connecting) await this.connecting.catch(() => undefined);
    const instrument = this.instrument;
    this.instrument = null;
    if (instrument) {
      await instrument.outputOff('close');
      await instrument.close();
      this.current = { state: 'disconnected', port: instrument.port, idn: null, message: null };
    }
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const { emulator } of this.emulators.values()) await emulator.stop().catch(() => undefined);
    this.emulators.clear();
  }
}

/** A refusal the handlers map to contract error codes. */
export class ManagerError extends Error {
  override readonly name = 'ManagerError';
  constructor(
    readonly code: 'conflict' | 'invalid' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The run's view of the manager's connection: the instrument's Device, except that closing it only
 * switches the output off (the connection stays for the next run), and a line that dies mid-run
 * fails the operation with a message that says so.
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
  pulse(amplitude: number, width: number): Promise<PulseResult> {
    return this.guard(() => this.inner.pulse(amplitude, width));
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
    if (!this.instrument.connected) throw lost(this.instrument, 'the connection is gone');
    try {
      return await op();
    } catch (e) {
      if (isInstrumentError(e, 'port-closed') || isInstrumentError(e, 'closed')) throw lost(this.instrument, e.message);
      // A line that dies under a command often shows first as a missing reply, the port's close
      // following a moment later (an adapter unplugged, an emulator killed): then the run was cut
      // short from outside, not failed by the instrument.
      if (isInstrumentError(e, 'timeout') && (await closesWithin(this.instrument, LOST_LINE_GRACE_MS))) throw lost(this.instrument, `${e.message}, and then the port closed`);
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

function lost(instrument: Instrument, why: string): InstrumentError {
  return new InstrumentError(
    'port-closed',
    `the instrument connection was lost mid-run (${why}); the samples taken so far are kept — reconnect on the Instruments page and start a new run`,
  );
}

const SERIAL_KEYS = ['baudRate', 'dataBits', 'parity', 'stopBits', 'writeTerminator', 'timeoutMs', 'identifyTimeoutMs', 'openDelayMs'] as const;

/** Serial settings given with a run: flat keys or under `serial`. */
function pickSerialSettings(settings: Record<string, unknown>): Partial<Record<(typeof SERIAL_KEYS)[number], unknown>> {
  const source = settings.serial !== null && typeof settings.serial === 'object' ? (settings.serial as Record<string, unknown>) : settings;
  const out: Partial<Record<(typeof SERIAL_KEYS)[number], unknown>> = {};
  for (const k of SERIAL_KEYS) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

function sameLimits(a: Readonly<Required<InstrumentLimits>>, b: Partial<InstrumentLimits>): boolean {
  let resolved: Required<InstrumentLimits>;
  try {
    resolved = resolveLimits(b);
  } catch {
    return false;
  }
  return a.maxVoltage === resolved.maxVoltage && a.compliance === resolved.compliance && a.maxWidth === resolved.maxWidth && a.readCompliance === resolved.readCompliance;
}

function describeLimits(l: Required<InstrumentLimits>): string {
  return `max |V| ${formatSI(l.maxVoltage, 'V')}, compliance ${formatSI(l.compliance, 'A')} (reads ${formatSI(l.readCompliance, 'A')}), max width ${formatSI(l.maxWidth, 's')}`;
}

function toContractPort(p: PortInfo): PortList['ports'][number] {
  return {
    path: p.path,
    friendlyName: p.friendlyName,
    source: p.source,
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    ...(p.vidPid ? { vidPid: p.vidPid } : {}),
    ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
    ...(p.accessible !== undefined ? { accessible: p.accessible } : {}),
    ...(p.virtual ? { virtual: { ...p.virtual } } : {}),
  };
}

function describeIdentity(id: PortIdentity): string {
  return id.vidPid !== null && id.serialNumber !== null ? `${id.vidPid}, serial ${id.serialNumber}` : id.path;
}

function existsAsDevice(p: string): boolean {
  return listVirtualInstruments().some((v) => v.path === p) || safeExists(p);
}

function safeExists(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}

// ---- run-engine device factories ---------------------------------------------------------------

/** Open managers of this process; a run uses the most recently opened one. */
const managers = new Set<InstrumentManager>();

function activeManager(): InstrumentManager | null {
  let last: InstrumentManager | null = null;
  for (const m of managers) last = m;
  return last;
}

async function openInstrumentForRun(spec: InstrumentDeviceSpec, ctx: DeviceOpenContext, path: string): Promise<OpenedDevice> {
  if (ctx.signal.aborted) throw new InstrumentError('closed', 'the run was stopped before the instrument was opened');
  const manager = activeManager();
  if (manager === null) {
    // No app-services in this process (a bare engine): a connection for this run only.
    if (spec.driver === null || !isDriverName(spec.driver)) throw new InstrumentError('identify', `running on ${path} needs a driver (${Object.keys(DRIVERS).join(', ')})`);
    const instrument = await connectInstrument({
      path,
      driver: spec.driver,
      serial: pickSerialSettings(spec.settings) as Partial<SerialSettings>,
      limits: instrumentLimitsFrom(currentLimits()),
    });
    return { device: new InstrumentDevice(instrument), instrumentIdn: instrument.idn };
  }
  ctx.log(`opening the instrument on ${path}${spec.driver ? ` (driver ${spec.driver})` : ''}`);
  return manager.runDevice(path, spec.driver, spec.settings);
}

let registered = false;

/** Registers 'serial:' (a port path) and 'virtual:' (an emulator id) with the run engine. Idempotent. */
export function registerInstrumentDeviceFactories(): void {
  if (registered) return;
  registered = true;
  registerDeviceFactory('serial', (spec, ctx) => openInstrumentForRun(spec, ctx, spec.port));
  registerDeviceFactory('virtual', (spec, ctx) => {
    const id = spec.port.startsWith('virtual:') ? spec.port : `virtual:${spec.port}`;
    const entry = listVirtualInstruments().find((v) => v.id === id);
    if (!entry) return Promise.reject(new InstrumentError('open-failed', `there is no virtual instrument ${id} running (start it on the Instruments page)`));
    return openInstrumentForRun({ ...spec, driver: spec.driver ?? entry.driver }, ctx, entry.path);
  });
}

// The CLI checks for a factory before it opens app-services; importing the manager is enough.
registerInstrumentDeviceFactories();
