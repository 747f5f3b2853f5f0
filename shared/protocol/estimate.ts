import { ProgramError } from './execute';
import type { Instruction, LoopCount, Operand, Program } from './program';
import { readsDuring } from './timing';

/** A figure that is exact, or an upper bound when an `until` may stop earlier. */
export interface Bounded {
  value: number;
  exact: boolean;
}

export interface ProgramEstimate {
  /** Protocol time from the start to the end of the last operation (s). */
  duration: Bounded;
  /** Pulses and I–V sweep steps (a step counts as a pulse). */
  pulses: Bounded;
  reads: Bounded;
  /**
   * Pulses, reads and waits (a wait that reads counts its reads, one that reads nothing in no time
   * still counts one), as shared/contract/limits.ts's PROTOCOL_BOUNDS counts them.
   */
  operations: Bounded;
  /** Largest |V| of any pulse or read (V); 0 when there is none. */
  maxAbsVoltage: number;
  /** Longest pulse or sweep step (s); 0 when there is none. */
  maxWidth: number;
  /** Largest width/period of a train or ramp pulse; 0 when there is none. */
  maxDutyCycle: number;
  /** True when an `until` makes the run depend on what the device does. */
  dataDependent: boolean;
}

interface Cost {
  duration: number;
  pulses: number;
  reads: number;
  operations: number;
  exact: boolean;
}

const none = (): Cost => ({ duration: 0, pulses: 0, reads: 0, operations: 0, exact: true });

/**
 * The duration, pulse and read counts and extremes of a program, computed from its structure
 * without running it: loops multiply, sweeps and ramps add up their values, an `until` counts at
 * its maximum iterations (and makes the figures upper bounds). A feedback block is costed at its
 * worst case: a forming block runs its whole staircase up to the maximum voltage, a converge block
 * applies all its pulses, each the longer of its SET and RESET pulses.
 */
export function estimateProgram(program: Program): ProgramEstimate {
  const analysis = new Analysis(program);
  const cost = analysis.range(0, program.instructions.length, new Float64Array(Math.max(0, program.registers)).fill(Number.NaN));
  return {
    duration: { value: cost.duration, exact: cost.exact },
    pulses: { value: cost.pulses, exact: cost.exact },
    reads: { value: cost.reads, exact: cost.exact },
    operations: { value: cost.operations, exact: cost.exact },
    maxAbsVoltage: analysis.maxAbsVoltage,
    maxWidth: analysis.maxWidth,
    maxDutyCycle: analysis.maxDutyCycle,
    dataDependent: !cost.exact,
  };
}

class Analysis {
  maxAbsVoltage = 0;
  maxWidth = 0;
  maxDutyCycle = 0;

  constructor(private readonly program: Program) {}

  private at(pc: number): Instruction {
    const ins = this.program.instructions[pc];
    if (ins === undefined) throw new ProgramError(`no instruction at ${pc}`);
    return ins;
  }

