import { PULSE_BOARD_PROTOCOL, PULSE_BOARD_PROTOCOL_VERSION } from '../drivers/pulse-board';
import { formatCommandNumber, parseStrictNumber } from '../numbers';
import type { DeviceUnderTest } from './dut';
import type { Personality } from './personality';

/**
 * A reference implementation of the pulse-board line protocol (resources/help/pulse-board-protocol.md),
 * written as firmware would be: parse, check, act, reply exactly once. Hardware ranges are those of
 * a plausible ±10 V DAC board with a transimpedance amplifier.
 */
const HARDWARE = { maxVoltage: 10, maxCurrent: 0.1, minWidth: 1e-5, maxWidth: 10 };
/** How long a read integrates (s). */
export const BOARD_READ_TIME = 1e-3;

interface Limits {
  maxVoltage: number;
  compliance: number;
  maxWidth: number;
  readCompliance: number;
}

class BoardError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const fmt = formatCommandNumber;
const fmtCurrent = (i: number): string => `${i.toExponential(6)}A`;

export class PulseBoardPersonality implements Personality {
  readonly replyTerminator = '\n';
  private limits: Limits | null = null;
  private outputOn = false;
  private readonly errors: string[] = [];

  constructor(
    private readonly dut: DeviceUnderTest,
    readonly idn = `OK ${PULSE_BOARD_PROTOCOL},${PULSE_BOARD_PROTOCOL_VERSION},Memristor Workbench,Virtual pulse board,VIRTUAL-0001,1.0.0`,
  ) {}

  output(): { on: boolean; level: number } {
    return { on: this.outputOn, level: 0 };
  }

  handle(line: string): string[] {
    const text = line.trim();
    if (text === '') return [];
    try {
      return [this.execute(text.split(/\s+/))];
    } catch (e) {
      if (!(e instanceof BoardError)) throw e;
      this.outputOn = false;
      return [`ERR ${e.code} ${e.message}`];
    }
  }

