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
 * Keysight (formerly Agilent) B2901A/B2902A precision source-measure unit, SCPI, channel 1.
 *
 * Pulses use its pulse mode: a base of `:SOUR:VOLT` (0 V) and a peak of `:SOUR:VOLT:TRIG`, with
 * `:SOUR:PULS:DEL` and `:SOUR:PULS:WIDT`; the current is measured at the end of the pulse
 * (acquire delay = width − aperture), then `:INIT` and `:FETC:ARR:CURR?`. Reads are DC:
 * `:MEAS:CURR?` at the read level. The compliance is `:SENS:CURR:PROT`; the B2900 has no
 * over-voltage setting for a voltage source, so the source range is fixed to the smallest one
 * that holds the workbench's max |V|, which caps what it can output. Its shortest pulse is 50 µs.
 */
export const KEYSIGHT_B2900_SETTINGS: Readonly<SerialSettings> = Object.freeze({ ...DEFAULT_SERIAL_SETTINGS, writeTerminator: 'LF' });

export const KEYSIGHT_B2900_IDENTITY = /^(?:Keysight|Agilent) Technologies,\s*B29[01][12][AB]?,/i;

const NPLC = 0.01;
/** The longest measurement aperture inside a pulse (s); a short pulse gets half its width. */
const MAX_PULSE_APERTURE = 1e-3;
const MIN_APERTURE = 8e-6;

export const KEYSIGHT_B2900_CAPABILITIES: Readonly<DriverCapabilities> = Object.freeze({
  minPulseWidth: 50e-6,
  maxPulseWidth: 100,
  voltageRanges: [0.2, 2, 20, 200],
  currentRanges: [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 1.5, 3],
  sweep: true,
  pulse: 'pulse-mode' as const,
  commandSet: 'SCPI',
  transports: ['tcp' as const, 'usbtmc' as const, 'gpib' as const],
  note: null,
});

interface SourceState {
  shape?: 'DC' | 'PULS';
  level?: number;
  peak?: number;
  width?: number;
  aperture?: number;
  acquireDelay?: number;
  limit?: number;
}

export class KeysightB2900 extends ScpiSourceMeter {
  protected readonly noErrorReply = '+0,"No error"';
  readonly driver = 'keysight-b2900';
  readonly title = 'Keysight B2900 (SCPI)';
  readonly capabilities = KEYSIGHT_B2900_CAPABILITIES;
  protected readonly expectedIdentity = 'a Keysight B2901A/B2902A reply';
  protected readonly consoleRules = SCPI_CONSOLE;
  private state: SourceState = {};

  protected checkIdentity(reply: string): string | null {
    return KEYSIGHT_B2900_IDENTITY.test(reply) ? null : 'not a Keysight B2900';
  }

  protected override invalidateCache(): void {
    this.state = {};
  }

  protected async doConfigure(limits: Required<InstrumentLimits>): Promise<void> {
    const v = formatCommandNumber;
    const range = KEYSIGHT_B2900_CAPABILITIES.voltageRanges.find((r) => r >= limits.maxVoltage) ?? 200;
    for (const command of [
      '*RST',
      '*CLS',
      ':OUTP OFF',
      ':SOUR:FUNC:MODE VOLT',
      ':SOUR:FUNC:SHAP DC',
      ':SOUR:VOLT:RANG:AUTO OFF',
      `:SOUR:VOLT:RANG ${v(range)}`,
      ':SOUR:VOLT 0',
      ':SOUR:PULS:DEL 0',
      ':SENS:FUNC "CURR"',
      ':SENS:CURR:RANG:AUTO ON',
      `:SENS:CURR:PROT ${v(limits.compliance)}`,
      `:SENS:CURR:NPLC ${v(NPLC)}`,
      ':OUTP:OFF:MODE ZERO',
      ':TRIG:SOUR AINT',
      ':TRIG:COUN 1',
    ]) {
      await this.transport.write(command);
    }
    this.state = { shape: 'DC', level: 0, limit: limits.compliance };
    const compliance = await this.ask(':SENS:CURR:PROT?', parseStrictNumber, 'the compliance current in A');
    if (!closeTo(compliance, limits.compliance)) {
      throw new InstrumentError('instrument', `the instrument did not take the compliance of ${formatSI(limits.compliance, 'A')} (it reports ${formatSI(compliance, 'A')})`, ':SENS:CURR:PROT?');
    }
    const errors = await this.doQueryErrors();
    if (errors.length > 0) throw new InstrumentError('instrument', `the instrument reported errors while being configured: ${errors.join('; ')}`, ':SYST:ERR?');
  }

