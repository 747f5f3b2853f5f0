import type { DeviceReading, PulseResult } from '../../../../shared/device/device';
import type { DriverCapabilities } from '../../../../shared/instruments/capabilities';
import { formatSI } from '../../../../shared/units';
import { BOARD_CONSOLE } from './console-rules';
import { InstrumentError, quoteReply } from '../errors';
import { InstrumentBase } from '../instrument';
import type { InstrumentLimits } from '../limits';
import { formatCommandNumber, parseStrictNumber } from '../numbers';
import { DEFAULT_SERIAL_SETTINGS, type SerialSettings } from '../settings';

/**
 * The workbench's line protocol for DIY pulse boards (resources/help/pulse-board-protocol.md):
 * one command per line, exactly one reply per command, `OK …` or `ERR <CODE> <message>`, every
 * value in SI base units with its unit symbol attached (2V, 0.01s, 1.5e-06A).
 */
export const PULSE_BOARD_SETTINGS: Readonly<SerialSettings> = Object.freeze({ ...DEFAULT_SERIAL_SETTINGS, baudRate: 115200, writeTerminator: 'LF' });

export const PULSE_BOARD_PROTOCOL = 'MWB-PULSE-BOARD';
export const PULSE_BOARD_PROTOCOL_VERSION = 1;

/** Lines a board sends for its own logging; hosts show them in the console and ignore them. */
export const isBoardComment = (line: string): boolean => line.startsWith('#');

/** How far an applied value may be from the asked one (DAC and timer resolution). */
const VOLTAGE_TOLERANCE = { relative: 0.01, absolute: 0.01 };
const WIDTH_TOLERANCE = { relative: 0.01, absolute: 1e-5 };

export type BoardReply = { ok: true; fields: string[] } | { ok: false; code: string; message: string };

/** `OK a b c` → fields; `ERR CODE message` → code and message; anything else → null. */
export function parseBoardReply(line: string): BoardReply | null {
  if (line === 'OK') return { ok: true, fields: [] };
  if (line.startsWith('OK ')) {
    const fields = line.slice(3).split(' ');
    return fields.every((f) => f.length > 0) ? { ok: true, fields } : null;
  }
  const m = /^ERR ([A-Z]+)(?: (.*))?$/.exec(line);
  return m ? { ok: false, code: m[1]!, message: m[2] ?? '' } : null;
}

/** `2.5V` with unit 'V' → 2.5; `NONE` → NaN when allowed; anything else → null. */
export function parseUnitValue(field: string | undefined, unit: 'V' | 'A' | 's', allowNone = false): number | null {
  if (field === undefined) return null;
  if (allowNone && field === 'NONE') return NaN;
  if (!field.endsWith(unit)) return null;
  return parseStrictNumber(field.slice(0, -unit.length));
}

/** A board states its own limits when configured; the driver knows no ranges before that. */
export const PULSE_BOARD_CAPABILITIES: Readonly<DriverCapabilities> = Object.freeze({
  minPulseWidth: null,
  maxPulseWidth: null,
  voltageRanges: [],
  currentRanges: [],
  sweep: false,
  pulse: 'board' as const,
  commandSet: `${PULSE_BOARD_PROTOCOL}/${PULSE_BOARD_PROTOCOL_VERSION}`,
  transports: ['serial' as const],
  note: 'the board reports the limits it enforces (LIMITS); the workbench never uses looser ones',
});

export class PulseBoard extends InstrumentBase {
  readonly driver = 'pulse-board';
  readonly title = 'DIY pulse board (workbench line protocol)';
  protected readonly consoleRules = BOARD_CONSOLE;
  protected readonly expectedIdentity = `an '${PULSE_BOARD_PROTOCOL},${PULSE_BOARD_PROTOCOL_VERSION},…' reply`;
  /** The limits the board reported it enforces. */
  private boardLimits: Required<InstrumentLimits> | null = null;

