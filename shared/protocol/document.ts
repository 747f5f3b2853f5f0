/**
 * The pulse-protocol document: what the editor saves, the library ships and a run records.
 *
 * Every block type is generic over Q, how a physical value is written. In a document as typed by a
 * person, Q is `number | string`: a number in SI base units (volts, seconds, siemens) or a string
 * with units ("10 ms", "2 V", "10 µS"). validateProtocol normalises every value to a number in SI
 * base units, giving a ProtocolDocument (Q = number), which is itself a valid input document.
 */
export const PROTOCOL_FORMAT = 'memristor-workbench/protocol';
export const PROTOCOL_VERSION = 1;

export type Quantity = number | string;

/** How a read is taken; anything left out comes from the document's `read`, then the defaults. */
export interface ReadSettingsOf<Q> {
  voltage?: Q;
  /** How long the read lasts in protocol time (the integration time). */
  integration?: Q;
}

/** `true` reads with the document's settings, an object overrides some of them, `false` or absent: no read. */
export type ReadAfterOf<Q> = boolean | ReadSettingsOf<Q>;

export interface BlockCommon {
  /** Stable identity for the editor; unique within a document. */
  id?: string;
  label?: string;
}

/*
 * Fields marked "sweepable" may be left out when an enclosing sweep sets them; when both are
 * given, the sweep's value is the one used.
 */

/**
 * One pulse, optionally followed by a read. With `compliance` (A) the pulse is a source–measure
 * step: the source limits the current to ±compliance while it lasts (a SET pulse whose LRS the
 * compliance sets), and its current is measured at its end.
 */
export interface PulseBlockOf<Q> extends BlockCommon {
  kind: 'pulse';
  /** Sweepable. */
  amplitude?: Q;
  /** Sweepable. */
  width?: Q;
  compliance?: Q;
  read?: ReadAfterOf<Q>;
}

/** `count` pulses, pulse k at k·period; a read (if any) right after each pulse; the rest of each period waits. */
export interface TrainBlockOf<Q> extends BlockCommon {
  kind: 'train';
  count: Q;
  /** Sweepable. */
  amplitude?: Q;
  /** Sweepable. */
  width?: Q;
  /** Sweepable. */
  period?: Q;
  read?: ReadAfterOf<Q>;
}

/** `count` reads (default 1), read k at k·interval; the block lasts count·interval, or one read's integration time. */
export interface ReadBlockOf<Q> extends BlockCommon {
  kind: 'read';
  voltage?: Q;
  integration?: Q;
  count?: Q;
  /** Sweepable. Required when count > 1. */
  interval?: Q;
}

/** Nothing applied for `duration`; with `readEvery`, reads at 0, Δ, 2Δ, … before the end, to watch relaxation. */
export interface WaitBlockOf<Q> extends BlockCommon {
  kind: 'wait';
  /** Sweepable. */
  duration?: Q;
  readEvery?: Q;
  /** Settings of the reads taken every `readEvery`. */
  read?: ReadAfterOf<Q>;
}

/** Pulses of amplitude from, from ± step, … up to `to` (never beyond), pulse k at k·period. */
export interface RampBlockOf<Q> extends BlockCommon {
  kind: 'ramp';
  from: Q;
  to: Q;
  /** The size of each step (positive; the direction follows from `from` and `to`). */
  step: Q;
  /** Sweepable. */
  width?: Q;
  /** Sweepable. */
  period?: Q;
  read?: ReadAfterOf<Q>;
}

export interface RepeatBlockOf<Q> extends BlockCommon {
  kind: 'repeat';
  times: Q;
  body: BlockOf<Q>[];
}

/** Runs the body once per value, with `parameter` of every block in the body set to that value. */
export interface SweepBlockOf<Q> extends BlockCommon {
  kind: 'sweep';
  parameter: SweepParameter;
  values: Q[];
  body: BlockOf<Q>[];
}

/**
 * Repeats the body until a read within it finds G above/below a threshold, at most maxIterations
 * times. The condition is checked after every read in the body, so the block stops right after
 * the read that met it. `threshold` is absolute (S); `relative` is a factor of G measured by a
 * reference read the block takes when it starts (0.5: half the starting G).
 */
