import { PROTOCOL_BOUNDS } from '../contract/limits';
import { formatCount, formatDuration, formatSI } from '../units';
import { exceeds, TOLERANCE } from './defaults';
import { describeLimit } from './limits';
import { checkPulse, checkShape, checkStep, passingSteps, ProgramError, SafetyLimitError } from './program-checks';

export { ProgramError, SafetyLimitError };
import type { ExitKind, ExitNote, Instruction, LoopCount, Op, OpResult, Operand, Program, ReadRunOp, ReadRunOutcome, StepRunOp, StepRunOutcome, Watch } from './program';
import { NEGLIGIBLE_WAIT, paceTarget, stepReadRun } from './read-runs';
import { readsDuring } from './timing';

export interface ExecuteOptions {
  /**
   * Yield each paced loop of reads that nothing depends on as one ReadRunOp (answered with a
   * ReadRunOutcome) instead of read and wait operations one by one. Default false.
   */
  readRuns?: boolean;
  /**
   * Yield each I–V sweep's staircase that nothing depends on as one StepRunOp (answered with a
   * StepRunOutcome) instead of its steps one by one. Default false.
   */
  stepRuns?: boolean;
  /**
   * Called as each iteration of a loop begins (from 0): a repeat, a sweep or an until, and the
   * loops of trains, ramps, paced reads and I–V sweeps (two: cycles, and steps within), each with
   * its block and the index of its first instruction (an outer loop's is the smaller). The
   * iterations a ReadRunOp or a StepRunOp takes are not reported one by one. For replaying a recording
   * (replay.ts): which cycle a sample is in.
   */
  onIteration?: (block: number, iteration: number, start: number) => void;
  /**
   * Called when a forming or converge block ends: its target reached, or not (the maximum voltage
   * or pulse count). Not called for one cut short by an enclosing until that stopped first.
   */
  onExit?: (note: ExitNote) => void;
}

interface UntilFrame {
  kind: 'until';
  start: number;
  end: number;
  max: number;
  iteration: number;
  when: 'above' | 'below' | 'within';
  threshold: number;
  upper: number;
  watch: Watch;
  exit?: ExitKind;
  block: number;
  /** The program's pulse count when the block began (its own pulses are the difference). */
  pulses0: number;
  /** The last measurement it watched. */
  value: number;
}

type Frame = { kind: 'loop'; start: number; count: number; iteration: number; t0: number } | UntilFrame;

/** What an until watches when its instruction does not say: the conductance of every read. */
const READ_CONDUCTANCE: Watch = { on: 'read', quantity: 'conductance' };

function conditionMet(f: UntilFrame, x: number): boolean {
  if (f.when === 'above') return x >= f.threshold;
  if (f.when === 'below') return x <= f.threshold;
  return x >= f.threshold && x <= f.upper;
}

/**
 * Runs a program, yielding one operation at a time and receiving each read's result, so that one
 * interpreter drives a simulated device synchronously and an instrument asynchronously:
 *
 *   const run = execute(program);
 *   for (let step = run.next(); !step.done; ) step = run.next(await device.do(step.value));
 *
 * Time is protocol time in seconds from the start: a train at period P puts pulse k at k·P, a read
 * after a pulse starts when the pulse ends, and a wait fills the rest of each period. Every
 * operation is checked against the program's limits before it is yielded (SafetyLimitError).
 *
 * With `readRuns`, a paced loop of reads (a read block with an interval, a wait that reads every
 * Δt) that no until depends on comes as one ReadRunOp for the rest of the loop, answered with how
 * many of its reads were taken; the rest comes again. Its reads and waits, walked with
 * stepReadRun, are exactly the operations that would otherwise come one by one.
 */