  /** Once configured, the board's own limits are its ranges. */
  get capabilities(): DriverCapabilities {
    const b = this.boardLimits;
    return b ? { ...PULSE_BOARD_CAPABILITIES, voltageRanges: [b.maxVoltage], currentRanges: [b.compliance], maxPulseWidth: b.maxWidth } : { ...PULSE_BOARD_CAPABILITIES };
  }

  protected checkIdentity(reply: string): string | null {
    const r = parseBoardReply(reply);
    if (!r || !r.ok || r.fields.length === 0) return 'not a pulse board';
    const [protocol, version] = r.fields.join(' ').split(',');
    if (protocol !== PULSE_BOARD_PROTOCOL) return 'not a pulse board';
    if (version !== String(PULSE_BOARD_PROTOCOL_VERSION)) return `protocol version ${version} is not supported`;
    return null;
  }

  protected async doConfigure(limits: Required<InstrumentLimits>): Promise<void> {
    const v = formatCommandNumber;
    await this.command('OFF');
    const command = `LIMITS ${v(limits.maxVoltage)}V ${v(limits.compliance)}A ${v(limits.maxWidth)}s ${v(limits.readCompliance)}A`;
    const fields = await this.command(command);
    const board = parseLimits(fields);
    if (!board) throw this.garbled(command, fields);
    // The board may enforce stricter limits than ours (its hardware), never looser ones.
    const looser = (['maxVoltage', 'compliance', 'maxWidth', 'readCompliance'] as const).filter((k) => board[k] > limits[k] * (1 + 1e-9));
    if (looser.length > 0) {
      throw new InstrumentError('instrument', `the board reports limits looser than the workbench's (${looser.join(', ')}); refusing to use it`, command);
    }
    this.boardLimits = board;
    const errors = await this.doQueryErrors();
    if (errors.length > 0) throw new InstrumentError('instrument', `the board reported errors while being configured: ${errors.join('; ')}`, 'ERR?');
  }

  override snapshot(): Record<string, unknown> {
    return { ...super.snapshot(), boardLimits: this.boardLimits, protocol: `${PULSE_BOARD_PROTOCOL}/${PULSE_BOARD_PROTOCOL_VERSION}` };
  }

  protected async doPulse(amplitude: number, width: number): Promise<PulseResult> {
    const command = `PULSE ${formatCommandNumber(amplitude)}V ${formatCommandNumber(width)}s`;
    const fields = await this.command(command, this.settings.timeoutMs + width * 1000);
    const v = parseUnitValue(fields[0], 'V');
    const w = parseUnitValue(fields[1], 's');
    const i = parseUnitValue(fields[2], 'A', true);
    if (fields.length !== 3 || v === null || w === null || i === null) throw this.garbled(command, fields);
    this.checkApplied(command, 'amplitude', v, amplitude, 'V', VOLTAGE_TOLERANCE);
    this.checkApplied(command, 'width', w, width, 's', WIDTH_TOLERANCE);
    return { current: i };
  }

  /** `STEP <V>V <dwell>s <compliance>A` → `OK <V>V <dwell>s <current>A <0|1>`: 1 when the board held the current at the compliance. */
  protected async doStep(voltage: number, dwell: number, compliance: number): Promise<PulseResult> {
    const command = `STEP ${formatCommandNumber(voltage)}V ${formatCommandNumber(dwell)}s ${formatCommandNumber(compliance)}A`;
    const fields = await this.command(command, this.settings.timeoutMs + dwell * 1000);
    const step = parseStepFields(fields);
    if (step === null) throw this.garbled(command, fields);
    this.checkApplied(command, 'step voltage', step.voltage, voltage, 'V', VOLTAGE_TOLERANCE);
    this.checkApplied(command, 'dwell', step.dwell, dwell, 's', WIDTH_TOLERANCE);
    return { current: step.current, inCompliance: step.inCompliance };
  }

