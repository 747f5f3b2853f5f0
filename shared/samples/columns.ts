/**
 * Samples travel and are stored as columns, never as one object per sample: a run of a million
 * samples is six typed arrays, cheap to batch into events, to write as SQLite BLOBs and to chart.
 *
 * t: seconds since the run started; v: applied voltage (V); i: current (A); g: conductance (S);
 * kind: what produced the sample (SampleKind); block: index of the protocol block it came from
 * (into the compiled program's block table), -1 when none; compliance: 1 when the source was in
 * compliance when the sample's current was measured (the current is the compliance, limited by the
 * source, not the device's own), else 0 — runs stored before the flag existed read 0.
 */
export const SampleKind = { read: 0, pulse: 1 } as const;
export type SampleKind = (typeof SampleKind)[keyof typeof SampleKind];

export interface SampleColumns {
  readonly length: number;
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly i: Float64Array;
  readonly g: Float64Array;
  readonly kind: Uint8Array;
  readonly block: Int32Array;
  readonly compliance: Uint8Array;
}

export interface Sample {
  t: number;
  v: number;
  i: number;
  g: number;
  kind: SampleKind;
  block: number;
  /** The source was in compliance when the current was measured. */
  compliance: boolean;
}

export function emptyColumns(): SampleColumns {
  return new SampleBuilder(1).take();
}

/** A growable set of columns; `take()` hands over what has accumulated and starts again. */
export class SampleBuilder {
  private n = 0;
  private t: Float64Array;
  private v: Float64Array;
  private i: Float64Array;
  private g: Float64Array;
  private kind: Uint8Array;
  private block: Int32Array;
  private compliance: Uint8Array;

  constructor(capacity = 1024) {
    const c = Math.max(1, capacity);
    this.t = new Float64Array(c);
    this.v = new Float64Array(c);
    this.i = new Float64Array(c);
    this.g = new Float64Array(c);
    this.kind = new Uint8Array(c);
    this.block = new Int32Array(c);
    this.compliance = new Uint8Array(c);
  }

  get length(): number {
    return this.n;
  }

  push(t: number, v: number, i: number, g: number, kind: SampleKind, block: number, compliance = false): void {
    if (this.n === this.t.length) this.grow();
    const k = this.n++;
    this.t[k] = t;
    this.v[k] = v;
    this.i[k] = i;
    this.g[k] = g;
    this.kind[k] = kind;
    this.block[k] = block;
    this.compliance[k] = compliance ? 1 : 0;
  }

  /**
   * The builder's own arrays, with room for at least `n` samples after the `length` held: write
   * samples length…length + n − 1 straight into them, then call `added` with how many were written.
   * Valid until the next push, reserve or take.
   */
  reserve(n: number): ColumnArrays {
    while (this.t.length - this.n < n) this.grow();
    return { t: this.t, v: this.v, i: this.i, g: this.g, kind: this.kind, block: this.block, compliance: this.compliance };
  }

  /** Copies `c` after the samples held. */
  append(c: SampleColumns): void {
    const at = this.n;
    const a = this.reserve(c.length);
    a.t.set(c.t, at);
    a.v.set(c.v, at);
    a.i.set(c.i, at);
    a.g.set(c.g, at);
    a.kind.set(c.kind, at);
    a.block.set(c.block, at);
    a.compliance.set(c.compliance, at);
    this.n += c.length;
  }

  /** Counts `n` samples written after `length` into the arrays `reserve` gave. */
  added(n: number): void {
    if (!(n >= 0) || this.n + n > this.t.length) throw new RangeError(`added(${n}): only ${this.t.length - this.n} samples were reserved`);
    this.n += n;
  }

  /** The accumulated samples as columns sharing this builder's memory (valid until the next push). */
  view(): SampleColumns {
    const raw: ColumnArrays = { t: this.t, v: this.v, i: this.i, g: this.g, kind: this.kind, block: this.block, compliance: this.compliance };
    return sliceColumns(raw, 0, this.n);
  }

