import type { DeviceReading, PulseOptions, PulseResult } from '../../../shared/device/device';
import { complianceBeyondCapabilities, pulseBeyondCapabilities, readBeyondCapabilities, type DriverCapabilities } from '../../../shared/instruments/capabilities';
import { isVirtualIdn, type DriverName } from '../../../shared/instruments/drivers';
import type { ConsoleLog } from './console-log';
import type { ConsoleRules } from './drivers/console-rules';
import { InstrumentError, errorMessage, formatDuration, quoteReply } from './errors';
import { assertComplianceSafe, assertPulseSafe, assertReadSafe, resolveLimits, type InstrumentLimits } from './limits';
import type { SerialSettings } from './settings';
import type { LineTransport } from './transport/line-transport';

export { DRIVER_NAMES, isDriverName, type DriverName } from '../../../shared/instruments/drivers';

/** A safety action and whether it worked; kept for the run's provenance and the console. */
export interface SafetyEvent {
  /** Milliseconds since the Unix epoch. */
  t: number;
  action: 'output-off';
  /** Why: 'requested', 'after error: …', 'disconnect', 'close'. */
  reason: string;
  ok: boolean;
  /** Whether the instrument confirmed the output is off (false when the line was not trusted). */
  confirmed: boolean;
  error?: string;
}

/**
 * One connected instrument, whatever its driver. Every operation checks the limits before any byte
 * is sent, runs alone on the line, and leaves the output off at 0 V — also when it fails.
 */
export interface Instrument {
  readonly driver: DriverName;
  /** Human name of the driver, e.g. 'Keithley 2400 series (SCPI)'. */
  readonly title: string;
  readonly port: string;
  /** The identification reply, once identified. */
  readonly idn: string | null;
  readonly limits: Readonly<Required<InstrumentLimits>>;
  readonly settings: Readonly<SerialSettings>;
  readonly log: ConsoleLog;
  readonly safetyEvents: readonly SafetyEvent[];
  /** False after close() or once the port closed. */
  readonly connected: boolean;
  /** Sends the identification command and refuses anything that does not answer as expected. */
  identify(): Promise<string>;
  /** Resets the instrument into a known state with these limits mirrored to its protections. */
  configure(limits?: Partial<InstrumentLimits>): Promise<void>;
  /** The shortest pulse this instrument can make (s), or null when the driver knows no minimum. */
  readonly minPulseWidth: number | null;
  /** What this instrument can make (ranges, widths, sweeps), as its driver states it. */
  readonly capabilities: DriverCapabilities;
  /** Whether it identified as the workbench's emulator. */
  readonly virtual: boolean;
  /**
   * A command typed in the console: sent alone on the line, its reply (if the command set says it
   * has one) returned. Whether it changed sources or protections is said, so the caller can mirror
   * the limits again.
   */
  exchange(command: string): Promise<{ reply: string | null; touchesSafety: boolean }>;
  /** Why pulse() would refuse this pulse before sending anything (limits, what the instrument can make), or null. */
  pulseRefusal(amplitude: number, width: number): string | null;
  /** Why read() would refuse a read at this voltage, or null. */
  readRefusal(voltage: number): string | null;
  /** Why pulse() would refuse this I–V sweep step (voltage, dwell, compliance) before sending anything, or null. */
  stepRefusal(voltage: number, dwell: number, compliance: number): string | null;
  /**
   * A pulse; with `options.compliance`, a source–measure step of an I–V sweep: the compliance is set
   * on the instrument before its output goes on, the current is measured at the end of the step, and
   * `inCompliance` says whether the source was limited then (expected, not a trip, in a sweep).
   */
  pulse(amplitude: number, width: number, options?: PulseOptions): Promise<PulseResult>;
  read(voltage: number): Promise<DeviceReading>;
  /** Output off at 0 V. Never throws: a failure (dead line) is recorded in safetyEvents and returned. */
  outputOff(reason?: string): Promise<SafetyEvent>;
  /** Drains the instrument's error queue; [] when it has none. */
  queryErrors(): Promise<string[]>;
  /** Output off, then the port is released. Safe to call repeatedly. */
  close(): Promise<void>;
  /** Called once if the port closes without close() (cable pulled, emulator gone). */
  onDisconnect(listener: (reason: string) => void): () => void;
  /** Provenance: driver, port, identity, serial settings, limits. */
  snapshot(): Record<string, unknown>;
}

