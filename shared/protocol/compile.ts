import { takesParameter, type Block, type ComplianceOf, type ProtocolDocument, type SweepParameter } from './document';
import type { SafetyLimits } from './limits';
import type { Problem } from './problems';
import { childPath } from './problems';
import { PROGRAM_FORMAT, type BlockInfo, type Instruction, type LoopCount, type Operand, type Program } from './program';
import { ivCycleVoltages } from './iv-steps';
import { readDefaults, resolveRead, type ResolvedRead } from './reads';
import { rampAmplitude, rampCount } from './timing';
import { validateProtocol, type ValidateOptions } from './validate';

export type CompileResult = { ok: true; program: Program; document: ProtocolDocument } | { ok: false; problems: Problem[] };

/**
 * Validates a document (any JSON) and compiles it. Only a document that passes validation, the
 * safety limits included, compiles: there is no other way to get a Program from a document.
 */
export function compileProtocol(input: unknown, options: ValidateOptions = {}): CompileResult {
  const result = validateProtocol(input, options);
  if (!result.ok) return result;
  return { ok: true, program: new Compiler(result.document, result.limits).program(), document: result.document };
}

/** Which register holds each parameter an enclosing sweep binds. */
type Registers = ReadonlyMap<SweepParameter, number>;

class Compiler {
  private readonly instructions: Instruction[] = [];
  private readonly blocks: BlockInfo[] = [];
  private registers = 0;
  private readonly reads: ResolvedRead;

  constructor(
    private readonly document: ProtocolDocument,
    private readonly limits: SafetyLimits,
  ) {
    this.reads = readDefaults(document.read);
  }

  program(): Program {
    this.body(this.document.blocks, 'blocks', -1, new Map());
    return {
      format: PROGRAM_FORMAT,
      version: 1,
      name: this.document.name,
      limits: { ...this.limits },
      registers: this.registers,
      instructions: this.instructions,
      blocks: this.blocks,
    };
  }

  private body(blocks: readonly Block[], path: string, parent: number, regs: Registers): void {
    blocks.forEach((block, k) => this.block(block, childPath(path, k), parent, regs));
  }

