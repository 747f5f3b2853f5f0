import { SerialPort } from 'serialport';
import { realTimers, type Timers } from './clock';
import { ConsoleLog } from './console-log';
import { InstrumentError, errorMessage, formatDuration } from './errors';
import { LineSplitter } from './line-splitter';
import { TERMINATOR_BYTES, type SerialSettings } from './settings';

/**
 * A line-oriented serial transport: commands go out one at a time with the configured terminator,
 * a query waits for one reply line and never longer than its timeout, and when the port closes or
 * vanishes every waiting command fails with 'the port closed' instead of hanging.
 */
export interface TransportOptions {
  settings: SerialSettings;
  log?: ConsoleLog;
  /** Lines for which this is true are logged and otherwise ignored (e.g. a board's '#' comments). */
  isComment?: (line: string) => boolean;
  /** The timers reply timeouts are armed on (real ones by default). */
  timers?: Timers;
}

export interface QueryOptions {
  timeoutMs?: number;
  /** Lines this refuses are logged as discarded and the query keeps waiting (resynchronisation). */
  accept?: (line: string) => boolean;
  /**
   * Commands without replies sent right after this one, before its reply arrives (e.g. output off
   * after a measurement): the instrument runs them in order, a round trip sooner.
   */
  followedBy?: readonly string[];
}

interface Pending {
  command: string;
  accept: ((line: string) => boolean) | undefined;
  resolve(line: string): void;
  reject(error: InstrumentError): void;
  timer: unknown;
}

export class SerialTransport {
  readonly log: ConsoleLog;
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closedReason: string | null = null;
  private closingByUs = false;
  private readonly closeListeners = new Set<(reason: string) => void>();
  private readonly splitter: LineSplitter;
  private readonly terminator: string;

  private constructor(
    readonly path: string,
    private readonly port: SerialPort,
    readonly settings: SerialSettings,
    private readonly isComment: ((line: string) => boolean) | undefined,
    log: ConsoleLog,
    private readonly timers: Timers,
  ) {
    this.log = log;
    this.terminator = TERMINATOR_BYTES[settings.writeTerminator];
    this.splitter = new LineSplitter((line) => this.onLine(line));
    port.on('data', (chunk: Buffer) => this.splitter.push(chunk));
    port.on('close', (err?: Error & { disconnected?: boolean }) => {
      const reason = this.closingByUs ? 'closed by the workbench' : err?.disconnected ? 'the device disconnected' : err ? err.message : 'closed';
      this.markClosed(reason);
    });
    port.on('error', (err: Error) => {
      this.log.note(`port error: ${err.message}`);
      if (!port.isOpen) this.markClosed(err.message);
    });
  }

  static async open(path: string, options: TransportOptions): Promise<SerialTransport> {
    const { settings } = options;
    const log = options.log ?? new ConsoleLog();
    const port = new SerialPort({
      path,
      baudRate: settings.baudRate,
      dataBits: settings.dataBits,
      parity: settings.parity,
      stopBits: settings.stopBits,
      rtscts: false,
      xon: false,
      xoff: false,
      autoOpen: false,
    });
    log.note(`opening ${path} at ${settings.baudRate} baud, ${settings.dataBits}${settings.parity[0]!.toUpperCase()}${settings.stopBits}`);
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (e) {
      log.note(`could not open ${path}: ${errorMessage(e)}`);
      throw new InstrumentError('open-failed', `could not open ${path}: ${cleanOpenError(errorMessage(e))}`);
    }
    const transport = new SerialTransport(path, port, settings, options.isComment, log, options.timers ?? realTimers);
    if (settings.openDelayMs > 0) await new Promise((r) => setTimeout(r, settings.openDelayMs));
    await transport.flushInput();
    return transport;
  }

  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** Why the port closed, or null while it is open. */
  get closeReason(): string | null {
    return this.closedReason;
  }

  /** Called once when the port closes for any reason; returns the unsubscribe function. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Sends a command that has no reply. Resolves once it is queued for the line, in order. */
  write(command: string): Promise<void> {
    return this.enqueue(() => {
      this.send(command);
    });
  }

  /** Sends a command and resolves with its reply line. */
  query(command: string, options: QueryOptions = {}): Promise<string> {
    return this.enqueue(
      () =>
        new Promise<string>((resolve, reject) => {
          const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs;
          const timer = this.timers.set(() => {
            if (this.pending?.timer !== timer) return;
            this.pending = null;
            this.log.note(`no reply to '${command}' within ${formatDuration(timeoutMs)}`);
            reject(new InstrumentError('timeout', `no reply to '${command}' within ${formatDuration(timeoutMs)}`, command));
          }, timeoutMs);
          this.pending = { command, accept: options.accept, resolve, reject, timer };
          this.send(command);
          for (const next of options.followedBy ?? []) this.send(next);
        }),
    );
  }

  /** Discards whatever the port has received and not yet read. */
  async flushInput(): Promise<void> {
    if (!this.isOpen) return;
    this.splitter.reset();
    await new Promise<void>((resolve) => this.port.flush(() => resolve()));
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    this.closingByUs = true;
    await new Promise<void>((resolve) => {
      // Let queued bytes (an output-off command) reach the line before the port goes.
      this.port.drain(() => this.port.close(() => resolve()));
    });
    this.markClosed('closed by the workbench');
  }

  private enqueue<T>(step: () => T | Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closedReason !== null) throw this.closedError();
      return step();
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private send(command: string): void {
    if (this.closedReason !== null) throw this.closedError();
    this.log.add('out', command);
    this.port.write(command + this.terminator, 'latin1', (err) => {
      if (err) {
        this.log.note(`write of '${command}' failed: ${err.message}`);
        if (!this.port.isOpen) this.markClosed(err.message);
      }
    });
  }

  private onLine(line: string): void {
    this.log.add('in', line);
    if (this.isComment?.(line)) return;
    const p = this.pending;
    if (!p) {
      this.log.note('unsolicited line discarded');
      return;
    }
    if (p.accept && !p.accept(line)) {
      this.log.note(`discarded while waiting for the reply to '${p.command}'`);
      return;
    }
    this.timers.clear(p.timer);
    this.pending = null;
    p.resolve(line);
  }

  private closedError(command?: string): InstrumentError {
    const what = command ? ` while waiting for the reply to '${command}'` : '';
    return new InstrumentError('port-closed', `the port closed${what} (${this.path}: ${this.closedReason ?? 'closed'})`, command);
  }

  private markClosed(reason: string): void {
    if (this.closedReason !== null) return;
    this.closedReason = reason;
    this.log.note(`port closed: ${reason}`);
    const p = this.pending;
    if (p) {
      this.timers.clear(p.timer);
      this.pending = null;
      p.reject(this.closedError(p.command));
    }
    for (const l of this.closeListeners) l(reason);
    this.closeListeners.clear();
  }
}

/** serialport's open errors read "Error: No such file or directory, cannot open X"; keep the cause. */
function cleanOpenError(message: string): string {
  return message.replace(/^Error:\s*/, '').replace(/, cannot open .*$/, '');
}