export function execute(program: Program): Generator<Op, void, OpResult>;
export function execute(program: Program, options: ExecuteOptions): Generator<Op | ReadRunOp | StepRunOp, void, OpResult | ReadRunOutcome | StepRunOutcome>;
export function* execute(program: Program, options: ExecuteOptions = {}): Generator<Op | ReadRunOp | StepRunOp, void, OpResult | ReadRunOutcome | StepRunOutcome> {
  checkShape(program);
  const code = program.instructions;
  const runHeads = options.readRuns === true ? code.map((_, k) => isReadRunHead(code, k)) : null;
  const stepHeads = options.stepRuns === true ? code.map((_, k) => isStepRunHead(code, k)) : null;
  const limits = program.limits;
  const onIteration = options.onIteration;
  const onExit = options.onExit;
  const registers = new Float64Array(Math.max(0, program.registers)).fill(Number.NaN);
  const frames: Frame[] = [];
  const value = (x: Operand): number => (typeof x === 'number' ? x : (registers[x.reg] ?? Number.NaN));
  let now = 0;
  let pulses = 0;
  let reads = 0;
  /** Pulses, reads and waits, counted as validation counts them (PROTOCOL_BOUNDS). */
  let operations = 0;
  let pc = 0;
  /** The conductance of the last read (a choose picks its pulse by it). */
  let lastG = Number.NaN;
  /** The voltage of the last pulse or step. */
  let lastApplied = Number.NaN;
  /** The workbench's bounds hold for any program, whatever its limits say: checked before each operation. */
  const bounded = (more: number): void => {
    operations += more;
    if (operations > PROTOCOL_BOUNDS.maxOperations) {
      throw new SafetyLimitError(`more than ${formatCount(PROTOCOL_BOUNDS.maxOperations)} operations exceeds the workbench's bound on one protocol`);
    }
    if (!(now <= PROTOCOL_BOUNDS.maxDurationS * (1 + TOLERANCE))) {
      throw new SafetyLimitError(`protocol time ${formatDuration(now)} exceeds the workbench's bound of ${formatDuration(PROTOCOL_BOUNDS.maxDurationS)} on one protocol`);
    }
    if (pulses + reads > PROTOCOL_BOUNDS.maxSamples) {
      throw new SafetyLimitError(`more than ${formatCount(PROTOCOL_BOUNDS.maxSamples)} samples exceeds the workbench's bound on one protocol`);
    }
  };

  const top = (): Frame => {
    const frame = frames[frames.length - 1];
    if (frame === undefined) throw new ProgramError(`instruction ${pc} needs an enclosing loop`);
    return frame;
  };
  const loopFrame = (): Frame & { kind: 'loop' } => {
    const frame = top();
    if (frame.kind !== 'loop') throw new ProgramError(`instruction ${pc} needs an enclosing loop`);
    return frame;
  };
  const report = (f: UntilFrame, reached: boolean): void => {
    if (f.exit === undefined || onExit === undefined) return;
    const { when, threshold, watch } = f;
    const own = pulses - f.pulses0;
    const note: ExitNote = { kind: f.exit, block: f.block, t: now, reached, value: f.value, voltage: own > 0 ? lastApplied : Number.NaN, pulses: own, when, threshold, quantity: watch.quantity, on: watch.on };
    if (when === 'within') note.upper = f.upper;
    onExit(note);
  };
  /**
   * Where to continue after a measurement (a read's or a step's: G and |I|): past the
   * outermost until watching such measurements whose condition it met.
   */
  const measured = (on: Watch['on'], g: number, current: number, next: number): number => {
    if (on === 'read') lastG = g;
    for (let k = 0; k < frames.length; k++) {
      const f = frames[k];
      if (f?.kind !== 'until' || f.watch.on !== on) continue;
      const q = f.watch.quantity;
      f.value = q === 'current' ? current : q === 'resistance' ? 1 / g : g;
      if (conditionMet(f, f.value)) {
        frames.length = k;
        report(f, true);
        return f.end + 1;
      }
    }
    return next;
  };
  const read = function* (voltage: number, integration: number, block: number): Generator<Op, { g: number; i: number }, OpResult | ReadRunOutcome | StepRunOutcome> {
    if (exceeds(Math.abs(voltage), limits.maxVoltage)) throw new SafetyLimitError(`read voltage ${formatSI(voltage, 'V')} exceeds ${describeLimit('maxVoltage', limits.maxVoltage)}`);
    if (++reads > limits.maxReads) throw new SafetyLimitError(`more than ${formatCount(limits.maxReads)} reads exceeds ${describeLimit('maxReads', limits.maxReads)}`);
    bounded(1);
    const result = yield { op: 'read', t: now, voltage, integration, block };
    now += integration;
    const got = result !== undefined && 'conductance' in result ? result : undefined;
    const g = typeof got?.conductance === 'number' ? got.conductance : Number.NaN;
    const i = typeof got?.current === 'number' ? got.current : g * voltage;
    return { g, i: Math.abs(i) };
  };
  /**
   * The rest of the paced read loop whose read is at `pc` as one operation; false when it has to go
   * one read at a time (an until may stop on a reading; a limit is about to be reached).
   */
  const readRun = function* (ins: Instruction & { kind: 'read' }): Generator<ReadRunOp, boolean, OpResult | ReadRunOutcome | StepRunOutcome> {
    const frame = frames[frames.length - 1];
    const pace = code[pc + 1];
    if (frame?.kind !== 'loop' || frame.start !== pc - 1 || pace?.kind !== 'pace') return false;
    if (frames.some((f) => f.kind === 'until') || exceeds(Math.abs(ins.voltage), limits.maxVoltage)) return false;
    const count = Math.min(frame.count - frame.iteration, limits.maxReads - reads, PROTOCOL_BOUNDS.maxOperations - operations, PROTOCOL_BOUNDS.maxSamples - pulses - reads);
    if (!(count >= 1)) return false;
    const op: ReadRunOp = {
      op: 'reads',
      t: now,
      voltage: ins.voltage,
      integration: ins.integration,
      block: ins.block,
      count,
      start: frame.t0,
      iteration: frame.iteration,
      period: value(pace.period),
      cap: pace.cap === undefined ? Number.POSITIVE_INFINITY : value(pace.cap),
    };
    const result = yield op;
    const taken = result !== undefined && 'reads' in result ? result.reads : Number.NaN;
    if (!Number.isInteger(taken) || taken < 1 || taken > count) {
      throw new RangeError(`a run of ${count} reads must be answered with the number taken (1…${count}), got ${String(taken)}`);
    }
    reads += taken;
    operations += taken;
    now = stepReadRun(op, taken);
    frame.iteration += taken;
    if (frame.iteration >= frame.count) {
      frames.pop();
      pc += 3; // past the pace and the loop's next
    }
    return true;
  };
  /**
   * The rest of the staircase whose bind is at `pc` as one operation: as many of its steps as pass
   * every check the one-at-a-time path makes before a step (so a step that would fail is still
   * taken alone, and fails as it would); false when it has to go one step at a time (an until
   * watches steps, or the next step already fails a check).
   */
  const stepRun = function* (bind: Instruction & { kind: 'bind' }): Generator<StepRunOp, boolean, OpResult | ReadRunOutcome | StepRunOutcome> {
    const frame = frames[frames.length - 1];
    const ins = code[pc + 1];
    if (frame?.kind !== 'loop' || frame.start !== pc - 1 || ins?.kind !== 'step') return false;
    if (frames.some((f) => f.kind === 'until' && f.watch.on === 'step')) return false;
    const limit = (ins.compliance as Partial<typeof ins.compliance> | undefined) ?? {};
    const compliance = { positive: limit.positive ?? Number.NaN, negative: limit.negative ?? Number.NaN };
    const dwell = value(ins.dwell);
    const voltages = bind.values;
    const first = frame.iteration;
    const most = Math.min(frame.count, voltages.length) - first;
    const count = passingSteps(program, voltages, first, most, dwell, compliance, { now, pulses, reads, operations });
    if (count < 1) return false;
    const op: StepRunOp = { op: 'steps', t: now, voltages, first, count, dwell, compliance, block: ins.block };
    const result = yield op;
    const taken = result !== undefined && 'steps' in result ? result.steps : Number.NaN;
    if (!Number.isInteger(taken) || taken < 1 || taken > count) {
      throw new RangeError(`a run of ${count} steps must be answered with the number taken (1…${count}), got ${String(taken)}`);
    }
    pulses += taken;
    operations += taken;
    // Summed in a local (a closure's number is boxed anew at every +=), step by step as ever.
    let end = now;
    for (let k = 0; k < taken; k++) end += dwell;
    now = end;
    const last = voltages[first + taken - 1] as number;
    registers[bind.register] = last;
    lastApplied = last;
    frame.iteration += taken;
    if (frame.iteration >= frame.count) {
      frames.pop();
      pc += 3; // past the step and the loop's next
    }
    return true;
  };

  while (pc < code.length) {
    const ins: Instruction | undefined = code[pc];
    if (ins === undefined) throw new ProgramError(`no instruction at ${pc}`);
    switch (ins.kind) {
      case 'pulse': {
        const amplitude = value(ins.amplitude);
        const width = value(ins.width);
        const period = ins.period === undefined ? undefined : value(ins.period);
        checkPulse(program, amplitude, width, period, ++pulses);
        bounded(1);
        lastApplied = amplitude;
        yield { op: 'pulse', t: now, amplitude, width, ...(period === undefined ? {} : { period }), block: ins.block };
        now += width;
        pc++;
        break;
      }
      case 'step': {
        const voltage = value(ins.voltage);
        // A hand-made program may lack the compliance: NaN, which checkStep refuses.
        const limit = (ins.compliance as Partial<typeof ins.compliance> | undefined) ?? {};
        const compliance = (voltage < 0 ? limit.negative : limit.positive) ?? Number.NaN;
        const dwell = value(ins.dwell);
        checkStep(program, voltage, dwell, compliance, ++pulses);
        bounded(1);
        lastApplied = voltage;
        const result = yield { op: 'step', t: now, voltage, dwell, compliance, block: ins.block };
        now += dwell;
        if (frames.some((f) => f.kind === 'until' && f.watch.on === 'step')) {
          const current = result !== undefined && 'current' in result && typeof result.current === 'number' ? Math.abs(result.current) : Number.NaN;
          pc = measured('step', voltage !== 0 ? current / Math.abs(voltage) : Number.NaN, current, pc + 1);
        } else pc++;
        break;
      }
      case 'read': {
        if (runHeads?.[pc] === true && (yield* readRun(ins))) break;
        const { g, i } = yield* read(ins.voltage, ins.integration, ins.block);
        pc = measured('read', g, i, pc + 1);
        break;
      }
      case 'wait': {
        const duration = value(ins.duration);
        if (!(duration >= 0)) throw new ProgramError(`wait of ${duration} s at instruction ${pc}`);
        bounded(1);
        if (duration > NEGLIGIBLE_WAIT) yield { op: 'wait', t: now, duration, block: ins.block };
        now += duration;
        pc++;
        break;
      }
      case 'loop': {
        const count = loopCount(ins.count, value);
        if (count > 0) {
          frames.push({ kind: 'loop', start: pc, count, iteration: 0, t0: now });
          onIteration?.(ins.block, 0, pc);
          pc++;
        } else {
          // A wait that reads nothing in its 0 s still counts, as validation counts it.
          if (typeof ins.count !== 'number') bounded(1);
          pc = ins.end + 1;
        }
        break;
      }
      case 'next': {
        const frame = loopFrame();
        if (++frame.iteration < frame.count) {
          onIteration?.(ins.block, frame.iteration, frame.start);
          pc = frame.start + 1;
        } else {
          frames.pop();
          pc++;
        }
        break;
      }
      case 'bind': {
        if (stepHeads?.[pc] === true && (yield* stepRun(ins))) break;
        const frame = loopFrame();
        const v = ins.values[frame.iteration];
        if (v === undefined) throw new ProgramError(`bind at instruction ${pc} has no value for iteration ${frame.iteration}`);
        registers[ins.register] = v;
        pc++;
        break;
      }
      case 'pace': {
        const frame = loopFrame();
        const cap = ins.cap === undefined ? Number.POSITIVE_INFINITY : value(ins.cap);
        const target = paceTarget(frame.t0, frame.iteration, value(ins.period), cap);
        if (target - now > NEGLIGIBLE_WAIT) yield { op: 'wait', t: now, duration: target - now, block: ins.block };
        now = Math.max(now, target);
        pc++;
        break;
      }
      case 'until': {
        const frame: UntilFrame = {
          kind: 'until',
          start: pc,
          end: ins.end,
          max: ins.maxIterations,
          iteration: 0,
          when: ins.when,
          threshold: ins.threshold,
          upper: ins.upper ?? Number.NaN,
          watch: ins.watch ?? READ_CONDUCTANCE,
          ...(ins.exit === undefined ? {} : { exit: ins.exit }),
          block: ins.block,
          pulses0: pulses,
          value: Number.NaN,
        };
        if (ins.reference) {
          // An absolute condition may be met by the reference read itself (a converge already in its band).
          if (!ins.relative) frames.push(frame);
          const { g, i } = yield* read(ins.reference.voltage, ins.reference.integration, ins.block);
          const next = measured('read', g, i, pc);
          if (next !== pc) {
            pc = next;
            break;
          }
          if (ins.relative) frame.threshold *= g;
        }
        if (!ins.reference || ins.relative) frames.push(frame);
        onIteration?.(ins.block, 0, pc);
        pc++;
        break;
      }
      case 'choose': {
        // Below the band: the SET pulse; above it (or with no reading): the RESET pulse.
        const pick = lastG < ins.low ? ins.below : ins.above;
        registers[ins.amplitude] = pick.amplitude;
        registers[ins.width] = pick.width;
        pc++;
        break;
      }
      case 'again': {
        const frame = top();
        if (frame.kind !== 'until') throw new ProgramError(`again at instruction ${pc} without its until`);
        if (++frame.iteration < frame.max) {
          onIteration?.(ins.block, frame.iteration, frame.start);
          pc = frame.start + 1;
        } else {
          frames.pop();
          report(frame, false);
          pc++;
        }
        break;
      }
    }
  }
}