  private execute([keyword = '', ...args]: string[]): string {
    switch (keyword.toUpperCase()) {
      case '*IDN?':
        this.arity(args, 0, '*IDN?');
        return this.idn;
      case 'LIMITS': {
        this.arity(args, 4, 'LIMITS <maxV>V <compliance>A <maxWidth>s <readCompliance>A');
        const asked = {
          maxVoltage: this.value(args[0], 'V'),
          compliance: this.value(args[1], 'A'),
          maxWidth: this.value(args[2], 's'),
          readCompliance: this.value(args[3], 'A'),
        };
        if (Object.values(asked).some((x) => !(x > 0))) throw new BoardError('RANGE', 'every limit must be positive');
        // The board enforces the stricter of what it is asked and what its hardware can do.
        this.limits = {
          maxVoltage: Math.min(asked.maxVoltage, HARDWARE.maxVoltage),
          compliance: Math.min(asked.compliance, HARDWARE.maxCurrent),
          maxWidth: Math.min(asked.maxWidth, HARDWARE.maxWidth),
          readCompliance: Math.min(asked.readCompliance, HARDWARE.maxCurrent),
        };
        return this.limitsReply();
      }
      case 'LIMITS?':
        this.arity(args, 0, 'LIMITS?');
        if (!this.limits) throw new BoardError('NOLIMITS', 'no limits set');
        return this.limitsReply();
      case 'PULSE': {
        this.arity(args, 2, 'PULSE <amplitude>V <width>s');
        const amplitude = this.value(args[0], 'V');
        const width = this.value(args[1], 's');
        const limits = this.requireLimits();
        if (Math.abs(amplitude) > limits.maxVoltage) throw new BoardError('LIMIT', `|${fmt(amplitude)}V| exceeds the ${fmt(limits.maxVoltage)}V limit`);
        if (width > limits.maxWidth) throw new BoardError('LIMIT', `${fmt(width)}s exceeds the ${fmt(limits.maxWidth)}s limit`);
        if (width < HARDWARE.minWidth) throw new BoardError('RANGE', `the shortest pulse is ${fmt(HARDWARE.minWidth)}s`);
        this.outputOn = true;
        const m = this.dut.cycle(amplitude, width, limits.compliance);
        this.outputOn = false;
        if (m.tripped) throw new BoardError('COMPLIANCE', `current reached the ${fmt(limits.compliance)}A limit; pulse cut short`);
        return `OK ${fmt(amplitude)}V ${fmt(width)}s ${fmtCurrent(m.current)}`;
      }
      case 'STEP': {
        this.arity(args, 3, 'STEP <voltage>V <dwell>s <compliance>A');
        const voltage = this.value(args[0], 'V');
        const dwell = this.value(args[1], 's');
        const compliance = this.value(args[2], 'A');
        const limits = this.requireLimits();
        if (Math.abs(voltage) > limits.maxVoltage) throw new BoardError('LIMIT', `|${fmt(voltage)}V| exceeds the ${fmt(limits.maxVoltage)}V limit`);
        if (dwell > limits.maxWidth) throw new BoardError('LIMIT', `${fmt(dwell)}s exceeds the ${fmt(limits.maxWidth)}s limit`);
        if (dwell < HARDWARE.minWidth) throw new BoardError('RANGE', `the shortest step is ${fmt(HARDWARE.minWidth)}s`);
        if (!(compliance > 0)) throw new BoardError('RANGE', 'the compliance must be positive');
        if (compliance > limits.compliance) throw new BoardError('LIMIT', `${fmt(compliance)}A exceeds the ${fmt(limits.compliance)}A compliance limit`);
        this.outputOn = true;
        const m = this.dut.cycle(voltage, dwell, compliance);
        this.outputOn = false;
        return `OK ${fmt(voltage)}V ${fmt(dwell)}s ${fmtCurrent(m.current)} ${m.tripped ? 1 : 0}`;
      }
      case 'READ': {
        this.arity(args, 1, 'READ <voltage>V');
        const voltage = this.value(args[0], 'V');
        const limits = this.requireLimits();
        if (Math.abs(voltage) > limits.maxVoltage) throw new BoardError('LIMIT', `|${fmt(voltage)}V| exceeds the ${fmt(limits.maxVoltage)}V limit`);
        if (voltage === 0) throw new BoardError('RANGE', 'a read needs a non-zero voltage');
        this.outputOn = true;
        const m = this.dut.cycle(voltage, BOARD_READ_TIME, limits.readCompliance);
        this.outputOn = false;
        if (m.tripped) throw new BoardError('COMPLIANCE', `current reached the ${fmt(limits.readCompliance)}A read limit`);
        return `OK ${fmt(voltage)}V ${fmtCurrent(m.current)}`;
      }
      case 'OFF':
        this.arity(args, 0, 'OFF');
        this.outputOn = false;
        return 'OK';
      case 'ERR?': {
        this.arity(args, 0, 'ERR?');
        return `OK ${this.errors.shift() ?? 'NONE'}`;
      }
      default:
        throw new BoardError('UNKNOWN', `unknown command '${keyword.slice(0, 20)}'`);
    }
  }

  private limitsReply(): string {
    const l = this.limits!;
    return `OK ${fmt(l.maxVoltage)}V ${fmt(l.compliance)}A ${fmt(l.maxWidth)}s ${fmt(l.readCompliance)}A`;
  }

  private requireLimits(): Limits {
    if (!this.limits) throw new BoardError('NOLIMITS', 'send LIMITS before PULSE or READ');
    return this.limits;
  }

  private arity(args: string[], n: number, usage: string): void {
    if (args.length !== n) throw new BoardError('SYNTAX', `usage: ${usage}`);
  }

  private value(field: string | undefined, unit: 'V' | 'A' | 's'): number {
    const x = field !== undefined && field.endsWith(unit) ? parseStrictNumber(field.slice(0, -1)) : null;
    if (x === null) throw new BoardError('SYNTAX', `expected a number with the unit ${unit}, got '${(field ?? '').slice(0, 20)}'`);
    return x;
  }
}
