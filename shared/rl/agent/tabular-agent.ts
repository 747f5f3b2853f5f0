import { createRng, type Rng, type RngSnapshot, type Seed } from '../../random';
import { epsilonAt, type AgentSettings } from './settings';

/**
 * A tabular agent: the Q table (one Float64Array, row per observation) and an ε-greedy behaviour
 * policy. The learning rule itself lives in the episode loop (episode.ts), which reads the table
 * directly so a step costs no calls beyond the environment's.
 */
export class TabularAgent {
  readonly q: Float64Array;
  private readonly rng: Rng;
  private eps = 0;

  constructor(
    readonly observationCount: number,
    readonly actionCount: number,
    readonly settings: AgentSettings,
    seed: Seed,
  ) {
    this.q = new Float64Array(observationCount * actionCount).fill(settings.initialQ);
    this.rng = createRng(seed);
  }

  /** The Q table and the exploration stream (a checkpoint between episodes). */
  snapshot(): { q: number[]; rng: RngSnapshot } {
    return { q: Array.from(this.q), rng: this.rng.snapshot() };
  }

  restore(snapshot: { q: readonly number[]; rng: RngSnapshot }): void {
    if (snapshot.q.length !== this.q.length) throw new RangeError(`the checkpoint's Q table has ${snapshot.q.length} values; this agent's has ${this.q.length}`);
    if (!snapshot.q.every(Number.isFinite)) throw new RangeError("the checkpoint's Q table holds a value that is not a finite number");
    this.q.set(snapshot.q);
    this.rng.restore(snapshot.rng);
  }

  /** Sets ε for the episode about to start (0-based). */
  beginEpisode(episode: number): void {
    this.eps = epsilonAt(this.settings.epsilon, episode);
  }

  get epsilon(): number {
    return this.eps;
  }

  /**
   * ε-greedy: a uniformly random action with probability ε, else a greedy one. Ties are broken at
   * random, because with a freshly initialised table "first best" would always explore one way.
   */
  act(observation: number): number {
    const rng = this.rng;
    const n = this.actionCount;
    if (this.eps > 0 && rng.next() < this.eps) return rng.int(n);
    const q = this.q;
    const base = observation * n;
    let best = q[base]!;
    let choice = 0;
    let ties = 1;
    for (let a = 1; a < n; a++) {
      const v = q[base + a]!;
      if (v > best) {
        best = v;
        choice = a;
        ties = 1;
      } else if (v === best) {
        ties++;
        if (rng.int(ties) === 0) choice = a;
      }
    }
    return choice;
  }

  /** The greedy action, ties to the first (deterministic, for evaluation). */
  greedyAction(observation: number): number {
    const q = this.q;
    const n = this.actionCount;
    const base = observation * n;
    let best = q[base]!;
    let choice = 0;
    for (let a = 1; a < n; a++) {
      if (q[base + a]! > best) {
        best = q[base + a]!;
        choice = a;
      }
    }
    return choice;
  }
}