/** True for a read that is the whole body of a counted loop with its pace: `loop, read, pace, next`. */
function isReadRunHead(code: readonly Instruction[], k: number): boolean {
  const loop = code[k - 1];
  const next = code[k + 2];
  return code[k]?.kind === 'read' && loop?.kind === 'loop' && loop.end === k + 2 && code[k + 1]?.kind === 'pace' && next?.kind === 'next' && next.start === k - 1;
}

/**
 * True for a bind that, with its step, is the whole body of a counted loop — `loop, bind, step,
 * next` — the step taking the bound register as its voltage: an I–V sweep's staircase.
 */
function isStepRunHead(code: readonly Instruction[], k: number): boolean {
  const loop = code[k - 1];
  const bind = code[k];
  const step = code[k + 1];
  const next = code[k + 2];
  return (
    bind?.kind === 'bind' &&
    loop?.kind === 'loop' &&
    loop.end === k + 2 &&
    step?.kind === 'step' &&
    typeof step.voltage === 'object' &&
    step.voltage.reg === bind.register &&
    !(typeof step.dwell === 'object' && step.dwell.reg === bind.register) &&
    next?.kind === 'next' &&
    next.start === k - 1
  );
}

function loopCount(count: LoopCount, value: (x: Operand) => number): number {
  if (typeof count === 'number') return count;
  return readsDuring(value(count.readsDuring.duration), value(count.readsDuring.every));
}
