import { realTimers, type Timers } from '../clock';
import { ConsoleLog } from '../console-log';
import { InstrumentError, formatDuration } from '../errors';
import { LineSplitter } from '../line-splitter';
import type { SerialSettings } from '../settings';
import type { Link } from './link';

/**
 * The line-oriented transport every driver talks through, whatever the link (serial, TCP,
 * usbtmc, GPIB through a Prologix controller): commands go out one at a time, a query waits for
 * one reply line and never longer than its timeout, replies may end in CR, LF or CRLF, and when
 * the link closes every waiting command fails with 'the port closed' (kind 'port-closed')
 * instead of hanging.
 */
export interface QueryOptions {
  timeoutMs?: number;
  /** Lines this refuses are logged as discarded and the query keeps waiting (resynchronisation). */
  accept?: (line: string) => boolean;
  /**
   * Commands without replies sent right after this one, before its reply arrives (e.g. output off
   * after a measurement): the instrument runs them in order, a round trip sooner. On links that
   * read on request they follow the reply instead.
   */
  followedBy?: readonly string[];
}

/** How command text becomes bytes on the link, and how a reply is asked for. */
export interface Framing {
  command(text: string): string;
  /** Sent after a query's bytes so the reply comes ('' when it comes by itself). */
  readRequest: string;
}

export interface TransportParts {
  link: Link;
  framing: Framing;
  /** The resource for messages and provenance, e.g. '/dev/ttyUSB0' or 'TCPIP::10.0.0.5::5025::SOCKET'. */
  resource: string;
  settings: SerialSettings;
  log?: ConsoleLog | undefined;
  /** Lines for which this is true are logged and otherwise ignored (e.g. a board's '#' comments). */
  isComment?: ((line: string) => boolean) | undefined;
  /** The timers reply timeouts are armed on (real ones by default). */
  timers?: Timers | undefined;
}

interface Pending {
  command: string;
  accept: ((line: string) => boolean) | undefined;
  resolve(line: string): void;
  reject(error: InstrumentError): void;
  timer: unknown;
  after: readonly string[];
}

export class LineTransport {
  readonly log: ConsoleLog;
  readonly settings: SerialSettings;
  /** What was opened, as a resource string (a serial port's bare path). */
  readonly path: string;
  private readonly link: Link;
  private readonly framing: Framing;
  private readonly isComment: ((line: string) => boolean) | undefined;
  private readonly timers: Timers;
  private pending: Pending | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private closedReason: string | null = null;
  private readonly closeListeners = new Set<(reason: string) => void>();
  private readonly splitter: LineSplitter;

  /** Takes an open link; `attach` wires its events here (see openTransport). */
  constructor(parts: TransportParts) {
    this.link = parts.link;
    this.framing = parts.framing;
    this.path = parts.resource;
    this.settings = parts.settings;
    this.log = parts.log ?? new ConsoleLog();
    this.isComment = parts.isComment;
    this.timers = parts.timers ?? realTimers;
    this.splitter = new LineSplitter((line) => this.onLine(line));
  }

  /** The link's events, routed here. */
  readonly events = {
    data: (chunk: Buffer) => this.splitter.push(chunk),
    closed: (reason: string) => this.markClosed(reason),
    note: (text: string) => this.log.note(text),
  };

  get isOpen(): boolean {
    return this.closedReason === null;
  }

  /** Why the link closed, or null while it is open. */
  get closeReason(): string | null {
    return this.closedReason;
  }

  /** Called once when the link closes for any reason; returns the unsubscribe function. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Sends a command that has no reply. Resolves once it is queued for the line, in order. */
  write(command: string): Promise<void> {
    return this.enqueue(() => {
      this.send(command, this.framing.command(command));
    });
  }

  /** Sends a command and resolves with its reply line. */
  query(command: string, options: QueryOptions = {}): Promise<string> {
    return this.ask(command, this.framing.command(command) + this.framing.readRequest, options);
  }

  /** A line for the link itself (a Prologix `++` command), sent as is; no reply expected. */
  control(line: string): Promise<void> {
    return this.enqueue(() => {
      this.send(line, `${line}\n`);
    });
  }

  /** A line for the link itself that has a reply (`++ver`). */
  controlQuery(line: string, timeoutMs?: number): Promise<string> {
    return this.ask(line, `${line}\n`, timeoutMs === undefined ? {} : { timeoutMs });
  }

  /** Discards whatever has been received and not yet read. */
  async flushInput(): Promise<void> {
    if (!this.isOpen) return;
    this.splitter.reset();
    await this.link.discardInput();
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    await this.link.close();
    this.markClosed('closed by the workbench');
  }

  private ask(command: string, bytes: string, options: QueryOptions): Promise<string> {
    return this.enqueue(
      () =>
        new Promise<string>((resolve, reject) => {
          const timeoutMs = options.timeoutMs ?? this.settings.timeoutMs;
          const after = options.followedBy ?? [];
          const timer = this.timers.set(() => {
            if (this.pending?.timer !== timer) return;
            this.pending = null;
            this.log.note(`no reply to '${command}' within ${formatDuration(timeoutMs)}`);
            reject(new InstrumentError('timeout', `no reply to '${command}' within ${formatDuration(timeoutMs)}`, command));
          }, timeoutMs);
          const waitForReply = this.link.readsOnRequest;
          this.pending = { command, accept: options.accept, resolve, reject, timer, after: waitForReply ? after : [] };
          this.send(command, bytes);
          if (waitForReply) this.link.read();
          else for (const next of after) this.send(next, this.framing.command(next));
        }),
    );
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

  private send(text: string, bytes: string): void {
    if (this.closedReason !== null) throw this.closedError();
    this.log.add('out', text);
    this.link.write(bytes);
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
    for (const next of p.after) if (this.isOpen) this.send(next, this.framing.command(next));
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
