import { childIdentity, rootIdentity, stateFromIdentity, type Identity, type Seed } from './seed';
import { xoshiro128Next, type Xoshiro128State } from './xoshiro128';

/**
 * A deterministic random stream. Every random number in the workbench comes from one of these,
 * created from an explicit seed, so a run can be reproduced bit for bit.
 */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Uniform integer in [0, n) for a positive integer n, without modulo bias. */
  int(n: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** The next `count` normal() draws, in order, into out[0 … count − 1]: the same numbers, without a call per draw. */
  normals(out: Float64Array, count: number): void;
  /**
   * An independent child stream named by `label`. It depends only on this stream's seed and
   * label path, not on how much this stream has been used: fork('x') twice gives two copies of
   * the same stream, so give each consumer its own label.
   */
  fork(label: string): Rng;
  /** The label path from the root, e.g. "device/c2c" (the root is ""). */
  readonly path: string;
  /** The stream's position, as plain data (a checkpoint); restore() continues exactly from it. */
  snapshot(): RngSnapshot;
  restore(snapshot: RngSnapshot): void;
}

/** A stream's full state: the four xoshiro128 words and a normal() draw held back, if any. */
export interface RngSnapshot {
  s: [number, number, number, number];
  spare: number | null;
}

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;

class Xoshiro128Rng implements Rng {
  private readonly st: Xoshiro128State;
  private spare = 0;
  private hasSpare = false;

  constructor(
    private readonly id: Identity,
    readonly path: string,
  ) {
    const [s0, s1, s2, s3] = stateFromIdentity(id);
    // In their signed form from the start (see restore): the words then stay small integers, never boxed numbers.
    this.st = { s0: s0 | 0, s1: s1 | 0, s2: s2 | 0, s3: s3 | 0 };
  }

  next(): number {
    return xoshiro128Next(this.st) / TWO_POW_32;
  }

  nextUint32(): number {
    return xoshiro128Next(this.st);
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) {
      throw new RangeError(`int(n) needs an integer n in [1, 2^32] (got ${n})`);
    }
    // Rejection keeps every value equally likely when n does not divide 2^32.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = xoshiro128Next(this.st);
      if (x < limit) return x % n;
    }
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // 1 − u is in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = TWO_PI * this.next();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  normals(out: Float64Array, count: number): void {
    let k = 0;
    if (count > 0 && this.hasSpare) {
      this.hasSpare = false;
      out[k++] = this.spare;
    }
    // Whole pairs as normal() makes them (cos first, sin held back), then normal() for an odd last one.
    for (; k + 1 < count; k += 2) {
      const r = Math.sqrt(-2 * Math.log(1 - this.next()));
      const theta = TWO_PI * this.next();
      out[k] = r * Math.cos(theta);
      out[k + 1] = r * Math.sin(theta);
    }
    if (k < count) out[k] = this.normal();
  }

  snapshot(): RngSnapshot {
    const { s0, s1, s2, s3 } = this.st;
    // Unsigned in the snapshot whatever the generator keeps internally: the words are bit patterns.
    return { s: [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0], spare: this.hasSpare ? this.spare : null };
  }

  restore(snapshot: RngSnapshot): void {
    const [s0, s1, s2, s3] = snapshot.s;
    for (const w of snapshot.s) {
      if (!(Number.isInteger(w) && w >= 0 && w < TWO_POW_32)) throw new RangeError(`a random stream's state must be four 32-bit unsigned integers (got ${String(w)})`);
    }
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError("a random stream's state cannot be all zeros");
    // Every operation on the words is bitwise (|0, Math.imul, shifts), so the signed and unsigned
    // forms of a pattern behave the same; keep the generator's own (signed) form.
    this.st.s0 = s0 | 0;
    this.st.s1 = s1 | 0;
    this.st.s2 = s2 | 0;
    this.st.s3 = s3 | 0;
    this.hasSpare = snapshot.spare !== null;
    this.spare = snapshot.spare ?? 0;
  }

  fork(label: string): Rng {
    return new Xoshiro128Rng(childIdentity(this.id, label), this.path === '' ? label : `${this.path}/${label}`);
  }
}

/** A root stream for a seed (a finite number or a string). Throws RangeError for NaN/±Infinity. */
export function createRng(seed: Seed): Rng {
  return new Xoshiro128Rng(rootIdentity(seed), '');
}
