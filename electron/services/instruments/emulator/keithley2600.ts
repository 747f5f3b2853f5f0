import { formatTspNumber } from '../numbers';
import type { DeviceUnderTest } from './dut';
import type { Personality } from './personality';

/**
 * A Keithley 2600B channel A as seen over RS-232 with TSP: one Lua statement per line from the
 * subset the driver uses (attribute assignments, reset, print of attributes or a measurement —
 * several, tab-separated —, delay, the PulseVMeasureI factory function and printbuffer). Replies end in LF. Anything else goes to
 * the error queue as a syntax error, as the instrument does, with no reply.
 */
const NUM = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;
const ASSIGN = new RegExp(String.raw`^smua\.(source|measure)\.(\w+)\s*=\s*(\S+)$`);
const PULSE = new RegExp(String.raw`^PulseVMeasureI\(\s*smua\s*,\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(${NUM})\s*,\s*(\d+)\s*\)$`);
const DELAY = new RegExp(String.raw`^delay\(\s*(${NUM})\s*\)$`);
const PRINTBUFFER = /^printbuffer\(\s*(\d+)\s*,\s*(smua\.nvbuffer1\.n|\d+)\s*,\s*smua\.nvbuffer1\.readings\s*\)$/;
const NOT_MEASURED = 9.91e37;

interface State {
  outputOn: boolean;
  func: 'DCVOLTS' | 'DCAMPS';
  levelv: number;
  rangev: number;
  autorangev: boolean;
  limiti: number;
  nplc: number;
  compliance: boolean;
}

const initialState = (): State => ({
  outputOn: false,
  func: 'DCVOLTS',
  levelv: 0,
  rangev: 200,
  autorangev: true,
  limiti: 100e-3,
  nplc: 1,
  compliance: false,
});

class TspError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class Keithley2600Personality implements Personality {
  readonly replyTerminator = '\n';
  readonly lineFrequency = 50;
  private s = initialState();
  private buffer: number[] = [];
  private readonly errors: { code: number; message: string }[] = [];

  constructor(
    private readonly dut: DeviceUnderTest,
    readonly idn = 'Keithley Instruments, Model 2602B, VIRTUAL-4343434, 3.3.5',
  ) {}

  output(): { on: boolean; level: number } {
    return { on: this.s.outputOn, level: this.s.outputOn ? this.s.levelv : 0 };
  }

  handle(line: string): string[] {
    const statement = line.trim();
    if (statement === '') return [];
    try {
      const r = this.execute(statement);
      return r === null ? [] : [r];
    } catch (e) {
      if (!(e instanceof TspError)) throw e;
      if (this.errors.length < 10) this.errors.push({ code: e.code, message: e.message });
      return [];
    }
  }

  private execute(st: string): string | null {
    if (st === '*IDN?') return this.idn;
    if (st === 'smua.reset()') {
      this.s = initialState();
      this.buffer = [];
      return null;
    }
    if (st === 'errorqueue.clear()') {
      this.errors.length = 0;
      return null;
    }
    if (st === 'smua.nvbuffer1.clear()') {
      this.buffer = [];
      return null;
    }
    const assign = ASSIGN.exec(st);
    if (assign) return this.assign(`${assign[1]}.${assign[2]}`, assign[3]!);
    const pulse = PULSE.exec(st);
    if (pulse) return this.pulseVMeasureI(pulse.slice(1, 6).map(Number) as [number, number, number, number, number]);
    const pb = PRINTBUFFER.exec(st);
    if (pb) return this.printbuffer(Number(pb[1]), pb[2] === 'smua.nvbuffer1.n' ? this.buffer.length : Number(pb[2]));
    const delay = DELAY.exec(st);
    if (delay) return this.delay(Number(delay[1]));
    const print = /^print\((.*)\)$/.exec(st);
    if (print) return print[1]!.split(',').map((e) => this.print(e.trim())).join('\t');
    throw new TspError(-285, `TSP Syntax error at line 1: unexpected symbol near \`${st.slice(0, 20)}'`);
  }

