import type { DeviceReading, PulseResult } from '../../../../shared/device/device';
import type { DriverCapabilities } from '../../../../shared/instruments/capabilities';
import { formatSI } from '../../../../shared/units';
import { TSP_CONSOLE } from './console-rules';
import { InstrumentError } from '../errors';
import { InstrumentBase } from '../instrument';
import type { InstrumentLimits } from '../limits';
import { closeTo, formatCommandNumber, parseStrictNumber } from '../numbers';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from '../settings';

/**
 * Keithley 2600B SourceMeter, TSP (Lua statements) over RS-232, channel A.
 *
 * Pulses use the factory script function PulseVMeasureI (bias 0 V, one point), which measures the
 * current at the end of the pulse into smua.nvbuffer1. The driver switches the output off right
 * after, before reading the buffer, so compliance is judged from the reading against the limit
 * (smua.source.compliance is only meaningful while the output is on). The 2600B has no
 * over-voltage setting for a voltage source; the source range is fixed to the smallest one that
 * holds the app's max |V|, which caps what the instrument can output.
 */
export const KEITHLEY2600_SETTINGS: Readonly<SerialSettings> = Object.freeze({ ...DEFAULT_SERIAL_SETTINGS, baudRate: 9600, writeTerminator: 'LF' });

/** Time at the bias level after each pulse inside PulseVMeasureI (s). */
export const PULSE_OFF_TIME = 1e-3;
const NPLC = 0.01;
const OFF_LINES = ['smua.source.output = smua.OUTPUT_OFF', 'smua.source.levelv = 0'];

export const KEITHLEY2600_IDENTITY = /^Keithley Instruments(?: Inc\.)?,\s*Model 26\d\d[AB]?,/i;

/**
 * The 2600B series: the 40 V models (2601B, 2602B, 2604B: 100 mV–40 V, 100 nA–3 A) and the 200 V
 * ones (2611B…2636B: 200 mV–200 V, 100 nA–1.5 A); the shortest pulse holds one measurement at 0.01 PLC.
 */
export const KEITHLEY2600_CAPABILITIES: Readonly<DriverCapabilities> = Object.freeze({
  minPulseWidth: NPLC / 50,
  maxPulseWidth: null,
  voltageRanges: [0.1, 1, 6, 40],
  currentRanges: [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 3],
  sweep: true,
  pulse: 'script' as const,
  commandSet: 'TSP',
  transports: ['serial' as const, 'tcp' as const, 'usbtmc' as const, 'gpib' as const],
  note: null,
});

const HIGH_VOLTAGE: Pick<DriverCapabilities, 'voltageRanges' | 'currentRanges'> = {
  voltageRanges: [0.2, 2, 20, 200],
  currentRanges: [1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 1.5],
};

/** The model's ranges: 260x are the 40 V models, 261x–263x the 200 V ones. */
export function keithley2600Capabilities(idn: string | null): DriverCapabilities {
  const model = idn === null ? null : /Model 26(\d)\d/i.exec(idn)?.[1];
  return model !== null && model !== undefined && model !== '0' ? { ...KEITHLEY2600_CAPABILITIES, ...HIGH_VOLTAGE } : { ...KEITHLEY2600_CAPABILITIES };
}

export class Keithley2600 extends InstrumentBase {
  readonly driver = 'keithley2600';
  readonly title = 'Keithley 2600B series (TSP)';
  protected readonly expectedIdentity = 'a Keithley 2600-series reply';
  protected readonly consoleRules = TSP_CONSOLE;
  private limitI: number | undefined;

  get capabilities(): DriverCapabilities {
    return keithley2600Capabilities(this.idn);
  }

  protected checkIdentity(reply: string): string | null {
    return KEITHLEY2600_IDENTITY.test(reply) ? null : 'not a Keithley 2600 series';
  }

  protected override invalidateCache(): void {
    this.limitI = undefined;
  }

  protected async doConfigure(limits: Required<InstrumentLimits>): Promise<void> {
    const v = formatCommandNumber;
    const ranges = this.capabilities.voltageRanges;
    const range = ranges.find((r) => r >= limits.maxVoltage) ?? ranges[ranges.length - 1]!;
    for (const command of [
      'smua.reset()',
      'errorqueue.clear()',
      'smua.source.output = smua.OUTPUT_OFF',
      'smua.source.func = smua.OUTPUT_DCVOLTS',
      'smua.source.autorangev = smua.AUTORANGE_OFF',
      `smua.source.rangev = ${v(range)}`,
      'smua.source.levelv = 0',
      `smua.source.limiti = ${v(limits.compliance)}`,
      'smua.measure.autorangei = smua.AUTORANGE_ON',
      `smua.measure.nplc = ${v(NPLC)}`,
    ]) {
      await this.transport.write(command);
    }
    this.limitI = limits.compliance;
    const limit = await this.ask('print(smua.source.limiti)', parseStrictNumber, 'the current limit in A');
    if (!closeTo(limit, limits.compliance)) {
      throw new InstrumentError(
        'instrument',
        `the instrument did not take the compliance of ${formatSI(limits.compliance, 'A')} (it reports ${formatSI(limit, 'A')})`,
        'print(smua.source.limiti)',
      );
    }
    const errors = await this.doQueryErrors();
    if (errors.length > 0) throw new InstrumentError('instrument', `the instrument reported errors while being configured: ${errors.join('; ')}`, 'print(errorqueue.next())');
  }