export interface UntilBlockOf<Q> extends BlockCommon {
  kind: 'until';
  when: 'above' | 'below';
  threshold?: Q;
  relative?: Q;
  maxIterations: Q;
  body: BlockOf<Q>[];
}

/** A compliance current for both polarities, or one per polarity (each defaults to the protocol's compliance limit). */
export type ComplianceOf<Q> = Q | { positive?: Q; negative?: Q };

/**
 * An I–V sweep: the voltage steps through `points` in order — each pair of neighbours is a segment,
 * e.g. 0 → +1.5 V → 0 → −1.5 V → 0 — as a staircase of `step` (linear spacing) or of
 * `pointsPerDecade` down to `floor` (log spacing, in |V|, through 0 V exactly). Every step holds
 * its voltage for `dwell` (or step/`rate`, linear only) under the compliance of its polarity
 * (0 V counts as positive) and records V and the current measured at its end. The whole path runs
 * `cycles` times (default 1), each cycle the same steps, both ends included.
 */
export interface IvSweepBlockOf<Q> extends BlockCommon {
  kind: 'iv-sweep';
  points: Q[];
  spacing?: IvSpacing;
  step?: Q;
  pointsPerDecade?: Q;
  floor?: Q;
  dwell?: Q;
  rate?: Q;
  cycles?: Q;
  compliance?: ComplianceOf<Q>;
}

/**
 * Forming: a staircase (`mode` 'staircase', the default: each voltage held for `width`, the current
 * measured at its end) or a train of pulses (`mode` 'pulses': each pulse of `width` followed by a
 * read, pulse k at k·`period` when given) of amplitude from, from ± step, … up to `to` — the
 * maximum voltage, never exceeded — under the current `compliance`, stopping as soon as the target
 * is reached: |I| ≥ `targetCurrent`, or R ≤ `targetResistance` (R = |V/I| of a staircase step, or
 * 1/G of a pulse's read). The run records how it ended: the target reached at V = …, or the
 * maximum voltage reached without forming.
 */
export interface FormingBlockOf<Q> extends BlockCommon {
  kind: 'forming';
  mode?: FormingMode;
  from: Q;
  to: Q;
  step: Q;
  width: Q;
  /** Pulses only. */
  period?: Q;
  compliance: Q;
  targetCurrent?: Q;
  targetResistance?: Q;
  /** Pulses only: the settings of the read after each pulse (default: the document's). */
  read?: ReadSettingsOf<Q>;
}

export type FormingMode = 'staircase' | 'pulses';
export const FORMING_MODES = ['staircase', 'pulses'] as const satisfies readonly FormingMode[];

/**
 * Converge to a state: a read, then while G is outside [low, high] a SET pulse (`setAmplitude` for
 * `setWidth`) when G is below the band, a RESET pulse (`resetAmplitude` for `resetWidth`) when it
 * is above, each followed by a read, at most `maxPulses` pulses. Each pulse is a source–measure
 * step under the compliance of its polarity (as an iv-sweep's). The run records how it ended: G
 * within the band after n pulses, or not after maxPulses.
 */
export interface ConvergeBlockOf<Q> extends BlockCommon {
  kind: 'converge';
  low: Q;
  high: Q;
  setAmplitude: Q;
  setWidth: Q;
  resetAmplitude: Q;
  resetWidth: Q;
  maxPulses: Q;
  compliance?: ComplianceOf<Q>;
  /** The settings of the reads (default: the document's). */
  read?: ReadSettingsOf<Q>;
}

export type IvSpacing = 'linear' | 'log';
export const IV_SPACINGS = ['linear', 'log'] as const satisfies readonly IvSpacing[];

export type BlockOf<Q> =
  | PulseBlockOf<Q>
  | TrainBlockOf<Q>
  | ReadBlockOf<Q>
  | WaitBlockOf<Q>
  | RampBlockOf<Q>
  | RepeatBlockOf<Q>
  | SweepBlockOf<Q>
  | UntilBlockOf<Q>
  | IvSweepBlockOf<Q>
  | FormingBlockOf<Q>
  | ConvergeBlockOf<Q>;

export type BlockKind = BlockOf<number>['kind'];

