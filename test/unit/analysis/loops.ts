import { SampleKind } from '../../../shared/samples/columns';

/** Hand-made bipolar loops for the switching analysis tests: an ideal threshold switch, ohmic in both states. */
export interface LoopCycle {
  /** Ω. */
  hrs: number;
  lrs: number;
  /** V; vSet > 0, vReset < 0. A vSet beyond the sweep's peak makes a cycle that fails to switch. */
  vSet: number;
  vReset: number;
}

export interface LoopOptions {
  peak: number;
  step: number;
  /** A, the SET compliance (current clamped while positive). */
  compliance?: number;
  /** Multiplicative current noise (relative, uniform ±), from a seeded generator. */
  noise?: number;
  seed?: number;
  /** A read at this voltage after each lobe. */
  read?: number;
  /** A forming sweep 0 → formPeak → 0 in its own block first. */
  formPeak?: number;
}

export interface Columns {
  length: number;
  t: number[];
  v: number[];
  i: number[];
  g: number[];
  kind: number[];
  block: number[];
  compliance: number[];
}

/** A small seeded generator (mulberry32): tests stay deterministic without the app's Rng. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The staircase 0 → peak → 0 (peak signed), both ends included. */
export function lobeVoltages(peak: number, step: number): number[] {
  const n = Math.round(Math.abs(peak) / step);
  const out: number[] = [];
  for (let k = 0; k <= 2 * n; k++) out.push(Math.sign(peak) * step * (k <= n ? k : 2 * n - k));
  return out;
}

export function makeLoops(cycles: readonly LoopCycle[], o: LoopOptions): Columns {
  const c: Columns = { length: 0, t: [], v: [], i: [], g: [], kind: [], block: [], compliance: [] };
  const random = rng(o.seed ?? 1);
  const noisy = (i: number): number => (o.noise ? i * (1 + o.noise * (2 * random() - 1)) : i);
  const push = (v: number, i: number, r: number, kind: number, block: number, inCompliance: boolean): void => {
    c.t.push(c.length * 0.01);
    c.v.push(v);
    c.i.push(i);
    c.g.push(1 / r);
    c.kind.push(kind);
    c.block.push(block);
    c.compliance.push(inCompliance ? 1 : 0);
    c.length++;
  };
  let r = cycles[0]?.hrs ?? 1e4;
  const read = (): void => {
    if (o.read !== undefined) push(o.read, noisy(o.read / r), r, SampleKind.read, 2, false);
  };
  if (o.formPeak !== undefined) {
    for (const v of lobeVoltages(o.formPeak, o.step)) push(v, noisy(v / r), r, SampleKind.pulse, 0, false);
    read();
  }
  for (const cy of cycles) {
    for (const v of lobeVoltages(o.peak, o.step)) {
      if (v >= cy.vSet - 1e-12) r = cy.lrs;
      let i = v / r;
      const clamp = o.compliance !== undefined && i > o.compliance;
      if (clamp) i = o.compliance ?? i;
      push(v, noisy(i), r, SampleKind.pulse, 1, clamp);
    }
    read();
    for (const v of lobeVoltages(-o.peak, o.step)) {
      if (v <= cy.vReset + 1e-12 && r === cy.lrs) r = cy.hrs;
      push(v, noisy(v / r), r, SampleKind.pulse, 1, false);
    }
    read();
  }
  return c;
}
