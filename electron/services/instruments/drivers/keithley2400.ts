import type { DeviceReading, PulseResult } from '../../../../shared/device/device';
import type { DriverCapabilities } from '../../../../shared/instruments/capabilities';
import { formatSI } from '../../../../shared/units';
import { SCPI_CONSOLE } from './console-rules';
import { InstrumentError } from '../errors';
import { ScpiSourceMeter } from './scpi-source-meter';
import type { InstrumentLimits } from '../limits';
import { closeTo, formatCommandNumber, parseStrictNumber } from '../numbers';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from '../settings';

/**
 * Keithley 2400-series SourceMeter, SCPI over RS-232 (also a 2450 in its `*LANG SCPI2400` mode).
 *
 * The 2400 has no pulse mode, so a pulse is a one-point list sweep with auto output-off: the
 * output is on only during the source–measure cycle, which lasts the source delay plus the
 * integration time. The driver sets the delay to (width − integration time) so the cycle is the
 * requested width. A read is the same cycle at a fixed level with no delay. Set commands have no
 * reply, so the driver remembers what it last set and sends only what changes.
 *
 * An I–V sweep step is the pulse's cycle with the step's own compliance (`:SENS:CURR:PROT`, set
 * before the output goes on) and the current measured at its end; `:SENS:CURR:PROT:TRIP?` says
 * whether the source was in compliance, which in a sweep is expected (recorded, not a trip).
 * Step by step rather than one hardware list sweep: the compliance changes with the polarity,
 * which one sweep cannot do (the 2400 holds one compliance per sweep); each step's compliance
 * flag is read where it happened; a pause, a stop or a garbled reply acts within one step with
 * the output already off (auto output-off); and lists are capped at 100 points. The cost is a few
 * serial exchanges per step, small beside a sweep's dwell at 9600 baud.
 */
export const KEITHLEY2400_SETTINGS: Readonly<SerialSettings> = Object.freeze({ ...DEFAULT_SERIAL_SETTINGS, baudRate: 9600, writeTerminator: 'CR' });

/** +9.91E37: the 2400's "not measured" value in a reading. */
export const SCPI_NOT_MEASURED = 9.91e37;

/** Power-line cycles per reading: the fastest integration, so pulses can be a few ms. */
const NPLC = 0.01;

/** A 2400-series reply (a 2450 in its 2400 mode answers so too). */
export const KEITHLEY2400_IDENTITY = /^KEITHLEY INSTRUMENTS(?: INC\.)?,\s*MODEL 24\d\d[A-Z]?,/i;

/** The 2400's ranges (200 mV–200 V, 1 µA–1 A); its shortest pulse is one integration at 0.01 PLC. */
export const KEITHLEY2400_CAPABILITIES: Readonly<DriverCapabilities> = Object.freeze({
  minPulseWidth: NPLC / 60,
  maxPulseWidth: null,
  voltageRanges: [0.2, 2, 20, 200],
  currentRanges: [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1],
  sweep: true,
  pulse: 'list-sweep' as const,
  commandSet: 'SCPI',
  transports: ['serial' as const, 'gpib' as const],
  note: null,
});

interface SourceState {
  mode?: 'FIX' | 'LIST';
  level?: number;
  list?: number;
  delay?: number;
  compliance?: number;
}

export class Keithley2400 extends ScpiSourceMeter {
  protected readonly noErrorReply = '0,"No error"';
  readonly driver = 'keithley2400';
  readonly title = 'Keithley 2400 series (SCPI)';
  protected readonly expectedIdentity = 'a Keithley 2400-series reply';
  protected readonly consoleRules = SCPI_CONSOLE;
  private state: SourceState = {};
  private lineFrequency = 50;

  /** Seconds of one reading's integration: the shortest cycle the instrument can make. */
  get integrationTime(): number {
    return NPLC / this.lineFrequency;
  }

  /** The shortest pulse follows the line frequency the instrument reports. */
  get capabilities(): DriverCapabilities {
    return { ...KEITHLEY2400_CAPABILITIES, minPulseWidth: this.integrationTime };
  }