  protected async doPulse(amplitude: number, width: number): Promise<PulseResult> {
    const limit = this.limits.compliance;
    const current = await this.pulseCycle(amplitude, width, limit);
    await this.checkCompliance(current, limit, amplitude);
    return { current };
  }

  /** An I–V sweep step: a pulse of the dwell under the step's own `:SENS:CURR:PROT`, measured at its end; the limit flag is recorded, not a trip. */
  protected async doStep(voltage: number, dwell: number, compliance: number): Promise<PulseResult> {
    const current = await this.pulseCycle(voltage, dwell, compliance);
    const tripped = await this.tripped();
    return { current, inCompliance: tripped || Math.abs(current) >= compliance * (1 - 1e-3) };
  }

  /** One pulse under `limit`, its current acquired at the end of the pulse. */
  private async pulseCycle(amplitude: number, width: number, limit: number): Promise<number> {
    const aperture = Math.max(MIN_APERTURE, Math.min(MAX_PULSE_APERTURE, width / 2));
    await this.set('limit', limit, ':SENS:CURR:PROT');
    await this.setShape('PULS');
    await this.set('level', 0, ':SOUR:VOLT');
    await this.set('peak', amplitude, ':SOUR:VOLT:TRIG');
    await this.set('width', width, ':SOUR:PULS:WIDT');
    await this.set('aperture', aperture, ':SENS:CURR:APER');
    await this.set('acquireDelay', Math.max(0, width - aperture), ':TRIG:ACQ:DEL');
    await this.transport.write(':OUTP ON');
    await this.transport.write(':INIT (@1)');
    const [current] = await this.ask(':FETC:ARR:CURR? (@1)', parseOne, 'one current reading', this.settings.timeoutMs + width * 1000, [':OUTP OFF']);
    return current!;
  }

  protected async doRead(voltage: number): Promise<DeviceReading> {
    const limit = this.limits.readCompliance;
    await this.set('limit', limit, ':SENS:CURR:PROT');
    await this.setShape('DC');
    await this.set('level', voltage, ':SOUR:VOLT');
    await this.transport.write(':OUTP ON');
    const current = await this.ask(':MEAS:CURR? (@1)', parseStrictNumber, 'the current in A', undefined, [':OUTP OFF']);
    await this.checkCompliance(current, limit, voltage);
    return { current, conductance: current / voltage };
  }

  protected async doOutputOff(confirm: boolean): Promise<void> {
    this.state.level = 0;
    await this.switchOutputOff(confirm);
  }


  private async tripped(): Promise<boolean> {
    return (await this.ask(':SENS:CURR:PROT:TRIP? (@1)', (r) => (r === '0' || r === '1' ? r : null), "'0' or '1'")) === '1';
  }

  private async checkCompliance(current: number, limit: number, volts: number): Promise<void> {
    const tripped = await this.tripped();
    if (tripped || Math.abs(current) >= limit * (1 - 1e-3)) {
      throw new InstrumentError('compliance', `compliance reached at ${formatSI(volts, 'V')}: the current (${formatSI(current, 'A')}) hit the limit of ${formatSI(limit, 'A')}`, ':SENS:CURR:PROT:TRIP?');
    }
  }

  private async setShape(shape: 'DC' | 'PULS'): Promise<void> {
    if (this.state.shape === shape) return;
    await this.transport.write(`:SOUR:FUNC:SHAP ${shape}`);
    this.state.shape = shape;
    if (shape === 'DC') {
      // Reads integrate over 0.01 PLC again (a pulse set an aperture).
      await this.transport.write(`:SENS:CURR:NPLC ${formatCommandNumber(NPLC)}`);
      this.state.aperture = undefined;
    }
  }

  private async set(key: Exclude<keyof SourceState, 'shape'>, value: number, header: string): Promise<void> {
    if (this.state[key] === value) return;
    await this.transport.write(`${header} ${formatCommandNumber(value)}`);
    this.state[key] = value;
  }
}

/** `:FETC:ARR:CURR?` with one trigger: exactly one number. */
function parseOne(reply: string): [number] | null {
  const parts = reply.split(',');
  if (parts.length !== 1) return null;
  const x = parseStrictNumber(parts[0]!.trim());
  return x === null ? null : [x];
}