  protected async doPulse(amplitude: number, width: number): Promise<PulseResult> {
    const limit = this.limits.compliance;
    await this.setLimit(limit);
    const v = formatCommandNumber;
    await this.transport.write('smua.nvbuffer1.clear()');
    await this.transport.write(`PulseVMeasureI(smua, 0, ${v(amplitude)}, ${v(width)}, ${v(PULSE_OFF_TIME)}, 1)`);
    await this.switchOffLines();
    const readings = await this.ask(
      'printbuffer(1, smua.nvbuffer1.n, smua.nvbuffer1.readings)',
      parseBuffer,
      'one current reading',
      this.settings.timeoutMs + (width + PULSE_OFF_TIME) * 1000,
    );
    if (readings.length !== 1) {
      throw new InstrumentError('protocol', `expected one reading in smua.nvbuffer1 after the pulse, got ${readings.length}`, 'printbuffer');
    }
    const current = readings[0]!;
    this.checkCompliance(current, limit, amplitude);
    return { current };
  }

  /**
   * An I–V sweep step as DC sourcing: the step's compliance in `smua.source.limiti` before the
   * output goes on, the level held for the dwell less one integration (`delay`), then the current
   * and the instrument's own compliance state read together at the end — `smua.source.compliance`
   * is true while the source is limited — and the output off at once.
   */
  protected async doStep(voltage: number, dwell: number, compliance: number): Promise<PulseResult> {
    const v = formatCommandNumber;
    await this.setLimit(compliance);
    await this.transport.write(`smua.source.levelv = ${v(voltage)}`);
    await this.transport.write('smua.source.output = smua.OUTPUT_ON');
    const hold = Math.max(0, dwell - NPLC / 50);
    if (hold > 0) await this.transport.write(`delay(${v(hold)})`);
    const [current, inCompliance] = await this.ask(
      'print(smua.measure.i(), smua.source.compliance)',
      parseStepReading,
      'a current and true or false, separated by a tab',
      this.settings.timeoutMs + dwell * 1000,
      OFF_LINES,
    );
    return { current, inCompliance };
  }

  protected async doRead(voltage: number): Promise<DeviceReading> {
    const limit = this.limits.readCompliance;
    await this.setLimit(limit);
    await this.transport.write(`smua.source.levelv = ${formatCommandNumber(voltage)}`);
    await this.transport.write('smua.source.output = smua.OUTPUT_ON');
    const current = await this.ask('print(smua.measure.i())', parseStrictNumber, 'the current in A', undefined, OFF_LINES);
    this.checkCompliance(current, limit, voltage);
    return { current, conductance: current / voltage };
  }

  protected async doOutputOff(confirm: boolean): Promise<void> {
    await this.switchOffLines();
    if (!confirm) return;
    const state = await this.ask('print(smua.source.output)', parseStrictNumber, 'the output state, 0 or 1');
    if (state !== 0) throw new InstrumentError('instrument', 'the instrument still reports its output on after smua.OUTPUT_OFF', 'print(smua.source.output)');
  }

  protected async doQueryErrors(): Promise<string[]> {
    const errors: string[] = [];
    for (let k = 0; k < 32; k++) {
      const e = await this.ask('print(errorqueue.next())', parseTspError, 'an error code and message separated by a tab');
      if (e.code === 0) return errors;
      errors.push(`${e.code}, ${e.message}`);
    }
    return errors;
  }

  private async switchOffLines(): Promise<void> {
    for (const line of OFF_LINES) await this.transport.write(line);
  }

  private async setLimit(amps: number): Promise<void> {
    if (this.limitI === amps) return;
    await this.transport.write(`smua.source.limiti = ${formatCommandNumber(amps)}`);
    this.limitI = amps;
  }

  private checkCompliance(current: number, limit: number, volts: number): void {
    if (Math.abs(current) >= limit * (1 - 1e-3)) {
      throw new InstrumentError(
        'compliance',
        `compliance reached at ${formatSI(volts, 'V')}: the current (${formatSI(current, 'A')}) hit the limit of ${formatSI(limit, 'A')}`,
      );
    }
  }
}

/** printbuffer output: readings separated by ', '. */
export function parseBuffer(reply: string): number[] | null {
  const values = reply.split(/,\s*/).map(parseStrictNumber);
  return values.every((x): x is number => x !== null) ? values : null;
}

/** print(smua.measure.i(), smua.source.compliance): `1.23e-04\ttrue` → [1.23e-4, true]. */
export function parseStepReading(reply: string): [number, boolean] | null {
  const fields = reply.split('\t');
  if (fields.length !== 2) return null;
  const current = parseStrictNumber(fields[0]!);
  if (current === null || Math.abs(current) >= 9.9e37) return null;
  const flag = fields[1]!.trim();
  if (flag !== 'true' && flag !== 'false') return null;
  return [current, flag === 'true'];
}

/** print(errorqueue.next()): code, message, severity, node separated by tabs. */
export function parseTspError(reply: string): { code: number; message: string } | null {
  const fields = reply.split('\t');
  if (fields.length < 2) return null;
  const code = parseStrictNumber(fields[0]!);
  if (code === null || !Number.isInteger(code)) return null;
  return { code, message: fields[1]! };
}
