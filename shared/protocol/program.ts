import type { BlockKind } from './document';
import type { SafetyLimits } from './limits';

/**
 * A compiled protocol: a flat instruction list that the interpreter (execute.ts) runs, and a block
 * table that maps every instruction, operation and sample back to the document. Plain data, so it
 * crosses IPC and worker boundaries as JSON.
 */
export const PROGRAM_FORMAT = 'memristor-workbench/program';

export interface Program {
  format: typeof PROGRAM_FORMAT;
  version: 1;
  name: string;
  /** The effective limits the program was compiled under; the interpreter enforces them again. */
  limits: SafetyLimits;
  /** How many registers the sweeps and ramps use. */
  registers: number;
  instructions: Instruction[];
  blocks: BlockInfo[];
}

/** One row of the block table: every block of the document, in document order (pre-order). */
export interface BlockInfo {
  /** Where the block is in the document, e.g. 'blocks[2].body[0]'. */
  path: string;
  kind: BlockKind;
  id?: string;
  label?: string;
  /** Index of the enclosing block, -1 at the top level. */
  parent: number;
}

/** A value known when compiling, or one a sweep or ramp binds while running. */
export type Operand = number | { reg: number };

/** A loop's iteration count: fixed, or the reads of a wait whose duration a sweep binds. */
export type LoopCount = number | { readsDuring: { duration: Operand; every: Operand } };

export type Instruction =
  | { kind: 'pulse'; amplitude: Operand; width: Operand; /** Set for trains and ramps, for the duty cycle. */ period?: Operand; block: number }
  | { kind: 'read'; voltage: number; integration: number; block: number }
  | { kind: 'wait'; duration: Operand; block: number }
  /** Starts a counted loop; `end` is the index of its `next`. */
  | { kind: 'loop'; count: LoopCount; end: number; block: number }
  | { kind: 'next'; start: number; block: number }
  /** First in a loop body: the register takes values[iteration]. */
  | { kind: 'bind'; register: number; values: number[]; block: number }
  /** Last in a loop body: wait until loop start + min((iteration + 1)·period, cap), so pulse k falls at k·period. */
  | { kind: 'pace'; period: Operand; cap?: Operand; block: number }
  /**
   * Starts an until loop; `end` is the index of its `again`. A relative threshold is `threshold`
   * times G from a reference read taken here, with the `reference` settings.
   */
  | {
      kind: 'until';
      /** 'within': stop once the measurement is in [threshold, upper]. */
      when: 'above' | 'below' | 'within';
      threshold: number;
      upper?: number;
      relative: boolean;
      reference?: { voltage: number; integration: number };
      /** What the condition is tested on; absent: the conductance of every read. */
      watch?: Watch;
      /** Report how the loop ended (onExit): a forming or converge block's. */
      exit?: ExitKind;
      maxIterations: number;
      end: number;
      block: number;
    }
  | { kind: 'again'; start: number; block: number }
  /**
   * One step of an I–V sweep: hold `voltage` for `dwell` under the compliance of its polarity
   * (`positive` for V ≥ 0), and measure the current at the end.
   */
  | { kind: 'step'; voltage: Operand; dwell: Operand; compliance: { positive: number; negative: number }; block: number }
  /**
   * Sets `amplitude` and `width` (registers) from the last measurement's G: `below` when it is under
   * `low`, `above` otherwise (a converge block's SET or RESET pulse).
   */
  | { kind: 'choose'; low: number; amplitude: number; width: number; below: PulseChoice; above: PulseChoice; block: number };

/** One of the pulses a choose picks. */
export interface PulseChoice {
  amplitude: number;
  width: number;
}

/**
 * The measurement an until tests: each read's (G, or |I| = |G·V| when the read reports no
 * current), or each source–measure step's (G = |I/V|, |I|); R = 1/G.
 */
export interface Watch {
  on: 'read' | 'step';
  /** 'resistance' is 1/G. */
  quantity: WatchQuantity;
}

export type WatchQuantity = 'conductance' | 'current' | 'resistance';

export type ExitKind = 'forming' | 'converge';

/**
 * How a reporting until ended (ExecuteOptions.onExit): `reached` its condition, at the measurement
 * `value` (S, A or Ω) taken by an operation at `voltage`, after `pulses` pulses or steps of its own;
 * or not (the maximum voltage, or the maximum pulse count), `value` then the last measurement (NaN
 * when there was none).
 */
