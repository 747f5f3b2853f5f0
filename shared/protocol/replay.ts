import { formatSI } from '../units';
import { compileProtocol } from './compile';
import { execute } from './execute';
import { formatProblem } from './problems';
import type { BlockInfo, OpResult, Program } from './program';

/**
 * Replays a program against what a run recorded, to learn what a sample does not store: the width
 * of each pulse, and the cycle each sample was taken in. The interpreter runs again and each read
 * is answered with the conductance the run recorded, so an `until` takes the path it took.
 *
 * Operation k that yields a sample is matched with the next recorded sample: same kind, same block
 * and, for a pulse, the same amplitude. An operation that does not match is one that recorded
 * nothing — a compliance trip ends a pulse or a read without a sample, and the run engine then
 * answers the interpreter with no reading (NaN), as here — and the replay goes on to the next.
 * Samples left when the program ends mean the recording does not follow this program: from the
 * first of them on, nothing is known (width NaN, cycle −1) and `problem` says so.
 */
export interface RecordedSamples {
  readonly length: number;
  /** 0 read, 1 pulse (SampleKind). */
  readonly kind: ArrayLike<number>;
  readonly block: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  readonly g: ArrayLike<number>;
  /** The measured current (A); without it a step's current is taken as g·v. */
  readonly i?: ArrayLike<number>;
}

export interface Replay {
  /** The width (s) of each pulse sample's pulse (an I–V step's dwell); NaN on reads and where unknown. */
  width: Float64Array;
  /**
   * The cycle of each sample: the iteration, from 1, of the outermost repeat, sweep, until or I–V
   * sweep (its cycles) the sample's block is in (an until's reference read, taken as it starts, is
   * in its cycle 1); 0 for a sample outside every one; −1 where unknown.
   */
  cycle: Int32Array;
  /** How many samples, from the first, the replay accounted for (all: `length`). */
  matched: number;
  /** Why not all of them, in a sentence; null when all. */
  problem: string | null;
  /** The program's block table (what a sample's block indexes); empty when there is no program. */
  blocks: BlockInfo[];
}

const LOOP_KINDS: ReadonlySet<string> = new Set(['repeat', 'sweep', 'until', 'iv-sweep']);

/** For each block, its outermost ancestor-or-self that is a repeat, sweep, until or I–V sweep; −1 when none. */
export function outermostLoops(blocks: readonly BlockInfo[]): Int32Array {
  const out = new Int32Array(blocks.length).fill(-1);
  // Pre-order: a parent comes before its children, so its answer is known when theirs is asked.
  blocks.forEach((b, k) => {
    const parent = b.parent >= 0 && b.parent < k ? (out[b.parent] as number) : -1;
    out[k] = parent >= 0 ? parent : LOOP_KINDS.has(b.kind) ? k : -1;
  });
  return out;
}

const SAME_AMPLITUDE = (a: number, b: number) => Math.abs(a - b) <= 1e-3 * Math.abs(a) + 1e-6;

export function replayRecording(program: Program, samples: RecordedSamples): Replay {
  const width = new Float64Array(samples.length);
  const cycle = new Int32Array(samples.length);
  const replay = new RecordingReplay(program, samples.length);
  replay.feed(samples, width, cycle);
  return { width, cycle, matched: replay.matched, problem: replay.problem, blocks: program.blocks };
}

/**
 * replayRecording fed the recording in consecutive windows, so a long run is replayed without all
 * of its samples in memory at once (the Parquet export reads a run a row group at a time). The
 * interpreter's state carries over from one window to the next; the answers are the same as one
 * replay of the whole recording.
 */
export class RecordingReplay {
  /** How many samples, from the first, the replay has accounted for. */
  matched = 0;
  /** Why not all of them, in a sentence; null while all are. */
  problem: string | null;
  private readonly outer: Int32Array;
  /** The iteration each block's own loop last began, −1 before its first. */
  private readonly iteration: Int32Array;
  /**
   * Where each block's own loop starts: the first loop of the block to begin is its outermost (an
   * I–V sweep's cycles, not the steps within them).
   */
  private readonly ownLoop: Int32Array;
  private readonly run: ReturnType<typeof execute> | undefined;
  /** The operation waiting for the next sample (undefined before the first window). */
  private step: ReturnType<ReturnType<typeof execute>['next']> | undefined;
  private steps = 0;
  /** Each sample comes with a few waits and loop steps; the rest is slack for trips and long waits. */
  private readonly maxSteps: number;