  private assign(target: string, value: string): null {
    const s = this.s;
    switch (target) {
      case 'source.func':
        if (value === 'smua.OUTPUT_DCVOLTS' || value === '1') s.func = 'DCVOLTS';
        else if (value === 'smua.OUTPUT_DCAMPS' || value === '0') s.func = 'DCAMPS';
        else throw this.badValue();
        return null;
      case 'source.output':
        if (value === 'smua.OUTPUT_ON' || value === '1') {
          if (Math.abs(s.levelv) > s.rangev * 1.01) throw new TspError(5007, 'Operation would exceed safe operating area of the instrument');
          s.outputOn = true;
        } else if (value === 'smua.OUTPUT_OFF' || value === '0') s.outputOn = false;
        else throw this.badValue();
        return null;
      case 'source.levelv': {
        const v = this.number(value);
        if (Math.abs(v) > s.rangev * 1.01) throw new TspError(-222, 'Parameter data out of range');
        s.levelv = v;
        return null;
      }
      case 'source.rangev':
        s.rangev = [0.2, 2, 20, 200].find((r) => r >= Math.abs(this.number(value))) ?? 200;
        return null;
      case 'source.autorangev':
        s.autorangev = this.onOff(value);
        if (s.autorangev) s.rangev = 200;
        return null;
      case 'source.limiti':
        s.limiti = this.number(value);
        if (!(s.limiti > 0 && s.limiti <= 3)) throw new TspError(-222, 'Parameter data out of range');
        return null;
      case 'measure.nplc': {
        const n = this.number(value);
        if (!(n >= 0.001 && n <= 25)) throw new TspError(-222, 'Parameter data out of range');
        s.nplc = n;
        return null;
      }
      case 'measure.autorangei':
        this.onOff(value);
        return null;
      default:
        throw new TspError(-285, `TSP Syntax error at line 1: unknown attribute smua.${target}`);
    }
  }

  private print(expr: string): string {
    const s = this.s;
    switch (expr) {
      case 'smua.measure.i()': {
        if (!s.outputOn) {
          this.errors.push({ code: 5042, message: 'Cannot perform requested operation while source autorange is enabled or output is off' });
          return formatTspNumber(NOT_MEASURED);
        }
        const m = this.dut.cycle(s.levelv, s.nplc / this.lineFrequency, s.limiti);
        s.compliance = m.tripped;
        return formatTspNumber(m.current);
      }
      case 'smua.source.limiti':
        return formatTspNumber(s.limiti);
      case 'smua.source.levelv':
        return formatTspNumber(s.levelv);
      case 'smua.source.output':
        return formatTspNumber(s.outputOn ? 1 : 0);
      case 'smua.source.compliance':
        return s.outputOn && s.compliance ? 'true' : 'false';
      case 'errorqueue.count':
        return formatTspNumber(this.errors.length);
      case 'localnode.linefreq':
        return formatTspNumber(this.lineFrequency);
      case 'errorqueue.next()': {
        const e = this.errors.shift();
        return e
          ? `${formatTspNumber(e.code)}\t${e.message}\t${formatTspNumber(2)}\t${formatTspNumber(0)}`
          : `${formatTspNumber(0)}\tQueue Is Empty\t${formatTspNumber(0)}\t${formatTspNumber(0)}`;
      }
      default:
        throw new TspError(-285, `TSP Syntax error at line 1: cannot print ${expr.slice(0, 30)}`);
    }
  }

  /** delay(s): the instrument waits, its output (and the device) held where it is. */
  private delay(seconds: number): null {
    if (!(seconds >= 0 && seconds <= 1e4)) throw new TspError(-222, 'Parameter data out of range');
    if (this.s.outputOn) this.dut.hold(this.s.levelv, seconds, this.s.limiti);
    else this.dut.elapse(seconds);
    return null;
  }

  /** The factory script: `points` pulses to `level` for ton, back to `bias` for toff; the output stays on at bias. */
  private pulseVMeasureI([bias, level, ton, toff, points]: [number, number, number, number, number]): null {
    const s = this.s;
    if (s.func !== 'DCVOLTS') throw new TspError(-221, 'Settings conflict');
    if (Math.abs(level) > s.rangev * 1.01 || Math.abs(bias) > s.rangev * 1.01) throw new TspError(-222, 'Parameter data out of range');
    if (!(ton > 0) || !(toff >= 0) || !(points >= 1)) throw new TspError(-222, 'Parameter data out of range');
    s.outputOn = true;
    for (let k = 0; k < points; k++) {
      s.levelv = level;
      const m = this.dut.cycle(level, ton, s.limiti);
      s.compliance = m.tripped;
      this.buffer.push(m.current);
      s.levelv = bias;
      if (bias === 0) this.dut.elapse(toff);
      else this.dut.cycle(bias, toff, s.limiti);
    }
    return null;
  }

  private printbuffer(start: number, end: number): string {
    if (start < 1 || end > this.buffer.length || start > end) throw new TspError(-222, 'Parameter data out of range');
    return this.buffer.slice(start - 1, end).map(formatTspNumber).join(', ');
  }

  private number(text: string): number {
    if (!new RegExp(`^${NUM}$`).test(text)) throw this.badValue();
    return Number(text);
  }

  private onOff(value: string): boolean {
    if (value === 'smua.AUTORANGE_ON' || value === '1') return true;
    if (value === 'smua.AUTORANGE_OFF' || value === '0') return false;
    throw this.badValue();
  }

  private badValue(): TspError {
    return new TspError(-285, 'TSP Syntax error at line 1: unexpected value');
  }
}
