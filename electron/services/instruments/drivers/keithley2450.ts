import type { DeviceReading, PulseResult } from '../../../../shared/device/device';
import type { DriverCapabilities } from '../../../../shared/instruments/capabilities';
import { formatSI } from '../../../../shared/units';
import { InstrumentError } from '../errors';
import { ScpiSourceMeter } from './scpi-source-meter';
import type { InstrumentLimits } from '../limits';
import { closeTo, formatCommandNumber, parseStrictNumber } from '../numbers';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from '../settings';
import { SCPI_CONSOLE } from './console-rules';

/**
 * Keithley 2450 SourceMeter with its own SCPI command set (Menu › System › Settings › Command
 * Set: SCPI; in 'SCPI2400' mode use the keithley2400 driver, in 'TSP' mode neither).
 *
 * The current limit while sourcing voltage is `:SOUR:VOLT:ILIM`; the over-voltage protection is
 * `:SOUR:VOLT:PROT PROT<n>` in fixed steps, set to the smallest step at or above the workbench's
 * max |V|. The 2450 has no pulse mode and no automatic output-off, so a pulse is the output
 * switched on around one measurement: the source delay makes up the width the integration does
 * not, and `:OUTP OFF` follows the measurement without waiting for its reply. Command latency
 * adds about a millisecond, hence the 2 ms shortest pulse (ours).
 */
export const KEITHLEY2450_SETTINGS: Readonly<SerialSettings> = Object.freeze({ ...DEFAULT_SERIAL_SETTINGS, writeTerminator: 'LF' });

export const KEITHLEY2450_IDENTITY = /^KEITHLEY INSTRUMENTS(?: INC\.)?,\s*MODEL 245\d,/i;

/** The over-voltage protection steps of `:SOUR:VOLT:PROT` (V). */
export const OVP_STEPS = [2, 5, 10, 20, 40, 60, 80, 100, 120, 140, 160, 180] as const;

const NPLC = 0.01;

export const KEITHLEY2450_CAPABILITIES: Readonly<DriverCapabilities> = Object.freeze({
  minPulseWidth: 2e-3,
  maxPulseWidth: null,
  voltageRanges: [0.02, 0.2, 2, 20, 200],
  currentRanges: [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1],
  sweep: true,
  pulse: 'output-switched' as const,
  commandSet: 'SCPI',
  transports: ['tcp' as const, 'usbtmc' as const, 'gpib' as const],
  note: 'needs the SCPI command set (Menu › System › Settings › Command Set: SCPI); widths are within about 1 ms',
});

/** The smallest protection step at or above `volts`, as the command's argument ('PROT5'). */
export function protectionStep(volts: number): string {
  const step = OVP_STEPS.find((s) => s >= volts);
  if (step === undefined) throw new InstrumentError('unsafe', `a Keithley 2450's over-voltage protection goes up to ${OVP_STEPS[OVP_STEPS.length - 1]} V; the limit of ${volts} V cannot be mirrored to it`);
  return `PROT${step}`;
}

interface SourceState {
  level?: number;
  delay?: number;
  limit?: number;
}

export class Keithley2450 extends ScpiSourceMeter {
  protected readonly noErrorReply = '0,"No error"';
  readonly driver = 'keithley2450';
  readonly title = 'Keithley 2450 (SCPI)';
  readonly capabilities = KEITHLEY2450_CAPABILITIES;
  protected readonly expectedIdentity = 'a Keithley 2450 reply';
  protected readonly consoleRules = SCPI_CONSOLE;
  private state: SourceState = {};
  private lineFrequency = 50;

  private get integrationTime(): number {
    return NPLC / this.lineFrequency;
  }

  protected checkIdentity(reply: string): string | null {
    return KEITHLEY2450_IDENTITY.test(reply) ? null : 'not a Keithley 2450';
  }

  protected override invalidateCache(): void {
    this.state = {};
  }

