import type { DeviceUnderTest } from './dut';
import type { Personality } from './personality';

/**
 * What every emulated SCPI instrument shares: long or short keyword forms, ';'-separated
 * commands on one line (queries answered on one line, ';'-separated), the IEEE 488.2 common
 * commands, an error queue read with :SYST:ERR?, and argument parsing that puts a SCPI error in
 * the queue (and answers nothing) for what the instrument would refuse.
 */

/** SCPI short form: the first four letters, or three when the fourth is a vowel. */
export function shortForm(keyword: string): string {
  const k = keyword.toUpperCase();
  if (k.length <= 4) return k;
  return 'AEIOU'.includes(k[3]!) ? k.slice(0, 3) : k.slice(0, 4);
}

export class ScpiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export abstract class ScpiPersonality implements Personality {
  abstract readonly replyTerminator: string;
  private readonly errors: { code: number; message: string }[] = [];

  constructor(
    protected readonly dut: DeviceUnderTest,
    readonly idn: string,
    /** The error queue's empty reply: '0,"No error"' (2400), '+0,"No error"' (B2900)… */
    private readonly noError = '0,"No error"',
  ) {}

  abstract output(): { on: boolean; level: number };
  /** Back to the power-on state (*RST). */
  protected abstract reset(): void;
  /**
   * One command, its header in short form ('SOUR:VOLT:PROT', a query ending in '?') and its
   * argument text; the reply, or null. Unknown headers throw ScpiError(-113).
   */
  protected abstract command(key: string, arg: string): string | null;

  handle(line: string): string[] {
    const replies: string[] = [];
    for (const part of line.split(';')) {
      const command = part.trim();
      if (command === '') continue;
      try {
        const r = this.execute(command);
        if (r !== null) replies.push(r);
      } catch (e) {
        if (!(e instanceof ScpiError)) throw e;
        if (this.errors.length < 10) this.errors.push({ code: e.code, message: e.message });
      }
    }
    // Several queries on one line answer on one line, separated by ';' as the instruments do.
    return replies.length === 0 ? [] : [replies.join(';')];
  }

  private execute(command: string): string | null {
    const space = command.search(/\s/);
    const header = space < 0 ? command : command.slice(0, space);
    const arg = space < 0 ? '' : command.slice(space + 1).trim();
    if (header.startsWith('*')) return this.common(header.toUpperCase(), arg);
    const query = header.endsWith('?');
    const path = header
      .replace(/\?$/, '')
      .replace(/^:/, '')
      .split(':')
      .map((k) => shortForm(k.replace(/\d+$/, '')))
      .join(':');
    const key = query ? `${path}?` : path;
    if (key === 'SYST:ERR?' || key === 'SYST:ERR:NEXT?') {
      const e = this.errors.shift();
      return e ? `${e.code},"${e.message}"` : this.noError;
    }
    return this.command(key, arg);
  }

  protected common(header: string, _arg: string): string | null {
    switch (header) {
      case '*IDN?':
        return this.idn;
      case '*RST':
        this.reset();
        return null;
      case '*CLS':
        this.errors.length = 0;
        return null;
      case '*OPC?':
        return '1';
      case '*WAI':
        return null;
      default:
        throw new ScpiError(-113, 'Undefined header');
    }
  }

  protected number(arg: string, min: number, max: number): number {
    const a = arg.toUpperCase();
    const x = a === 'MIN' ? min : a === 'MAX' || a === 'DEF' ? max : /^[+-]?(\d+\.?\d*|\.\d+)(E[+-]?\d+)?$/.test(a) ? Number(a) : NaN;
    if (Number.isNaN(x)) throw new ScpiError(-120, 'Numeric data error');
    if (x < min || x > max) throw new ScpiError(-222, 'Parameter data out of range');
    return x;
  }

  protected bool(arg: string): boolean {
    const a = arg.toUpperCase();
    if (a === 'ON' || a === '1') return true;
    if (a === 'OFF' || a === '0') return false;
    throw new ScpiError(-224, 'Illegal parameter value');
  }

  protected choice<T extends string>(arg: string, options: readonly T[]): T {
    const a = shortForm(arg.trim().replace(/['"]/g, ''));
    const hit = options.find((o) => shortForm(o) === a);
    if (!hit) throw new ScpiError(-224, 'Illegal parameter value');
    return hit;
  }

  /** A channel list such as '(@1)' after a query: only channel 1 exists here. */
  protected channel(arg: string): void {
    if (arg !== '' && !/^\(@1\)$/.test(arg.replace(/\s/g, ''))) throw new ScpiError(-224, 'Illegal parameter value');
  }
}