/** Runs async steps one at a time, in call order. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step, step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * The part every driver shares: the safety checks, one operation at a time, output off after any
 * failure, resynchronisation after a timeout (a late reply must never be taken for the next
 * command's reply) and disconnect handling. Drivers implement the protocol-specific steps.
 */
export abstract class InstrumentBase implements Instrument {
  abstract readonly driver: DriverName;
  abstract readonly title: string;
  /** What the identity reply should be, for messages: 'a Keithley 2400-series reply'. */
  protected abstract readonly expectedIdentity: string;
  /** Which console commands have replies and which touch sources or protections. */
  protected abstract readonly consoleRules: ConsoleRules;
  abstract readonly capabilities: DriverCapabilities;
  protected readonly identifyCommand: string = '*IDN?';

  private identity: string | null = null;
  private currentLimits: Required<InstrumentLimits>;
  private readonly mutex = new Mutex();
  private needsResync = false;
  private closedByUs = false;
  private readonly events: SafetyEvent[] = [];
  private readonly disconnectListeners = new Set<(reason: string) => void>();

  constructor(
    protected readonly transport: LineTransport,
    limits: Partial<InstrumentLimits> = {},
  ) {
    this.currentLimits = resolveLimits(limits);
    transport.onClose((reason) => {
      if (this.closedByUs) return;
      // Listeners hear of it at once (the manager's state must not lag behind a run that already
      // failed on the closed port); the output-off is still attempted and its failure recorded.
      for (const l of this.disconnectListeners) l(reason);
      this.disconnectListeners.clear();
      void this.outputOff('disconnect');
    });
  }

  get port(): string {
    return this.transport.path;
  }
  get idn(): string | null {
    return this.identity;
  }
  get limits(): Readonly<Required<InstrumentLimits>> {
    return this.currentLimits;
  }
  get settings(): Readonly<SerialSettings> {
    return this.transport.settings;
  }
  get log(): ConsoleLog {
    return this.transport.log;
  }
  get safetyEvents(): readonly SafetyEvent[] {
    return this.events;
  }
  get connected(): boolean {
    return !this.closedByUs && this.transport.isOpen;
  }

  /** Returns null when `reply` identifies the expected instrument, else what is wrong with it. */
  protected abstract checkIdentity(reply: string): string | null;
  protected abstract doConfigure(limits: Required<InstrumentLimits>): Promise<void>;
  protected abstract doPulse(amplitude: number, width: number): Promise<PulseResult>;
  /**
   * One I–V sweep step: `voltage` for `dwell` under `compliance` (A) set on the instrument, the
   * current measured at the end, `inCompliance` from the instrument (a flag to record, not a trip).
   */
  protected abstract doStep(voltage: number, dwell: number, compliance: number): Promise<PulseResult>;
  protected abstract doRead(voltage: number): Promise<DeviceReading>;
  /** Sends the output-off commands; when `confirm`, also verifies the instrument reports it off. */
  protected abstract doOutputOff(confirm: boolean): Promise<void>;
  protected abstract doQueryErrors(): Promise<string[]>;
  /** Refuses before anything is sent what the instrument cannot make (its ranges and widths). */
  protected checkPulseFeasible(amplitude: number, width: number): void {
    const beyond = pulseBeyondCapabilities(amplitude, width, this.capabilities, this.shortTitle);
    if (beyond !== null) throw new InstrumentError('unsafe', beyond);
  }

  protected checkReadFeasible(voltage: number): void {
    const beyond = readBeyondCapabilities(voltage, this.capabilities, this.shortTitle);
    if (beyond !== null) throw new InstrumentError('unsafe', beyond);
  }