/** Limits a document sets for itself; each may only tighten the workbench's own. See limits.ts. */
export interface LimitsOf<Q> {
  maxVoltage?: Q;
  compliance?: Q;
  maxWidth?: Q;
  maxDutyCycle?: Q;
  maxPulses?: Q;
  maxReads?: Q;
}

export interface ProtocolDocumentOf<Q> {
  format: typeof PROTOCOL_FORMAT;
  version: typeof PROTOCOL_VERSION;
  name: string;
  description?: string;
  limits?: LimitsOf<Q>;
  /** Default settings of every read in the document. */
  read?: ReadSettingsOf<Q>;
  blocks: BlockOf<Q>[];
}

/** A normalised document: every value a number in SI base units. */
export type ProtocolDocument = ProtocolDocumentOf<number>;
/** A document as written: values are numbers (SI) or strings with units. */
export type ProtocolInput = ProtocolDocumentOf<Quantity>;

export type Block = BlockOf<number>;
export type PulseBlock = PulseBlockOf<number>;
export type TrainBlock = TrainBlockOf<number>;
export type ReadBlock = ReadBlockOf<number>;
export type WaitBlock = WaitBlockOf<number>;
export type RampBlock = RampBlockOf<number>;
export type RepeatBlock = RepeatBlockOf<number>;
export type SweepBlock = SweepBlockOf<number>;
export type UntilBlock = UntilBlockOf<number>;
export type IvSweepBlock = IvSweepBlockOf<number>;
export type FormingBlock = FormingBlockOf<number>;
export type ConvergeBlock = ConvergeBlockOf<number>;
export type ReadSettings = ReadSettingsOf<number>;
export type ReadAfter = ReadAfterOf<number>;

export const BLOCK_KINDS = ['pulse', 'train', 'read', 'wait', 'ramp', 'repeat', 'sweep', 'until', 'iv-sweep', 'forming', 'converge'] as const satisfies readonly BlockKind[];

/** The fields each block kind may carry besides kind, id and label, in the order they are written. */
export const BLOCK_FIELDS: Readonly<Record<BlockKind, readonly string[]>> = {
  pulse: ['amplitude', 'width', 'compliance', 'read'],
  train: ['count', 'amplitude', 'width', 'period', 'read'],
  read: ['voltage', 'integration', 'count', 'interval'],
  wait: ['duration', 'readEvery', 'read'],
  ramp: ['from', 'to', 'step', 'width', 'period', 'read'],
  repeat: ['times', 'body'],
  sweep: ['parameter', 'values', 'body'],
  until: ['when', 'threshold', 'relative', 'maxIterations', 'body'],
  'iv-sweep': ['points', 'spacing', 'step', 'pointsPerDecade', 'floor', 'dwell', 'rate', 'cycles', 'compliance'],
  forming: ['mode', 'from', 'to', 'step', 'width', 'period', 'compliance', 'targetCurrent', 'targetResistance', 'read'],
  converge: ['low', 'high', 'setAmplitude', 'setWidth', 'resetAmplitude', 'resetWidth', 'maxPulses', 'compliance', 'read'],
};

/** What a sweep can vary, its unit, and the block kinds that have it. */
export const SWEEP_PARAMETERS = {
  amplitude: { unit: 'V', kinds: ['pulse', 'train'] },
  width: { unit: 's', kinds: ['pulse', 'train', 'ramp'] },
  period: { unit: 's', kinds: ['train', 'ramp'] },
  duration: { unit: 's', kinds: ['wait'] },
  interval: { unit: 's', kinds: ['read'] },
} as const satisfies Record<string, { unit: 'V' | 's'; kinds: readonly BlockKind[] }>;

export type SweepParameter = keyof typeof SWEEP_PARAMETERS;
export const SWEEP_PARAMETER_NAMES = Object.keys(SWEEP_PARAMETERS) as SweepParameter[];

export function isSweepParameter(x: unknown): x is SweepParameter {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(SWEEP_PARAMETERS, x);
}

/** Whether blocks of this kind have the parameter a sweep varies. */
export function takesParameter(kind: BlockKind, parameter: SweepParameter): boolean {
  return (SWEEP_PARAMETERS[parameter].kinds as readonly BlockKind[]).includes(kind);
}