  /** Replays `program` (null: nothing is known, for `problem`'s reason) against a recording of `total` samples. */
  constructor(
    program: Program | null,
    private readonly total: number,
    problem: string | null = null,
  ) {
    const blocks = program?.blocks ?? [];
    this.outer = outermostLoops(blocks);
    this.iteration = new Int32Array(blocks.length).fill(-1);
    this.ownLoop = new Int32Array(blocks.length).fill(-1);
    this.maxSteps = 8 * total + 1_000_000;
    this.problem = program === null ? (problem ?? 'there is no protocol') : null;
    if (program === null) return;
    const { iteration, ownLoop } = this;
    this.run = execute(program, {
      onIteration: (block, it, start) => {
        if (block < 0 || block >= iteration.length) return;
        if (ownLoop[block] === -1) ownLoop[block] = start;
        if (ownLoop[block] === start) iteration[block] = it;
      },
    });
  }

  /**
   * Replays the next `samples.length` samples of the recording, writing each one's pulse width and
   * cycle into `width` and `cycle` from index `at` (NaN and −1 where unknown).
   */
  feed(samples: RecordedSamples, width: Float64Array, cycle: Int32Array, at = 0): void {
    const n = samples.length;
    width.fill(Number.NaN, at, at + n);
    cycle.fill(-1, at, at + n);
    if (this.problem !== null || this.run === undefined || n === 0) return;
    const first = this.matched;
    let k = 0;
    try {
      let answer: OpResult;
      for (this.step ??= this.run.next(); !this.step.done && k < n; this.step = this.run.next(answer)) {
        if (++this.steps > this.maxSteps) {
          this.problem = `the recorded samples do not follow the protocol from sample ${first + k + 1} on`;
          break;
        }
        const op = this.step.value;
        answer = undefined;
        if (op.op === 'wait') continue;
        // A pulse, or an I–V sweep's step (recorded as a pulse: its voltage for its dwell), or a read.
        const applied = op.op === 'pulse' ? { v: op.amplitude, width: op.width } : op.op === 'step' ? { v: op.voltage, width: op.dwell } : null;
        const matches =
          samples.kind[k] === (applied ? 1 : 0) && samples.block[k] === op.block && (applied === null || SAME_AMPLITUDE(applied.v, samples.v[k] as number));
        if (!matches) continue; // an operation that recorded nothing (a compliance trip): the engine answered no reading
        // A step is answered with the current it recorded (g·v), so a forming block stops where it did.
        if (applied) {
          width[at + k] = applied.width;
          if (op.op === 'step') answer = { current: samples.i ? (samples.i[k] as number) : (samples.g[k] as number) * (samples.v[k] as number) };
        } else answer = { conductance: samples.g[k] as number };
        cycle[at + k] = this.cycleOf(op.block);
        k++;
      }
    } catch (e) {
      this.problem = `the protocol cannot be replayed (${e instanceof Error ? e.message : String(e)})`;
    }
    this.matched = first + k;
    if (k < n) {
      // From the first sample not accounted for on, nothing is known: the rest of this window, and every later one.
      width.fill(Number.NaN, at + k, at + n);
      cycle.fill(-1, at + k, at + n);
      const what = samples.kind[k] === 1 ? `a pulse of ${formatSI(samples.v[k] as number, 'V')}` : 'a read';
      this.problem ??= `the protocol ends before sample ${first + k + 1} of ${this.total} (${what} in block ${samples.block[k]}): the recorded samples do not follow it`;
    }
  }

  private cycleOf(block: number): number {
    const loop = block >= 0 && block < this.outer.length ? (this.outer[block] as number) : -1;
    return loop < 0 ? 0 : Math.max(0, this.iteration[loop] as number) + 1;
  }
}

/** Generous limits for compiling a stored protocol only to replay it (the run itself respected its own). */
const REPLAY_LIMITS = { maxVoltage: 1e6, compliance: 1e6, maxWidth: 1e6, maxDutyCycle: 1, maxPulses: 1e12, maxReads: 1e12 };

/**
 * Replays a run's protocol snapshot (a document, as stored) against its samples; a run without a
 * snapshot, or whose snapshot no longer compiles, knows nothing (every width NaN, every cycle −1).
 */
export function replayProtocol(protocol: unknown, samples: RecordedSamples): Replay {
  const width = new Float64Array(samples.length);
  const cycle = new Int32Array(samples.length);
  const { replay, blocks } = startReplay(protocol, samples.length);
  replay.feed(samples, width, cycle);
  return { width, cycle, matched: replay.matched, problem: replay.problem, blocks };
}

/** A RecordingReplay of a run's protocol snapshot against its `total` samples, fed window by window; the program's block table. */
export function startReplay(protocol: unknown, total: number): { replay: RecordingReplay; blocks: BlockInfo[] } {
  const unknown = (problem: string) => ({ replay: new RecordingReplay(null, total, problem), blocks: [] });
  if (protocol === null || protocol === undefined) return unknown('it has no protocol snapshot');
  const compiled = compileProtocol(protocol, { limits: REPLAY_LIMITS });
  if (!compiled.ok) return unknown(`its protocol snapshot does not compile (${formatProblem(compiled.problems[0]!)})`);
  return { replay: new RecordingReplay(compiled.program, total), blocks: compiled.program.blocks };
}