  /** The instrument's name in a sentence: 'Keithley 2400' (the title without its command set). */
  protected get shortTitle(): string {
    return this.title.replace(/\s*\(.*\)$/, '');
  }
  /** Forget cached instrument state: after a failure the instrument may be in any state. */
  protected invalidateCache(): void {}

  identify(): Promise<string> {
    return this.mutex.run(async () => {
      this.assertUsable();
      // A bare terminator first ends any half-sent command a previous session left in the instrument.
      await this.transport.write('');
      const command = this.identifyCommand;
      let reply: string;
      try {
        reply = await this.transport.query(command, { timeoutMs: this.settings.identifyTimeoutMs });
      } catch (e) {
        if (e instanceof InstrumentError && e.kind === 'timeout') {
          throw new InstrumentError(
            'identify',
            `no reply to ${command} within ${formatDuration(this.settings.identifyTimeoutMs)} (expected ${this.expectedIdentity} at ` +
              `${this.settings.baudRate} baud with ${this.settings.writeTerminator} line endings)`,
            command,
          );
        }
        throw e;
      }
      const problem = this.checkIdentity(reply);
      if (problem !== null) {
        const echo = reply.trim() === command ? ' — the port echoes what it is sent (a terminal, a loopback or the wrong port?)' : '';
        throw new InstrumentError('identify', `expected ${this.expectedIdentity} to ${command}, got ${quoteReply(reply)}${echo}`, command);
      }
      this.identity = reply;
      return reply;
    });
  }

  configure(limits: Partial<InstrumentLimits> = {}): Promise<void> {
    const resolved = resolveLimits({ ...this.currentLimits, ...limits, readCompliance: limits.readCompliance ?? limits.compliance ?? this.currentLimits.readCompliance });
    return this.operate(async () => {
      this.invalidateCache();
      this.currentLimits = resolved;
      await this.doConfigure(resolved);
    });
  }

  get minPulseWidth(): number | null {
    return this.capabilities.minPulseWidth;
  }

  get virtual(): boolean {
    return isVirtualIdn(this.identity);
  }

  exchange(command: string): Promise<{ reply: string | null; touchesSafety: boolean }> {
    const touchesSafety = this.consoleRules.touchesSafety(command);
    return this.operate(async () => {
      // Whatever was typed, the driver no longer knows what the instrument is set to.
      this.invalidateCache();
      if (!this.consoleRules.expectsReply(command)) {
        await this.transport.write(command);
        return { reply: null, touchesSafety };
      }
      return { reply: await this.transport.query(command), touchesSafety };
    });
  }