export interface ExitNote {
  kind: ExitKind;
  block: number;
  /** Protocol time of the end (s). */
  t: number;
  reached: boolean;
  value: number;
  voltage: number;
  pulses: number;
  /** The condition: the until's `when`, threshold and upper, and what it watched. */
  when: 'above' | 'below' | 'within';
  threshold: number;
  upper?: number;
  quantity: WatchQuantity;
  /** Whose measurement: a read's, or a source–measure step's. */
  on: Watch['on'];
}

/** What the interpreter asks of a device, at protocol time t (s since the start). */
export type Op = PulseOp | ReadOp | WaitOp | StepOp;

export interface PulseOp {
  op: 'pulse';
  t: number;
  amplitude: number;
  width: number;
  /** The train's or ramp's period, when the pulse is part of one. */
  period?: number;
  block: number;
}

export interface ReadOp {
  op: 'read';
  t: number;
  voltage: number;
  integration: number;
  block: number;
}

/**
 * A source–measure step (an I–V sweep's): `voltage` for `dwell` with the current limited to
 * ±`compliance` (A), the current measured at its end. A device applies it as
 * `pulse(voltage, dwell, { compliance })`; the sample is kind pulse, with that current.
 */
export interface StepOp {
  op: 'step';
  t: number;
  voltage: number;
  dwell: number;
  compliance: number;
  block: number;
}

export interface WaitOp {
  op: 'wait';
  t: number;
  duration: number;
  block: number;
}

/** What the device reports back: the conductance (S) for a read; nothing for a pulse or a wait. */
export interface ReadOutcome {
  conductance: number;
  /** The measured current (A), when the device reports it; else G·V. */
  current?: number;
}
/** What a source–measure step measured at its end: the current (A), within ±compliance. */
export interface StepOutcome {
  current: number;
}
export type OpResult = ReadOutcome | StepOutcome | undefined;

/**
 * The rest of a paced loop of reads — a read block with an interval, or a wait that reads every Δt
 * — as one operation, for consumers that can take many reads in one call (a simulated device in
 * fast pace). Only `execute(program, { readRuns: true })` yields these, and only where nothing
 * depends on the readings (no enclosing until). Taken one by one, read k (from 0) starts at t_k
 * (t_0 = t) and lasts `integration`; the loop then waits until
 * `start + min((iteration + k + 1)·period, cap)` when that is later, and t_(k+1) is that time.
 * `stepReadRun` (read-runs.ts) walks these times with the interpreter's own arithmetic.
 */
export interface ReadRunOp {
  op: 'reads';
  /** When the first read starts. */
  t: number;
  voltage: number;
  integration: number;
  block: number;
  /** Reads left in the loop (≥ 1; fewer when the program's read limit comes first). */
  count: number;
  /** Protocol time the loop started at. */
  start: number;
  /** The loop iteration of the first read. */
  iteration: number;
  period: number;
  /** Latest end of a read's period (a wait's duration); +Infinity when none. */
  cap: number;
}

/** The answer to a ReadRunOp: how many of its reads were taken, 1…count; the interpreter yields the rest again. */
export interface ReadRunOutcome {
  reads: number;
}

/**
 * The rest of an I–V sweep's staircase — a counted loop whose body binds the step's voltage and
 * takes the step (`loop, bind, step, next`) — as one operation, for consumers that can take many
 * steps in one call (a simulated device in fast pace). Only `execute(program, { stepRuns: true })`
 * yields these, and only where nothing depends on the measurements (no enclosing until watches
 * steps) and every step of it passes the interpreter's checks. Taken one by one, step k (from 0)
 * holds `voltages[first + k]` from t_k for `dwell`, where t_0 = t and t_(k+1) = t_k + dwell (that
 * very sum, in that order), under `compliance.negative` for a negative voltage and
 * `compliance.positive` otherwise.
 */
export interface StepRunOp {
  op: 'steps';
  /** When the first step starts. */
  t: number;
  /** The voltages the loop binds, one per iteration (shared with the program: do not change). */
  voltages: readonly number[];
  /** The loop iteration (index into voltages) of the first step. */
  first: number;
  /** Steps left in the run (≥ 1). */
  count: number;
  dwell: number;
  compliance: { positive: number; negative: number };
  block: number;
}

/** The answer to a StepRunOp: how many of its steps were taken, 1…count; the interpreter yields the rest again. */
export interface StepRunOutcome {
  steps: number;
}