  protected checkIdentity(reply: string): string | null {
    return KEITHLEY2400_IDENTITY.test(reply) ? null : 'not a Keithley 2400 series';
  }

  protected override invalidateCache(): void {
    this.state = {};
  }

  protected override checkPulseFeasible(amplitude: number, width: number): void {
    if (width < this.integrationTime * (1 - 1e-9)) {
      throw new InstrumentError(
        'unsafe',
        `refused a pulse of width ${formatSI(width, 's')}: a Keithley 2400 cannot make a pulse shorter than its integration time ` +
          `(${formatSI(this.integrationTime, 's')} at ${NPLC} PLC, ${this.lineFrequency} Hz)`,
      );
    }
    super.checkPulseFeasible(amplitude, width);
  }

  protected async doConfigure(limits: Required<InstrumentLimits>): Promise<void> {
    const v = formatCommandNumber;
    // Compliance and over-voltage protection go in before anything could switch the output on;
    // with auto output-off it only goes on inside :READ?.
    for (const command of [
      '*RST',
      '*CLS',
      ':OUTP OFF',
      ':SOUR:FUNC VOLT',
      ':SOUR:VOLT:MODE FIX',
      `:SOUR:VOLT:RANG ${v(limits.maxVoltage)}`,
      ':SOUR:VOLT 0',
      ":SENS:FUNC 'CURR'",
      ':SENS:FUNC:CONC OFF',
      `:SENS:CURR:PROT ${v(limits.compliance)}`,
      ':SENS:CURR:RANG:AUTO ON',
      `:SENS:CURR:NPLC ${v(NPLC)}`,
      `:SOUR:VOLT:PROT ${v(limits.maxVoltage)}`,
      ':OUTP:SMOD ZERO',
      ':FORM:ELEM VOLT,CURR',
      ':SOUR:CLE:AUTO ON',
      ':TRIG:COUN 1',
      ':SOUR:DEL 0',
    ]) {
      await this.transport.write(command);
    }
    this.state = { mode: 'FIX', level: 0, delay: 0, compliance: limits.compliance };
    const lfr = await this.ask(':SYST:LFR?', parseStrictNumber, 'the line frequency in Hz');
    if (lfr !== 50 && lfr !== 60) throw new InstrumentError('protocol', `the instrument reports a line frequency of ${lfr} Hz (expected 50 or 60)`, ':SYST:LFR?');
    this.lineFrequency = lfr;
    const compliance = await this.ask(':SENS:CURR:PROT?', parseStrictNumber, 'the compliance current in A');
    if (!closeTo(compliance, limits.compliance)) {
      throw new InstrumentError(
        'instrument',
        `the instrument did not take the compliance of ${formatSI(limits.compliance, 'A')} (it reports ${formatSI(compliance, 'A')})`,
        ':SENS:CURR:PROT?',
      );
    }
    const errors = await this.doQueryErrors();
    if (errors.length > 0) throw new InstrumentError('instrument', `the instrument reported errors while being configured: ${errors.join('; ')}`, ':SYST:ERR?');
  }

  protected async doPulse(amplitude: number, width: number): Promise<PulseResult> {
    const delay = Math.max(0, width - this.integrationTime);
    await this.setCompliance(this.limits.compliance);
    await this.set('mode', 'LIST', ':SOUR:VOLT:MODE LIST');
    await this.set('list', amplitude, `:SOUR:LIST:VOLT ${formatCommandNumber(amplitude)}`);
    await this.set('delay', delay, `:SOUR:DEL ${formatCommandNumber(delay)}`);
    const current = await this.measure(amplitude, width);
    return { current };
  }

