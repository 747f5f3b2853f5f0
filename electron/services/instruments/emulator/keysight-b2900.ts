import { formatScpiNumber } from '../numbers';
import type { DeviceUnderTest } from './dut';
import { ScpiError, ScpiPersonality } from './scpi';

/**
 * A Keysight B2901A channel 1 as its driver drives it: DC or pulsed voltage source, compliance
 * with `:SENS:CURR:PROT` (and its TRIP? flag), pulse mode (`:SOUR:FUNC:SHAP PULS`, a base of
 * `:SOUR:VOLT`, a peak of `:SOUR:VOLT:TRIG`, `:SOUR:PULS:DEL` and `:SOUR:PULS:WIDT`, measured at
 * `:TRIG:ACQ:DEL` after the pulse starts), `:INIT` and `:FETC:ARR:CURR?`, and `:MEAS:CURR?` for
 * a DC read. The output must be on for either. Its shortest pulse is 50 µs. Replies end in LF.
 */
const RANGES = [0.2, 2, 20, 200];
const MIN_WIDTH = 50e-6;

interface State {
  outputOn: boolean;
  shape: 'DC' | 'PULS';
  level: number;
  trig: number;
  range: number;
  width: number;
  pulseDelay: number;
  acqDelay: number;
  compliance: number;
  nplc: number;
  aperture: number | null;
  tripped: boolean;
  /** The readings of the last :INIT, for :FETC:ARR:CURR?. */
  fetched: number[] | null;
}

const initialState = (): State => ({
  outputOn: false,
  shape: 'DC',
  level: 0,
  trig: 0,
  range: 200,
  width: 1e-4,
  pulseDelay: 0,
  acqDelay: 0,
  compliance: 1e-4,
  nplc: 1,
  aperture: null,
  tripped: false,
  fetched: null,
});

export class KeysightB2900Personality extends ScpiPersonality {
  readonly replyTerminator = '\n';
  readonly lineFrequency = 50;
  private s = initialState();

  constructor(dut: DeviceUnderTest, idn = 'Keysight Technologies,B2901A,VIRTUAL-MY51140123,3.4.2011.5100') {
    super(dut, idn, '+0,"No error"');
  }

  protected reset(): void {
    this.s = initialState();
  }

  output(): { on: boolean; level: number } {
    return { on: this.s.outputOn, level: this.s.outputOn ? this.s.level : 0 };
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
      case 'OUTP:OFF:MODE':
        this.choice(arg, ['ZERO', 'HIZ', 'NORMAL']);
        return null;
      case 'SOUR:FUNC:MODE':
        if (this.choice(arg, ['VOLTAGE', 'CURRENT']) !== 'VOLTAGE') throw new ScpiError(-221, 'Settings conflict');
        return null;
      case 'SOUR:FUNC:SHAP':
        s.shape = this.choice(arg, ['DC', 'PULSE']) === 'DC' ? 'DC' : 'PULS';
        return null;
      case 'SOUR:VOLT:RANG':
        s.range = RANGES.find((r) => r >= this.number(arg, 0, 210)) ?? 200;
        return null;
      case 'SOUR:VOLT:RANG:AUTO':
        this.bool(arg);
        return null;
      case 'SOUR:VOLT':
      case 'SOUR:VOLT:LEV':
      case 'SOUR:VOLT:LEV:IMM':
        s.level = this.sourceValue(arg);
        return null;
      case 'SOUR:VOLT?':
        return formatScpiNumber(s.level);
      case 'SOUR:VOLT:TRIG':
      case 'SOUR:VOLT:LEV:TRIG':
        s.trig = this.sourceValue(arg);
        return null;
      case 'SOUR:PULS:WIDT':
        s.width = this.number(arg, MIN_WIDTH, 100);
        return null;
      case 'SOUR:PULS:DEL':
        s.pulseDelay = this.number(arg, 0, 99_999.9);
        return null;
      case 'SENS:FUNC':
        if (this.choice(arg, ['CURRENT', 'VOLTAGE']) !== 'CURRENT') throw new ScpiError(-221, 'Settings conflict');
        return null;
      case 'SENS:CURR:RANG:AUTO':
        this.bool(arg);
        return null;
      case 'SENS:CURR:PROT':
        s.compliance = this.number(arg, 1e-9, 3.03);
        return null;
      case 'SENS:CURR:PROT?':
        return formatScpiNumber(s.compliance);
      case 'SENS:CURR:PROT:TRIP?':
        this.channel(arg);
        return s.tripped ? '1' : '0';
      case 'SENS:CURR:NPLC':
        s.nplc = this.number(arg, 0.0004, 100);
        s.aperture = null;
        return null;
      case 'SENS:CURR:APER':
        s.aperture = this.number(arg, 8e-6, 2);
        return null;
      case 'TRIG:SOUR':
        this.choice(arg, ['AINT', 'BUS', 'TIMER']);
        return null;
      case 'TRIG:COUN':
        if (this.number(arg, 1, 100_000) !== 1) throw new ScpiError(-222, 'Parameter data out of range');
        return null;
      case 'TRIG:ACQ:DEL':
        s.acqDelay = this.number(arg, 0, 100);
        return null;
      case 'INIT':
      case 'INIT:IMM':
        this.channel(arg);
        s.fetched = [this.trigger()];
        return null;
      case 'FETC:ARR:CURR?':
        this.channel(arg);
        if (s.fetched === null) throw new ScpiError(-230, 'Data corrupt or stale');
        return s.fetched.map(formatScpiNumber).join(',');
      case 'MEAS:CURR?':
        this.channel(arg);
        return formatScpiNumber(this.measureDc());
      case 'ABOR':
        return null;
      default:
        throw new ScpiError(-113, 'Undefined header');
    }
  }

  private integration(): number {
    return this.s.aperture ?? this.s.nplc / this.lineFrequency;
  }

  /** One triggered output: a pulse from the base to the peak in pulse mode, else the DC level. */
  private trigger(): number {
    const s = this.s;
    if (!s.outputOn) throw new ScpiError(-221, 'Settings conflict: output is off');
    if (s.shape === 'DC') return this.measureDc();
    if (s.acqDelay + this.integration() > s.pulseDelay + s.width * (1 + 1e-9)) throw new ScpiError(-221, 'Settings conflict: measurement outside the pulse');
    const m = this.dut.cycle(s.trig, s.width, s.compliance);
    s.tripped = m.tripped;
    return m.current;
  }

  private measureDc(): number {
    const s = this.s;
    if (!s.outputOn) throw new ScpiError(-221, 'Settings conflict: output is off');
    const m = this.dut.cycle(s.level, this.integration(), s.compliance);
    s.tripped = m.tripped;
    return m.current;
  }

  private sourceValue(arg: string): number {
    const v = this.number(arg, -210, 210);
    if (Math.abs(v) > this.s.range * 1.05) throw new ScpiError(-222, 'Parameter data out of range');
    return v;
  }
}
