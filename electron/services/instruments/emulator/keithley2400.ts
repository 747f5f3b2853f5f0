import { formatScpiNumber } from '../numbers';
import type { DeviceUnderTest } from './dut';
import { ScpiError, ScpiPersonality, shortForm } from './scpi';

/**
 * A Keithley 2400 as seen over RS-232: the SCPI subset the workbench's driver and a careful user
 * would send, long or short keyword forms, ';'-separated commands, an error queue, and replies
 * ending in CR (the reply terminator is selectable on the real instrument; CR exercises the
 * driver's CR handling).
 */
const NOT_MEASURED = 9.91e37;
type Element = 'VOLT' | 'CURR' | 'RES' | 'TIME' | 'STAT';

interface State {
  outputOn: boolean;
  smod: string;
  func: string;
  mode: 'FIX' | 'LIST';
  level: number;
  range: number;
  list: number[];
  delay: number;
  autoClear: boolean;
  compliance: number;
  ovp: number;
  nplc: number;
  trigCount: number;
  elements: Element[];
  tripped: boolean;
}

const initialState = (): State => ({
  outputOn: false,
  smod: 'NORM',
  func: 'VOLT',
  mode: 'FIX',
  level: 0,
  range: 21,
  list: [],
  delay: 0,
  autoClear: false,
  compliance: 105e-6,
  ovp: 210,
  nplc: 1,
  trigCount: 1,
  elements: ['VOLT', 'CURR', 'RES', 'TIME', 'STAT'],
  tripped: false,
});

export class Keithley2400Personality extends ScpiPersonality {
  readonly replyTerminator = '\r';
  private s = initialState();
  readonly lineFrequency = 50;

  /** The serial field says VIRTUAL: manufacturer and model stay a real 2400's, so its parsers accept it. */
  constructor(dut: DeviceUnderTest, idn = 'KEITHLEY INSTRUMENTS INC.,MODEL 2400,VIRTUAL-4242424,C32   Oct  4 2010 14:20:11/A02  /S/K') {
    super(dut, idn);
  }

  protected reset(): void {
    this.s = initialState();
  }

  output(): { on: boolean; level: number } {
    const on = this.s.outputOn;
    return { on, level: on ? (this.s.mode === 'LIST' ? (this.s.list[0] ?? 0) : this.s.level) : 0 };
  }

  protected command(key: string, arg: string): string | null {
    const s = this.s;
    switch (key) {
      case 'OUTP':
      case 'OUTP:STAT':
        s.outputOn = this.bool(arg);
        return null;
      case 'OUTP?':
        return s.outputOn ? '1' : '0';
      case 'OUTP:SMOD':
        s.smod = this.choice(arg, ['ZERO', 'HIMP', 'NORM', 'GUAR']);
        return null;
      case 'SOUR:FUNC':
      case 'SOUR:FUNC:MODE':
        s.func = this.choice(arg, ['VOLT', 'CURR']);
        return null;
      case 'SOUR:VOLT:MODE':
        s.mode = this.choice(arg, ['FIX', 'LIST']) as 'FIX' | 'LIST';
        return null;
      case 'SOUR:VOLT:RANG':
        s.range = this.number(arg, 0, 210);
        return null;
      case 'SOUR:VOLT':
      case 'SOUR:VOLT:LEV':
        s.level = this.sourceValue(this.number(arg, -210, 210));
        return null;
      case 'SOUR:VOLT?':
        return formatScpiNumber(s.level);
      case 'SOUR:VOLT:PROT':
        s.ovp = this.number(arg, 0, 210);
        return null;
      case 'SOUR:LIST:VOLT':
        s.list = this.list(arg, 100);
        return null;
      case 'SOUR:LIST:VOLT:APP':
        s.list = [...s.list, ...this.list(arg, 100 - s.list.length)];
        return null;
      case 'SOUR:DEL':
        s.delay = this.number(arg, 0, 9999.999);
        return null;
      case 'SOUR:CLE:AUTO':
        s.autoClear = this.bool(arg);
        return null;
      case 'SENS:FUNC': {
        const f = arg.replace(/['"]/g, '').toUpperCase();
        if (!['CURR', 'CURR:DC'].includes(f)) throw new ScpiError(-224, 'Illegal parameter value');
        return null;
      }
      case 'SENS:FUNC:CONC':
        this.bool(arg);
        return null;
      case 'SENS:CURR:PROT':
      case 'SENS:CURR:PROT:LEV':
        s.compliance = this.number(arg, 1e-9, 1.05);
        return null;
      case 'SENS:CURR:PROT?':
        return formatScpiNumber(s.compliance);
      case 'SENS:CURR:PROT:TRIP?':
        return s.tripped ? '1' : '0';
      case 'SENS:CURR:RANG:AUTO':
        this.bool(arg);
        return null;
      case 'SENS:CURR:RANG':
        this.number(arg, 0, 1.05);
        return null;
      case 'SENS:CURR:NPLC':
        s.nplc = this.number(arg, 0.01, 10);
        return null;
      case 'FORM:ELEM':
      case 'FORM:ELEM:SENS': {
        const els = arg.split(',').map((e) => shortForm(e.trim())) as Element[];
        if (els.length === 0 || !els.every((e) => ['VOLT', 'CURR', 'RES', 'TIME', 'STAT'].includes(e))) throw new ScpiError(-224, 'Illegal parameter value');
        s.elements = els;
        return null;
      }
      case 'TRIG:COUN':
        s.trigCount = Math.round(this.number(arg, 1, 2500));
        return null;
      case 'SYST:LFR?':
        return String(this.lineFrequency);
      case 'ABOR':
        return null;
      case 'READ?':
        return this.read();
      default:
        throw new ScpiError(-113, 'Undefined header');
    }
  }

  /** INIT + FETCH: trigCount source–measure cycles; the reply holds the chosen elements of each. */
  private read(): string | null {
    const s = this.s;
    if (s.func !== 'VOLT') throw new ScpiError(-221, 'Settings conflict');
    if (!s.autoClear && !s.outputOn) throw new ScpiError(803, 'Output disabled');
    if (s.mode === 'LIST' && s.list.length === 0) throw new ScpiError(-221, 'Settings conflict');
    const integration = s.nplc / this.lineFrequency;
    const values: string[] = [];
    for (let k = 0; k < s.trigCount; k++) {
      const level = s.mode === 'LIST' ? s.list[k % s.list.length]! : s.level;
      if (s.autoClear) s.outputOn = true;
      const m = this.dut.cycle(level, s.delay + integration, s.compliance);
      if (s.autoClear) s.outputOn = false;
      s.tripped = m.tripped;
      for (const el of s.elements) {
        if (el === 'VOLT') values.push(formatScpiNumber(level));
        else if (el === 'CURR') values.push(formatScpiNumber(m.current));
        else if (el === 'RES') values.push(formatScpiNumber(NOT_MEASURED));
        else if (el === 'TIME') values.push(formatScpiNumber(m.t));
        else values.push(formatScpiNumber(m.tripped ? 8 : 0));
      }
    }
    return values.join(',');
  }

  private sourceValue(v: number): number {
    if (Math.abs(v) > this.s.ovp || Math.abs(v) > this.s.range * 1.05) throw new ScpiError(-222, 'Parameter data out of range');
    return v;
  }

  private list(arg: string, room: number): number[] {
    const values = arg.split(',').map((x) => this.sourceValue(this.number(x.trim(), -210, 210)));
    if (values.length > room) throw new ScpiError(-223, 'Too much data');
    return values;
  }
}