  protected async doStep(voltage: number, dwell: number, compliance: number): Promise<PulseResult> {
    const delay = Math.max(0, dwell - this.integrationTime);
    await this.setCompliance(compliance);
    await this.set('mode', 'LIST', ':SOUR:VOLT:MODE LIST');
    await this.set('list', voltage, `:SOUR:LIST:VOLT ${formatCommandNumber(voltage)}`);
    await this.set('delay', delay, `:SOUR:DEL ${formatCommandNumber(delay)}`);
    const { current, tripped } = await this.cycle(voltage, dwell);
    if (Number.isNaN(current)) throw new InstrumentError('protocol', 'the instrument returned no current for a sweep step (+9.91E37, not measured)', ':READ?');
    return { current, inCompliance: tripped };
  }

  protected async doRead(voltage: number): Promise<DeviceReading> {
    await this.setCompliance(this.limits.readCompliance);
    await this.set('mode', 'FIX', ':SOUR:VOLT:MODE FIX');
    await this.set('level', voltage, `:SOUR:VOLT ${formatCommandNumber(voltage)}`);
    await this.set('delay', 0, ':SOUR:DEL 0');
    const current = await this.measure(voltage, this.integrationTime);
    if (Number.isNaN(current)) throw new InstrumentError('protocol', 'the instrument returned no current for a read (+9.91E37, not measured)', ':READ?');
    return { current, conductance: current / voltage };
  }

  protected async doOutputOff(confirm: boolean): Promise<void> {
    // A sweep or list leaves no fixed level to remember.
    this.state.level = this.state.mode === 'FIX' ? 0 : undefined;
    await this.switchOutputOff(confirm);
  }


  /** One :READ? at `expected` volts; a current in compliance is a trip (the run pauses). */
  private async measure(expected: number, duration: number): Promise<number> {
    const { current, tripped } = await this.cycle(expected, duration);
    if (tripped) {
      throw new InstrumentError(
        'compliance',
        `compliance reached at ${formatSI(expected, 'V')}: the current hit the limit of ${formatSI(this.state.compliance ?? this.limits.compliance, 'A')}`,
        ':SENS:CURR:PROT:TRIP?',
      );
    }
    return current;
  }

  /** One :READ? at `expected` volts, with the reply checked and the compliance flag queried. */
  private async cycle(expected: number, duration: number): Promise<{ current: number; tripped: boolean }> {
    const [volts, amps] = await this.ask(
      ':READ?',
      parseReading,
      'two comma-separated numbers: voltage, current',
      this.settings.timeoutMs + duration * 1000,
    );
    // The voltage element is the programmed source value: a different one means the instrument
    // did not source what was asked (a refused setting), so its current cannot be trusted either.
    if (!closeTo(volts, expected, 1e-5, 1e-6)) {
      throw new InstrumentError(
        'instrument',
        `the instrument sourced ${formatSI(volts, 'V')} instead of ${formatSI(expected, 'V')} (see its error queue)`,
        ':READ?',
      );
    }
    const tripped = await this.ask(':SENS:CURR:PROT:TRIP?', (r) => (r === '0' || r === '1' ? r : null), "'0' or '1'");
    return { current: amps, tripped: tripped === '1' };
  }

  private async setCompliance(amps: number): Promise<void> {
    await this.set('compliance', amps, `:SENS:CURR:PROT ${formatCommandNumber(amps)}`);
  }

  private async set<K extends keyof SourceState>(key: K, value: NonNullable<SourceState[K]>, command: string): Promise<void> {
    if (this.state[key] === value) return;
    await this.transport.write(command);
    this.state[key] = value;
  }
}

/** `+2.000000E+00,+1.234567E-05` → [2, 1.234567e-5]; 9.91E37 (not measured) becomes NaN. */
export function parseReading(reply: string): [number, number] | null {
  const parts = reply.split(',');
  if (parts.length !== 2) return null;
  const values = parts.map(parseStrictNumber);
  if (values[0] == null || values[1] == null) return null;
  const [v, i] = values.map((x) => (Math.abs(x!) >= SCPI_NOT_MEASURED * 0.999 ? NaN : x!)) as [number, number];
  if (Number.isNaN(v)) return null;
  return [v, i];
}
