import type { InstrumentState } from '../../../../shared/contract';
import { formatResource } from '../../../../shared/instruments/resource';
import { connectInstrument } from '../connect';
import type { ConsoleLog } from '../console-log';
import { errorMessage } from '../errors';
import type { Instrument } from '../instrument';
import type { InstrumentLimits } from '../limits';
import type { ConnectTarget } from './connection-config';

export interface ConnectionHooks {
  /** Every state change, in order (the event bus). */
  state(state: InstrumentState): void;
  /** Where the instrument's exchanged lines go (the console). */
  log: ConsoleLog;
  /** The limits to configure the instrument with when it connects (Settings). */
  limits(): Partial<InstrumentLimits>;
  /** The port closed under a connected instrument (cable pulled, emulator gone). */
  lost(instrument: Instrument, reason: string): void;
}

/**
 * One connection at a time and its visible state: connecting, connected (identified and
 * configured with the limits), disconnected, or an error saying what happened. Opening while one
 * is in progress returns the same promise; closing switches the output off first.
 */
export class Connection {
  private current: InstrumentState = { state: 'disconnected', port: null, idn: null, message: null };
  private instrument: Instrument | null = null;
  private opening: Promise<InstrumentState> | null = null;
  private closed = false;

  constructor(private readonly hooks: ConnectionHooks) {}

  state(): InstrumentState {
    return { ...this.current };
  }

  /** The connected instrument, or null. */
  get connected(): Instrument | null {
    return this.instrument !== null && this.instrument.connected ? this.instrument : null;
  }

  /** The open in progress, if any. */
  get connecting(): Promise<InstrumentState> | null {
    return this.opening;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether the connection settings are locked (connected or connecting). */
  get busy(): boolean {
    return this.current.state === 'connected' || this.current.state === 'connecting';
  }

  set(next: InstrumentState): void {
    this.current = next;
    this.hooks.state(this.state());
  }

  /** The same state with another message. */
  say(message: string | null): void {
    this.set({ ...this.current, message });
  }

  /** Opens, identifies and configures; resolves with the resulting state (an error state on failure). */
  open(target: ConnectTarget, note: string | null = null): Promise<InstrumentState> {
    this.opening ??= this.doOpen(target, note).finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** Output off, then the port released; the state goes to `disconnected`. */
  async disconnect(reason: 'disconnect' | 'close' = 'disconnect'): Promise<void> {
    if (this.opening) await this.opening.catch(() => undefined);
    const instrument = this.instrument;
    this.instrument = null;
    if (instrument) {
      await instrument.outputOff(reason);
      await instrument.close();
    }
    const next: InstrumentState = { state: 'disconnected', port: instrument?.port ?? this.current.port, idn: null, message: null };
    if (reason === 'close') this.current = next;
    else this.set(next);
  }

  /** App quit: no further opens; output off and the port released. */
  async close(): Promise<void> {
    this.closed = true;
    await this.disconnect('close');
  }

  private async doOpen(target: ConnectTarget, note: string | null): Promise<InstrumentState> {
    const port = formatResource(target.resource);
    this.set({ state: 'connecting', port, idn: null, message: note });
    let instrument: Instrument;
    try {
      instrument = await connectInstrument({ path: target.resource, driver: target.driver, serial: target.serial, log: this.hooks.log, limits: this.hooks.limits() });
    } catch (e) {
      this.set({ state: 'error', port, idn: null, message: `could not connect to ${port}: ${errorMessage(e)}` });
      return this.state();
    }
    if (this.closed) {
      await instrument.close();
      return this.state();
    }
    this.instrument = instrument;
    instrument.onDisconnect((reason) => {
      if (this.instrument !== instrument) return;
      this.instrument = null;
      this.hooks.lost(instrument, reason);
    });
    this.set({ state: 'connected', port: instrument.port, idn: instrument.idn, message: null });
    return this.state();
  }
}