  protected async doRead(voltage: number): Promise<DeviceReading> {
    const command = `READ ${formatCommandNumber(voltage)}V`;
    const fields = await this.command(command);
    const v = parseUnitValue(fields[0], 'V');
    const i = parseUnitValue(fields[1], 'A');
    if (fields.length !== 2 || v === null || i === null) throw this.garbled(command, fields);
    this.checkApplied(command, 'read voltage', v, voltage, 'V', VOLTAGE_TOLERANCE);
    // The conductance uses the voltage the board applied, which is what the current flowed at.
    return { current: i, conductance: i / v };
  }

  protected async doOutputOff(confirm: boolean): Promise<void> {
    if (!confirm) {
      // Its OK will arrive while nothing waits for it; the resync that follows discards it.
      await this.transport.write('OFF');
      return;
    }
    await this.command('OFF');
  }

  protected async doQueryErrors(): Promise<string[]> {
    const errors: string[] = [];
    for (let k = 0; k < 32; k++) {
      const fields = await this.command('ERR?');
      if (fields.length === 1 && fields[0] === 'NONE') return errors;
      if (fields.length < 1 || !/^[A-Z]+$/.test(fields[0]!)) throw this.garbled('ERR?', fields);
      errors.push(fields.join(' '));
    }
    return errors;
  }

  /** Sends a command and returns the fields of its OK reply; an ERR reply becomes an error. */
  private async command(command: string, timeoutMs?: number): Promise<string[]> {
    const reply = await this.ask(command, parseBoardReply, "'OK …' or 'ERR <CODE> <message>'", timeoutMs);
    if (reply.ok) return reply.fields;
    const detail = `${reply.code}${reply.message ? ` ${reply.message}` : ''}`;
    if (reply.code === 'COMPLIANCE') throw new InstrumentError('compliance', `compliance reached during '${command}': ${detail}`, command);
    throw new InstrumentError(reply.code === 'LIMIT' ? 'unsafe' : 'instrument', `the board refused '${command}': ${detail}`, command);
  }

  private garbled(command: string, fields: string[]): InstrumentError {
    this.log.note(`garbled reply to '${command}'`);
    return new InstrumentError('protocol', `garbled reply to '${command}': ${quoteReply(['OK', ...fields].join(' '))}`, command);
  }

  private checkApplied(
    command: string,
    what: string,
    applied: number,
    asked: number,
    unit: string,
    tolerance: { relative: number; absolute: number },
  ): void {
    if (Math.abs(applied - asked) <= Math.max(tolerance.absolute, tolerance.relative * Math.abs(asked))) return;
    throw new InstrumentError('instrument', `the board applied a ${what} of ${formatSI(applied, unit)} instead of ${formatSI(asked, unit)}`, command);
  }
}

function parseLimits(fields: string[]): Required<InstrumentLimits> | null {
  if (fields.length !== 4) return null;
  const maxVoltage = parseUnitValue(fields[0], 'V');
  const compliance = parseUnitValue(fields[1], 'A');
  const maxWidth = parseUnitValue(fields[2], 's');
  const readCompliance = parseUnitValue(fields[3], 'A');
  if (maxVoltage === null || compliance === null || maxWidth === null || readCompliance === null) return null;
  return { maxVoltage, compliance, maxWidth, readCompliance };
}

/** The fields of a STEP reply: voltage, dwell, current (all with units) and the compliance flag, 0 or 1. */
export function parseStepFields(fields: string[]): { voltage: number; dwell: number; current: number; inCompliance: boolean } | null {
  if (fields.length !== 4 || (fields[3] !== '0' && fields[3] !== '1')) return null;
  const voltage = parseUnitValue(fields[0], 'V');
  const dwell = parseUnitValue(fields[1], 's');
  const current = parseUnitValue(fields[2], 'A');
  if (voltage === null || dwell === null || current === null) return null;
  return { voltage, dwell, current, inCompliance: fields[3] === '1' };
}
