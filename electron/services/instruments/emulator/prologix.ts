import { unescapePrologix } from '../transport/prologix';
import type { Personality } from './personality';

/**
 * An emulated Prologix GPIB-USB (or GPIB-Ethernet) controller with one instrument on its bus at
 * `address`. Host lines starting with `++` configure the controller; any other line is unescaped
 * (ESC before CR, LF, ESC or '+') and passed to the instrument if the controller addresses it —
 * a command to an empty address goes nowhere, as on a real bus. The instrument's replies wait in
 * its output queue until the host sends `++read` (or, with `++auto 1`, are read after every
 * command).
 */
export const PROLOGIX_VERSION = 'Prologix GPIB-USB Controller version 6.107';

export class PrologixController implements Personality {
  readonly replyTerminator: string;
  private mode = 1;
  private addr = 0;
  private auto = 1;
  private eoi = 1;
  private eos = 0;
  private readTimeoutMs = 500;
  /** Replies the instrument has made and the host has not read. */
  private queue: string[] = [];

  constructor(
    private readonly instrument: Personality,
    /** The instrument's primary GPIB address. */
    readonly address: number,
    readonly version = PROLOGIX_VERSION,
  ) {
    this.replyTerminator = instrument.replyTerminator;
  }

  get idn(): string {
    return this.instrument.idn;
  }

  /** The controller's settings, for tests: what the host configured. */
  settings(): { mode: number; addr: number; auto: number; eoi: number; eos: number; readTimeoutMs: number } {
    return { mode: this.mode, addr: this.addr, auto: this.auto, eoi: this.eoi, eos: this.eos, readTimeoutMs: this.readTimeoutMs };
  }

  output(): { on: boolean; level: number } {
    return this.instrument.output();
  }

  /** Splits on CR or LF only where they are not escaped, keeping the escapes for handle(). */
  splitLines(onLine: (raw: string) => void): { push(chunk: Buffer): void; reset(): void } {
    let pending = '';
    let escaped = false;
    return {
      push(chunk) {
        for (const c of chunk.toString('latin1')) {
          if (escaped) {
            pending += c;
            escaped = false;
          } else if (c === '\x1b') {
            pending += c;
            escaped = true;
          } else if (c === '\r' || c === '\n') {
            if (pending !== '') onLine(pending);
            pending = '';
          } else pending += c;
        }
      },
      reset() {
        pending = '';
        escaped = false;
      },
    };
  }

  handle(raw: string): string[] {
    if (raw.startsWith('++')) return this.controller(raw.slice(2).trim());
    if (this.mode !== 1 || this.addr !== this.address) return []; // nobody listens at that address
    this.queue.push(...this.instrument.handle(unescapePrologix(raw)));
    return this.auto === 1 ? this.read() : [];
  }

  private read(): string[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  private controller(line: string): string[] {
    const [name = '', value] = line.split(/\s+/);
    const n = value === undefined ? null : Number(value);
    switch (name.toLowerCase()) {
      case 'ver':
        return [this.version];
      case 'mode':
        if (n === null) return [String(this.mode)];
        this.mode = n === 0 ? 0 : 1;
        return [];
      case 'addr':
        if (n === null) return [String(this.addr)];
        if (Number.isInteger(n) && n >= 0 && n <= 30) this.addr = n;
        return [];
      case 'auto':
        if (n === null) return [String(this.auto)];
        this.auto = n === 1 ? 1 : 0;
        return [];
      case 'eoi':
        if (n === null) return [String(this.eoi)];
        this.eoi = n === 0 ? 0 : 1;
        return [];
      case 'eos':
        if (n === null) return [String(this.eos)];
        if (n !== null && [0, 1, 2, 3].includes(n)) this.eos = n;
        return [];
      case 'read_tmo_ms':
        if (n === null) return [String(this.readTimeoutMs)];
        if (n >= 1 && n <= 3000) this.readTimeoutMs = n;
        return [];
      case 'read':
        // '++read eoi' (or a character, or nothing): what the addressed instrument has to say.
        return this.addr === this.address ? this.read() : [];
      case 'savecfg':
      case 'clr':
      case 'ifc':
      case 'loc':
      case 'llo':
      case 'rst':
        return [];
      default:
        // The controller ignores what it does not know.
        return [];
    }
  }
}