  private block(block: Block, path: string, parent: number, regs: Registers): void {
    const index = this.blocks.length;
    this.blocks.push({ path, kind: block.kind, ...(block.id === undefined ? {} : { id: block.id }), ...(block.label === undefined ? {} : { label: block.label }), parent });
    // A parameter bound by an enclosing sweep comes from its register; validation guarantees the rest are present.
    const value = (parameter: SweepParameter, own: number | undefined): Operand => {
      const reg = takesParameter(block.kind, parameter) ? regs.get(parameter) : undefined;
      return reg === undefined ? (own ?? Number.NaN) : { reg };
    };
    const emit = (instruction: Instruction): void => {
      this.instructions.push(instruction);
    };
    switch (block.kind) {
      case 'pulse': {
        const amplitude = value('amplitude', block.amplitude);
        const width = value('width', block.width);
        const c = block.compliance;
        // A pulse under a compliance is a source–measure step.
        if (c !== undefined) emit({ kind: 'step', voltage: amplitude, dwell: width, compliance: { positive: c, negative: c }, block: index });
        else emit({ kind: 'pulse', amplitude, width, block: index });
        this.readAfter(resolveRead(block.read, this.reads), index);
        return;
      }
      case 'train': {
        const period = value('period', block.period);
        this.loop(block.count, index, () => {
          emit({ kind: 'pulse', amplitude: value('amplitude', block.amplitude), width: value('width', block.width), period, block: index });
          this.readAfter(resolveRead(block.read, this.reads), index);
          emit({ kind: 'pace', period, block: index });
        });
        return;
      }
      case 'read': {
        const read = { voltage: block.voltage ?? this.reads.voltage, integration: block.integration ?? this.reads.integration };
        const interval = block.interval === undefined && !regs.has('interval') ? undefined : value('interval', block.interval);
        if (interval === undefined) {
          this.readAfter(read, index);
          return;
        }
        this.loop(block.count ?? 1, index, () => {
          this.readAfter(read, index);
          emit({ kind: 'pace', period: interval, block: index });
        });
        return;
      }
      case 'wait': {
        const duration = value('duration', block.duration);
        if (block.readEvery === undefined) {
          emit({ kind: 'wait', duration, block: index });
          return;
        }
        const every = block.readEvery;
        const read = resolveRead(block.read ?? true, this.reads);
        this.loop({ readsDuring: { duration, every } }, index, () => {
          this.readAfter(read, index);
          emit({ kind: 'pace', period: every, cap: duration, block: index });
        });
        return;
      }
      case 'ramp': {
        const n = rampCount(block.from, block.to, block.step);
        const amplitudes = Array.from({ length: n }, (_, k) => rampAmplitude(block.from, block.to, block.step, k));
        const register = this.registers++;
        const period = value('period', block.period);
        this.loop(n, index, () => {
          emit({ kind: 'bind', register, values: amplitudes, block: index });
          emit({ kind: 'pulse', amplitude: { reg: register }, width: value('width', block.width), period, block: index });
          this.readAfter(resolveRead(block.read, this.reads), index);
          emit({ kind: 'pace', period, block: index });
        });
        return;
      }
      case 'repeat': {
        this.loop(block.times, index, () => this.body(block.body, childPath(path, 'body'), index, regs));
        return;
      }
      case 'sweep': {
        const register = this.registers++;
        const inner = new Map(regs).set(block.parameter, register);
        this.loop(block.values.length, index, () => {
          emit({ kind: 'bind', register, values: [...block.values], block: index });
          this.body(block.body, childPath(path, 'body'), index, inner);
        });
        return;
      }
      case 'iv-sweep': {
        const voltages = ivCycleVoltages({ ...block, spacing: block.spacing ?? 'linear' });
        const dwell = block.dwell ?? (block.step ?? Number.NaN) / (block.rate ?? Number.NaN);
        const compliance = perPolarity(block.compliance, this.limits.compliance);
        const register = this.registers++;
        this.loop(block.cycles ?? 1, index, () => {
          this.loop(voltages.length, index, () => {
            emit({ kind: 'bind', register, values: voltages, block: index });
            emit({ kind: 'step', voltage: { reg: register }, dwell, compliance, block: index });
          });
        });
        return;
      }
      case 'forming': {
        const n = rampCount(block.from, block.to, block.step);
        const amplitudes = Array.from({ length: n }, (_, k) => rampAmplitude(block.from, block.to, block.step, k));
        const pulses = block.mode === 'pulses';
        const byResistance = block.targetResistance !== undefined;
        const register = this.registers++;
        const compliance = { positive: block.compliance, negative: block.compliance };
        const read = pulses ? resolveRead(block.read ?? true, this.reads) : undefined;
        this.feedback(
          {
            kind: 'until',
            when: byResistance ? 'below' : 'above',
            threshold: block.targetResistance ?? block.targetCurrent ?? Number.NaN,
            relative: false,
            watch: { on: pulses ? 'read' : 'step', quantity: byResistance ? 'resistance' : 'current' },
            exit: 'forming',
            maxIterations: 1,
            end: -1,
            block: index,
          },
          () =>
            this.loop(n, index, () => {
              emit({ kind: 'bind', register, values: amplitudes, block: index });
              emit({ kind: 'step', voltage: { reg: register }, dwell: block.width, compliance, block: index });
              this.readAfter(read, index);
              if (block.period !== undefined) emit({ kind: 'pace', period: block.period, block: index });
            }),
        );
        return;
      }
      case 'converge': {
        const read = resolveRead(block.read ?? true, this.reads) as ResolvedRead;
        const amplitude = this.registers++;
        const width = this.registers++;
        this.feedback(
          {
            kind: 'until',
            when: 'within',
            threshold: block.low,
            upper: block.high,
            relative: false,
            reference: { ...read },
            exit: 'converge',
            maxIterations: block.maxPulses,
            end: -1,
            block: index,
          },
          () => {
            emit({
              kind: 'choose',
              low: block.low,
              amplitude,
              width,
              below: { amplitude: block.setAmplitude, width: block.setWidth },
              above: { amplitude: block.resetAmplitude, width: block.resetWidth },
              block: index,
            });
            emit({ kind: 'step', voltage: { reg: amplitude }, dwell: { reg: width }, compliance: perPolarity(block.compliance, this.limits.compliance), block: index });
            this.readAfter(read, index);
          },
        );
        return;
      }
      case 'until': {
        const relative = block.relative !== undefined;
        const start = this.instructions.length;
        emit({
          kind: 'until',
          when: block.when,
          threshold: block.relative ?? block.threshold ?? Number.NaN,
          relative,
          ...(relative ? { reference: { ...this.reads } } : {}),
          maxIterations: block.maxIterations,
          end: -1,
          block: index,
        });
        this.body(block.body, childPath(path, 'body'), index, regs);
        const end = this.instructions.length;
        emit({ kind: 'again', start, block: index });
        const head = this.instructions[start];
        if (head?.kind === 'until') head.end = end;
        return;
      }
    }
  }

  /** An until (with its `again`) around a body: a feedback block's loop. */
  private feedback(head: Extract<Instruction, { kind: 'until' }>, body: () => void): void {
    const start = this.instructions.length;
    this.instructions.push(head);
    body();
    head.end = this.instructions.length;
    this.instructions.push({ kind: 'again', start, block: head.block });
  }

  private readAfter(read: ResolvedRead | undefined, block: number): void {
    if (read) this.instructions.push({ kind: 'read', voltage: read.voltage, integration: read.integration, block });
  }

  private loop(count: LoopCount, block: number, body: () => void): void {
    const start = this.instructions.length;
    this.instructions.push({ kind: 'loop', count, end: -1, block });
    body();
    const end = this.instructions.length;
    this.instructions.push({ kind: 'next', start, block });
    const head = this.instructions[start];
    if (head?.kind === 'loop') head.end = end;
  }
}

/** A compliance for both polarities or one per polarity, each defaulting to the protocol's limit. */
function perPolarity(c: ComplianceOf<number> | undefined, fallback: number): { positive: number; negative: number } {
  return typeof c === 'number' ? { positive: c, negative: c } : { positive: c?.positive ?? fallback, negative: c?.negative ?? fallback };
}