  /** The cost of instructions [from, to), with the registers as bound so far. */
  range(from: number, to: number, registers: Float64Array): Cost {
    const total = none();
    const value = (x: Operand): number => (typeof x === 'number' ? x : (registers[x.reg] ?? Number.NaN));
    let pc = from;
    while (pc < to) {
      const ins = this.at(pc);
      switch (ins.kind) {
        case 'pulse': {
          const width = value(ins.width);
          this.maxAbsVoltage = Math.max(this.maxAbsVoltage, Math.abs(value(ins.amplitude)));
          this.maxWidth = Math.max(this.maxWidth, width);
          if (ins.period !== undefined) this.maxDutyCycle = Math.max(this.maxDutyCycle, width / value(ins.period));
          total.duration += width;
          total.pulses += 1;
          total.operations += 1;
          pc++;
          break;
        }
        case 'step': {
          const dwell = value(ins.dwell);
          this.maxAbsVoltage = Math.max(this.maxAbsVoltage, Math.abs(value(ins.voltage)));
          this.maxWidth = Math.max(this.maxWidth, dwell);
          total.duration += dwell;
          total.pulses += 1;
          total.operations += 1;
          pc++;
          break;
        }
        case 'read':
          this.maxAbsVoltage = Math.max(this.maxAbsVoltage, Math.abs(ins.voltage));
          total.duration += ins.integration;
          total.reads += 1;
          total.operations += 1;
          pc++;
          break;
        case 'wait':
          total.duration += Math.max(0, value(ins.duration));
          total.operations += 1;
          pc++;
          break;
        case 'choose': {
          // Either pulse may come: the worst case of each (the larger |V|, the longer width).
          const { below, above } = ins;
          registers[ins.amplitude] = Math.abs(below.amplitude) >= Math.abs(above.amplitude) ? below.amplitude : above.amplitude;
          registers[ins.width] = Math.max(below.width, above.width);
          total.exact = false;
          pc++;
          break;
        }
        case 'loop':
          add(total, this.loop(pc, ins.count, ins.end, registers, value));
          pc = ins.end + 1;
          break;
        case 'until': {
          const body = this.range(pc + 1, ins.end, registers);
          if (ins.reference) {
            this.maxAbsVoltage = Math.max(this.maxAbsVoltage, Math.abs(ins.reference.voltage));
            add(total, { duration: ins.reference.integration, pulses: 0, reads: 1, operations: 1, exact: true });
          }
          add(total, body, ins.maxIterations);
          total.exact = false;
          pc = ins.end + 1;
          break;
        }
        default:
          throw new ProgramError(`${ins.kind} at instruction ${pc} outside the loop it belongs to`);
      }
    }
    return total;
  }

  /**
   * A loop: a `bind` first in its body means each iteration differs (sweeps, ramps) and is costed
   * on its own; a `pace` last means iteration k starts at k·period.
   */
  private loop(pc: number, countSpec: LoopCount, end: number, registers: Float64Array, value: (x: Operand) => number): Cost {
    const count = typeof countSpec === 'number' ? countSpec : readsDuring(value(countSpec.readsDuring.duration), value(countSpec.readsDuring.every));
    const first = this.at(pc + 1);
    const last = this.at(end - 1);
    const bind = first.kind === 'bind' && pc + 1 < end ? first : undefined;
    const pace = last.kind === 'pace' && end - 1 > pc ? last : undefined;
    const from = bind ? pc + 2 : pc + 1;
    const to = pace ? end - 1 : end;
    // A wait that reads nothing (0 s long) is still one operation each time it runs.
    if (count <= 0) return { ...none(), operations: typeof countSpec === 'number' ? 0 : 1 };

    if (!bind) {
      const body = this.range(from, to, registers);
      const total = none();
      add(total, body, count);
      if (pace) total.duration = pacedDuration(body.duration, count, value(pace.period), pace.cap === undefined ? Infinity : value(pace.cap));
      return total;
    }
    const total = none();
    const inner = registers.slice();
    const innerValue = (x: Operand): number => (typeof x === 'number' ? x : (inner[x.reg] ?? Number.NaN));
    let t = 0;
    for (let k = 0; k < count; k++) {
      inner[bind.register] = bind.values[k] ?? Number.NaN;
      const body = this.range(from, to, inner);
      add(total, { ...body, duration: 0 });
      t += body.duration;
      if (pace) t = Math.max(t, Math.min((k + 1) * innerValue(pace.period), pace.cap === undefined ? Infinity : innerValue(pace.cap)));
    }
    total.duration = t;
    return total;
  }
}

/**
 * How long a paced loop lasts: iteration k starts at k·period unless the previous one overran,
 * and the last ends at the cap if there is one (a wait whose duration is not a whole number of
 * read intervals).
 */
function pacedDuration(body: number, count: number, period: number, cap: number): number {
  if (body > period) return count * body;
  return Math.max((count - 1) * period + body, Math.min(count * period, cap));
}

function add(into: Cost, part: Cost, times = 1): void {
  into.duration += times * part.duration;
  into.pulses += times * part.pulses;
  into.reads += times * part.reads;
  into.operations += times * part.operations;
  into.exact &&= part.exact;
}