  /** Empties the builder (its memory is written again). */
  clear(): void {
    this.n = 0;
  }

  /** Empties the builder into new memory of `capacity` samples: views on what it held stay as they are. */
  renew(capacity: number): void {
    const fresh = new SampleBuilder(capacity);
    this.n = 0;
    this.t = fresh.t;
    this.v = fresh.v;
    this.i = fresh.i;
    this.g = fresh.g;
    this.kind = fresh.kind;
    this.block = fresh.block;
    this.compliance = fresh.compliance;
  }

  /** Copies out what has accumulated and empties the builder. */
  take(): SampleColumns {
    const out = copyColumns(this.view());
    this.n = 0;
    return out;
  }

  private grow(): void {
    const c = this.t.length * 2;
    this.t = resized(this.t, c);
    this.v = resized(this.v, c);
    this.i = resized(this.i, c);
    this.g = resized(this.g, c);
    this.kind = resizedU8(this.kind, c);
    this.block = resizedI32(this.block, c);
    this.compliance = resizedU8(this.compliance, c);
  }
}

function resized(a: Float64Array, c: number): Float64Array {
  const b = new Float64Array(c);
  b.set(a);
  return b;
}
function resizedU8(a: Uint8Array, c: number): Uint8Array {
  const b = new Uint8Array(c);
  b.set(a);
  return b;
}
function resizedI32(a: Int32Array, c: number): Int32Array {
  const b = new Int32Array(c);
  b.set(a);
  return b;
}

/** The six column arrays, writable (SampleBuilder.reserve). */
export interface ColumnArrays {
  t: Float64Array;
  v: Float64Array;
  i: Float64Array;
  g: Float64Array;
  kind: Uint8Array;
  block: Int32Array;
  compliance: Uint8Array;
}

/** Columns [start, end) as views on the same memory. */
export function sliceColumns(c: ColumnArrays | SampleColumns, start: number, end: number): SampleColumns {
  const src = c as ColumnArrays;
  return {
    length: end - start,
    t: src.t.subarray(start, end),
    v: src.v.subarray(start, end),
    i: src.i.subarray(start, end),
    g: src.g.subarray(start, end),
    kind: src.kind.subarray(start, end),
    block: src.block.subarray(start, end),
    compliance: src.compliance.subarray(start, end),
  };
}

export function copyColumns(c: SampleColumns): SampleColumns {
  return {
    length: c.length,
    t: c.t.slice(),
    v: c.v.slice(),
    i: c.i.slice(),
    g: c.g.slice(),
    kind: c.kind.slice(),
    block: c.block.slice(),
    compliance: c.compliance.slice(),
  };
}

/** Zero-filled columns of `n` samples. */
export function allocColumns(n: number): SampleColumns {
  return {
    length: n,
    t: new Float64Array(n),
    v: new Float64Array(n),
    i: new Float64Array(n),
    g: new Float64Array(n),
    kind: new Uint8Array(n),
    block: new Int32Array(n),
    compliance: new Uint8Array(n),
  };
}

export function concatColumns(parts: readonly SampleColumns[]): SampleColumns {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = allocColumns(n);
  let at = 0;
  for (const p of parts) {
    out.t.set(p.t, at);
    out.v.set(p.v, at);
    out.i.set(p.i, at);
    out.g.set(p.g, at);
    out.kind.set(p.kind, at);
    out.block.set(p.block, at);
    out.compliance.set(p.compliance, at);
    at += p.length;
  }
  return out;
}

export function sampleAt(c: SampleColumns, k: number): Sample {
  return {
    t: c.t[k] ?? NaN,
    v: c.v[k] ?? NaN,
    i: c.i[k] ?? NaN,
    g: c.g[k] ?? NaN,
    kind: (c.kind[k] ?? 0) as SampleKind,
    block: c.block[k] ?? -1,
    compliance: c.compliance[k] === 1,
  };
}
