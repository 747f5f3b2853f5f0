import { formatScpiNumber } from '../numbers';
import type { DeviceUnderTest } from './dut';
import { ScpiError, ScpiPersonality } from './scpi';

/**
 * A Keithley 2450 in its SCPI command set, as the workbench's driver and a careful user drive it:
 * `:SOUR:VOLT:ILIM` (the current limit while sourcing voltage), `:SOUR:VOLT:PROT PROT<n>` in its
 * fixed steps (a level above the protection is refused), `:OUTP ON|OFF`, `:READ?` with buffer
 * elements, `:MEAS:CURR?`, `:SOUR:VOLT:ILIM:TRIP?`. A measurement needs the output on (unlike the
 * 2400 it has no automatic output-off); it lasts the source delay plus the integration time.
 * Replies end in LF, as on its LAN socket.
 */
const OVP_STEPS = [2, 5, 10, 20, 40, 60, 80, 100, 120, 140, 160, 180];
const RANGES = [0.02, 0.2, 2, 20, 200];

interface State {
  outputOn: boolean;
  func: 'VOLT' | 'CURR';
  level: number;
  range: number;
  ilim: number;
  /** 'PROT5' … 'PROTNONE'. */
  prot: string;
  delay: number;
  nplc: number;
  tripped: boolean;
  sense: string;
}

const initialState = (): State => ({
  outputOn: false,
  func: 'VOLT',
  level: 0,
  range: 200,
  ilim: 105e-6,
  prot: 'PROTNONE',
  delay: 0,
  nplc: 1,
  tripped: false,
  sense: 'CURR',
});

export class Keithley2450Personality extends ScpiPersonality {
  readonly replyTerminator = '\n';
  readonly lineFrequency = 50;
  private s = initialState();

  constructor(dut: DeviceUnderTest, idn = 'KEITHLEY INSTRUMENTS,MODEL 2450,VIRTUAL-04096331,1.7.7b') {
    super(dut, idn, '0,"No error;0;0 0"');
  }

  protected reset(): void {
    this.s = initialState();
  }

  output(): { on: boolean; level: number } {
    return { on: this.s.outputOn, level: this.s.outputOn ? this.s.level : 0 };
  }

  protected override common(header: string, arg: string): string | null {
    if (header === '*LANG?') return 'SCPI';
    return super.common(header, arg);
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
      case 'OUTP:VOLT:SMOD':
        this.choice(arg, ['NORMAL', 'HIMPEDANCE', 'ZERO', 'GUARD']);
        return null;
      case 'SOUR:FUNC':
        s.func = this.choice(arg, ['VOLTAGE', 'CURRENT']) === 'VOLTAGE' ? 'VOLT' : 'CURR';
        return null;
      case 'SOUR:VOLT:RANG':
        s.range = RANGES.find((r) => r >= this.number(arg, 0, 210)) ?? 200;
        return null;
      case 'SOUR:VOLT:RANG:AUTO':
        this.bool(arg);
        return null;
      case 'SOUR:VOLT':
      case 'SOUR:VOLT:LEV':
        s.level = this.sourceValue(this.number(arg, -210, 210));
        return null;
      case 'SOUR:VOLT?':
        return formatScpiNumber(s.level);
      case 'SOUR:VOLT:ILIM':
      case 'SOUR:VOLT:ILIM:LEV':
        s.ilim = this.number(arg, 1e-9, 1.05);
        return null;
      case 'SOUR:VOLT:ILIM?':
        return formatScpiNumber(s.ilim);
      case 'SOUR:VOLT:ILIM:TRIP?':
        return s.tripped ? '1' : '0';
      case 'SOUR:VOLT:PROT': {
        const step = arg.trim().toUpperCase();
        if (step !== 'PROTNONE' && !OVP_STEPS.some((v) => `PROT${v}` === step)) throw new ScpiError(-224, 'Illegal parameter value');
        s.prot = step;
        return null;
      }
      case 'SOUR:VOLT:PROT?':
        return s.prot;
      case 'SOUR:VOLT:DEL':
        s.delay = this.number(arg, 0, 10_000);
        return null;
      case 'SENS:FUNC':
        s.sense = this.choice(arg, ['CURRENT', 'VOLTAGE']) === 'CURRENT' ? 'CURR' : 'VOLT';
        return null;
      case 'SENS:CURR:RANG:AUTO':
        this.bool(arg);
        return null;
      case 'SENS:CURR:NPLC':
        s.nplc = this.number(arg, 0.01, 10);
        return null;
      case 'SYST:LFR?':
        return String(this.lineFrequency);
      case 'READ?':
        return this.read(arg);
      case 'MEAS:CURR?':
        return formatScpiNumber(this.measure().current);
      case 'ABOR':
        return null;
      default:
        throw new ScpiError(-113, 'Undefined header');
    }
  }

  /** `:READ? "defbuffer1", SOUR, READ`: the chosen elements of one new measurement (default: the reading). */
  private read(arg: string): string {
    const parts = arg === '' ? [] : arg.split(',').map((p) => p.trim());
    if (parts.length > 0 && !/^"defbuffer[12]"$/i.test(parts[0]!)) throw new ScpiError(-224, 'Illegal parameter value');
    const elements = parts.length > 1 ? parts.slice(1).map((e) => e.toUpperCase()) : ['READ'];
    if (!elements.every((e) => ['READ', 'READING', 'SOUR', 'SOURCE', 'REL', 'RELATIVE'].includes(e))) throw new ScpiError(-224, 'Illegal parameter value');
    const m = this.measure();
    return elements.map((e) => formatScpiNumber(e.startsWith('SOUR') ? this.s.level : e.startsWith('REL') ? m.t : m.current)).join(',');
  }

  private measure(): { current: number; t: number } {
    const s = this.s;
    if (s.func !== 'VOLT' || s.sense !== 'CURR') throw new ScpiError(-221, 'Settings conflict');
    // The 2450 measures only with the output on: -5074 "Output must be on".
    if (!s.outputOn) throw new ScpiError(5074, 'Output must be on for the measurement');
    const m = this.dut.cycle(s.level, s.delay + s.nplc / this.lineFrequency, s.ilim);
    s.tripped = m.tripped;
    return { current: m.current, t: m.t };
  }

  private sourceValue(v: number): number {
    const prot = this.s.prot === 'PROTNONE' ? Infinity : Number(this.s.prot.slice(4));
    if (Math.abs(v) > prot || Math.abs(v) > this.s.range * 1.05) throw new ScpiError(-222, 'Parameter data out of range');
    return v;
  }
}