  pulseRefusal(amplitude: number, width: number): string | null {
    try {
      assertPulseSafe(amplitude, width, this.currentLimits);
      this.checkPulseFeasible(amplitude, width);
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  }

  readRefusal(voltage: number): string | null {
    try {
      assertReadSafe(voltage, this.currentLimits);
      this.checkReadFeasible(voltage);
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  }

  stepRefusal(voltage: number, dwell: number, compliance: number): string | null {
    try {
      this.checkStep(voltage, dwell, compliance);
      return null;
    } catch (e) {
      return errorMessage(e);
    }
  }

  pulse(amplitude: number, width: number, options: PulseOptions = {}): Promise<PulseResult> {
    const { compliance } = options;
    try {
      if (compliance === undefined) {
        assertPulseSafe(amplitude, width, this.currentLimits);
        this.checkPulseFeasible(amplitude, width);
      } else this.checkStep(amplitude, width, compliance);
    } catch (e) {
      this.log.note(`refused: ${errorMessage(e)}`);
      return Promise.reject(e);
    }
    return this.operate(() => (compliance === undefined ? this.doPulse(amplitude, width) : this.doStep(amplitude, width, compliance)));
  }

  /** A sweep step is a pulse (limits, what the instrument can make) with its own compliance. */
  private checkStep(voltage: number, dwell: number, compliance: number): void {
    assertPulseSafe(voltage, dwell, this.currentLimits);
    this.checkPulseFeasible(voltage, dwell);
    assertComplianceSafe(compliance, this.currentLimits);
    const beyond = complianceBeyondCapabilities(compliance, this.capabilities, this.shortTitle);
    if (beyond !== null) throw new InstrumentError('unsafe', beyond);
  }

  read(voltage: number): Promise<DeviceReading> {
    try {
      assertReadSafe(voltage, this.currentLimits);
      this.checkReadFeasible(voltage);
    } catch (e) {
      this.log.note(`refused: ${errorMessage(e)}`);
      return Promise.reject(e);
    }
    return this.operate(() => this.doRead(voltage));
  }

  queryErrors(): Promise<string[]> {
    return this.operate(() => this.doQueryErrors(), false);
  }

  outputOff(reason = 'requested'): Promise<SafetyEvent> {
    return this.mutex.run(() => this.switchOff(reason));
  }

  async close(): Promise<void> {
    if (this.closedByUs) return;
    await this.mutex.run(async () => {
      if (this.closedByUs) return;
      if (this.transport.isOpen) await this.switchOff('close');
      this.closedByUs = true;
      await this.transport.close();
    });
  }

  onDisconnect(listener: (reason: string) => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  snapshot(): Record<string, unknown> {
    return {
      driver: this.driver,
      title: this.title,
      port: this.port,
      idn: this.identity,
      virtual: this.virtual,
      serial: { ...this.settings },
      limits: { ...this.currentLimits },
    };
  }

  /** Exchanges a query whose reply must parse; `parse` returns null for a garbled reply. */
  protected async ask<T>(
    command: string,
    parse: (reply: string) => T | null,
    expected: string,
    timeoutMs?: number,
    followedBy?: readonly string[],
  ): Promise<T> {
    const reply = await this.transport.query(command, { ...(timeoutMs === undefined ? {} : { timeoutMs }), ...(followedBy ? { followedBy } : {}) });
    const value = parse(reply);
    if (value === null) {
      this.log.note(`garbled reply to '${command}'`);
      throw new InstrumentError('protocol', `garbled reply to '${command}': ${quoteReply(reply)} (expected ${expected})`, command);
    }
    return value;
  }

  private assertUsable(): void {
    if (this.closedByUs) throw new InstrumentError('closed', `the instrument on ${this.port} was closed`);
    if (!this.transport.isOpen) {
      throw new InstrumentError('port-closed', `the port closed (${this.port}: ${this.transport.closeReason ?? 'closed'})`);
    }
  }

  /** One operation: alone on the line, after a resync if needed, output off if it fails. */
  private operate<T>(body: () => Promise<T>, switchOffOnError = true): Promise<T> {
    return this.mutex.run(async () => {
      this.assertUsable();
      try {
        if (this.needsResync) await this.resync();
        return await body();
      } catch (e) {
        this.invalidateCache();
        if (e instanceof InstrumentError && e.kind === 'timeout') this.needsResync = true;
        if (switchOffOnError) await this.switchOff(`after error: ${errorMessage(e)}`);
        throw e;
      }
    });
  }

  /**
   * After a timeout a late reply may still be on its way. Ask for the identity and discard every
   * line until it arrives, so the next reply read is the next command's.
   */
  private async resync(): Promise<void> {
    const idn = this.identity;
    this.log.note('resynchronising after a timeout');
    await this.transport.query(this.identifyCommand, { accept: (line) => idn === null || line === idn });
    this.needsResync = false;
  }

  private async switchOff(reason: string): Promise<SafetyEvent> {
    const confirm = !this.needsResync && this.transport.isOpen;
    const event: SafetyEvent = { t: Date.now(), action: 'output-off', reason, ok: true, confirmed: confirm };
    try {
      await this.doOutputOff(confirm);
    } catch (e) {
      event.ok = false;
      event.confirmed = false;
      event.error = errorMessage(e);
      if (e instanceof InstrumentError && e.kind === 'timeout') this.needsResync = true;
      this.invalidateCache();
    }
    this.events.push(event);
    this.log.note(event.ok ? `output off (${reason})${confirm ? '' : ', unconfirmed'}` : `output off FAILED (${reason}): ${event.error}`);
    return event;
  }
}