  protected async doConfigure(limits: Required<InstrumentLimits>): Promise<void> {
    const lang = await this.ask('*LANG?', (r) => (/^(SCPI|SCPI2400|TSP)$/i.test(r.trim()) ? r.trim().toUpperCase() : null), 'SCPI, SCPI2400 or TSP');
    if (lang !== 'SCPI') {
      throw new InstrumentError(
        'instrument',
        lang === 'SCPI2400'
          ? 'the 2450 is in its 2400 emulation mode: choose the Keithley 2400 driver, or set Menu › System › Settings › Command Set to SCPI'
          : 'the 2450 runs TSP: set Menu › System › Settings › Command Set to SCPI (the instrument restarts), then connect again',
        '*LANG?',
      );
    }
    const v = formatCommandNumber;
    const range = KEITHLEY2450_CAPABILITIES.voltageRanges.find((r) => r >= limits.maxVoltage) ?? 200;
    // The current limit and the over-voltage protection go in before the output can go on.
    for (const command of [
      '*RST',
      '*CLS',
      ':OUTP OFF',
      ':SOUR:FUNC VOLT',
      ':SOUR:VOLT:RANG:AUTO OFF',
      `:SOUR:VOLT:RANG ${v(range)}`,
      ':SOUR:VOLT 0',
      `:SOUR:VOLT:ILIM ${v(limits.compliance)}`,
      `:SOUR:VOLT:PROT ${protectionStep(limits.maxVoltage)}`,
      ':SOUR:VOLT:DEL 0',
      ':SENS:FUNC "CURR"',
      ':SENS:CURR:RANG:AUTO ON',
      `:SENS:CURR:NPLC ${v(NPLC)}`,
      ':OUTP:SMOD ZERO',
    ]) {
      await this.transport.write(command);
    }
    this.state = { level: 0, delay: 0, limit: limits.compliance };
    const lfr = await this.ask(':SYST:LFR?', parseStrictNumber, 'the line frequency in Hz');
    if (lfr !== 50 && lfr !== 60) throw new InstrumentError('protocol', `the instrument reports a line frequency of ${lfr} Hz (expected 50 or 60)`, ':SYST:LFR?');
    this.lineFrequency = lfr;
    const limit = await this.ask(':SOUR:VOLT:ILIM?', parseStrictNumber, 'the current limit in A');
    if (!closeTo(limit, limits.compliance)) {
      throw new InstrumentError('instrument', `the instrument did not take the current limit of ${formatSI(limits.compliance, 'A')} (it reports ${formatSI(limit, 'A')})`, ':SOUR:VOLT:ILIM?');
    }
    const errors = await this.doQueryErrors();
    if (errors.length > 0) throw new InstrumentError('instrument', `the instrument reported errors while being configured: ${errors.join('; ')}`, ':SYST:ERR?');
  }

  protected async doPulse(amplitude: number, width: number): Promise<PulseResult> {
    await this.setLimit(this.limits.compliance);
    await this.set('delay', Math.max(0, width - this.integrationTime), ':SOUR:VOLT:DEL');
    await this.set('level', amplitude, ':SOUR:VOLT');
    const current = await this.measure(amplitude, width);
    return { current };
  }

  /** An I–V sweep step: the pulse's cycle under the step's own `:SOUR:VOLT:ILIM`, the limit flag recorded rather than a trip. */
  protected async doStep(voltage: number, dwell: number, compliance: number): Promise<PulseResult> {
    await this.setLimit(compliance);
    await this.set('delay', Math.max(0, dwell - this.integrationTime), ':SOUR:VOLT:DEL');
    await this.set('level', voltage, ':SOUR:VOLT');
    const { current, tripped } = await this.cycle(voltage, dwell);
    return { current, inCompliance: tripped };
  }

  protected async doRead(voltage: number): Promise<DeviceReading> {
    await this.setLimit(this.limits.readCompliance);
    await this.set('delay', 0, ':SOUR:VOLT:DEL');
    await this.set('level', voltage, ':SOUR:VOLT');
    const current = await this.measure(voltage, this.integrationTime);
    return { current, conductance: current / voltage };
  }

  protected async doOutputOff(confirm: boolean): Promise<void> {
    this.state.level = 0;
    await this.switchOutputOff(confirm);
  }


  /** One measurement; a current at the limit is a trip (the run pauses). */
  private async measure(expected: number, duration: number): Promise<number> {
    const { current, tripped } = await this.cycle(expected, duration);
    if (tripped) {
      throw new InstrumentError(
        'compliance',
        `compliance reached at ${formatSI(expected, 'V')}: the current hit the limit of ${formatSI(this.state.limit ?? this.limits.compliance, 'A')}`,
        ':SOUR:VOLT:ILIM:TRIP?',
      );
    }
    return current;
  }

  /** Output on, one measurement (the source value and the current), output off; then the limit flag. */
  private async cycle(expected: number, duration: number): Promise<{ current: number; tripped: boolean }> {
    await this.transport.write(':OUTP ON');
    const [source, amps] = await this.ask(':READ? "defbuffer1", SOUR, READ', parsePair, 'two comma-separated numbers: source value, current', this.settings.timeoutMs + duration * 1000, [':OUTP OFF']);
    if (!closeTo(source, expected, 1e-5, 1e-6)) {
      throw new InstrumentError('instrument', `the instrument sourced ${formatSI(source, 'V')} instead of ${formatSI(expected, 'V')} (see its error queue)`, ':READ?');
    }
    const tripped = await this.ask(':SOUR:VOLT:ILIM:TRIP?', (r) => (r === '0' || r === '1' ? r : null), "'0' or '1'");
    return { current: amps, tripped: tripped === '1' };
  }

  private async setLimit(amps: number): Promise<void> {
    await this.set('limit', amps, ':SOUR:VOLT:ILIM');
  }

  private async set(key: keyof SourceState, value: number, header: string): Promise<void> {
    if (this.state[key] === value) return;
    await this.transport.write(`${header} ${formatCommandNumber(value)}`);
    this.state[key] = value;
  }
}

/** `+2.000000E+00,+1.234567E-05` → [2, 1.234567e-5]; anything else → null. */
export function parsePair(reply: string): [number, number] | null {
  const parts = reply.split(',');
  if (parts.length !== 2) return null;
  const a = parseStrictNumber(parts[0]!.trim());
  const b = parseStrictNumber(parts[1]!.trim());
  return a === null || b === null ? null : [a, b];
}
