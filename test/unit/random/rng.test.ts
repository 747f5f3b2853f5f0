import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng, xoshiro128Next, type Rng } from '../../../shared/random';

function draw(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('xoshiro128**', () => {
  it('reproduces the reference C implementation bit for bit', () => {
    // Outputs of the authors' xoshiro128starstar.c, compiled with gcc, from these states.
    const st = { s0: 1, s1: 2, s2: 3, s3: 4 };
    const first = Array.from({ length: 8 }, () => xoshiro128Next(st));
    expect(first).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);

    const st2 = { s0: 0x12345678, s1: 0x9abcdef0 | 0, s2: 0xdeadbeef | 0, s3: 0xcafebabe | 0 };
    for (let i = 0; i < 1000; i++) xoshiro128Next(st2);
    expect(Array.from({ length: 4 }, () => xoshiro128Next(st2))).toEqual([3327079350, 297922873, 3323871109, 315099292]);
  });
});

describe('createRng', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    expect(draw(createRng(42), 100)).toEqual(draw(createRng(42), 100));
    expect(draw(createRng('run-7'), 100)).toEqual(draw(createRng('run-7'), 100));
    expect(draw(createRng(42), 10)).not.toEqual(draw(createRng(43), 10));
    expect(draw(createRng(1), 10)).not.toEqual(draw(createRng(1.5), 10));
    expect(draw(createRng('1'), 10)).not.toEqual(draw(createRng(1), 10));
    expect(draw(createRng(2 ** 40), 10)).not.toEqual(draw(createRng(2 ** 40 + 1), 10));
    expect(draw(createRng(-0), 10)).toEqual(draw(createRng(0), 10));
  });

  it('rejects seeds that are not finite numbers or strings', () => {
    expect(() => createRng(NaN)).toThrow(RangeError);
    expect(() => createRng(Infinity)).toThrow(RangeError);
    expect(() => createRng({} as unknown as number)).toThrow(RangeError);
  });

  it('keeps next() in [0, 1) for any seed', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string()), (seed) => {
        const rng = createRng(seed);
        for (let i = 0; i < 200; i++) {
          const x = rng.next();
          if (!(x >= 0 && x < 1)) return false;
        }
        return true;
      }),
    );
  });

  it('is uniform: a chi-square test over 20 bins passes', () => {
    const rng = createRng(2024);
    const bins = new Array<number>(20).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) bins[Math.floor(rng.next() * 20)]!++;
    const expected = n / 20;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: P(chi² > 43.8) = 0.001.
    expect(chi2).toBeLessThan(43.8);
  });

  it('draws standard normals with mean 0, variance 1 and Gaussian tails', () => {
    const rng = createRng('normal');
    const n = 200_000;
    let sum = 0;
    let sum2 = 0;
    let sum4 = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      sum2 += z * z;
      sum4 += z ** 4;
      if (Math.abs(z) > 2) beyond2++;
    }
    const mean = sum / n;
    const variance = sum2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.015);
    expect(Math.abs(sum4 / n - 3)).toBeLessThan(0.1);
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.003);
  });

  it('draws with normals(out, n) exactly the numbers n normal() calls draw, whatever n and a draw held back', () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }), (seed, heldBack, counts) => {
        const one = createRng(seed);
        const batched = createRng(seed);
        if (heldBack) {
          one.normal();
          batched.normal();
        }
        const out = new Float64Array(10).fill(Number.NaN);
        for (const n of counts) {
          batched.normals(out, n);
          for (let k = 0; k < n; k++) if (!Object.is(out[k], one.normal())) return false;
        }
        // The streams stay in step, the draw held back included.
        return Object.is(batched.normal(), one.normal()) && JSON.stringify(batched.snapshot()) === JSON.stringify(one.snapshot());
      }),
    );
  });

  it('draws unbiased integers in [0, n) and rejects a bad n', () => {
    const rng = createRng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.int(3)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => rng.int(0)).toThrow(RangeError);
    expect(() => rng.int(2.5)).toThrow(RangeError);
    const u = rng.uniform(-3, -1);
    expect(u).toBeGreaterThanOrEqual(-3);
    expect(u).toBeLessThan(-1);
  });
});

describe('fork', () => {
  it('gives a child stream that does not depend on how much the parent was used', () => {
    const a = createRng(9);
    const b = createRng(9);
    draw(b, 1000);
    expect(draw(a.fork('c2c'), 50)).toEqual(draw(b.fork('c2c'), 50));
  });

  it('gives different streams for different labels and paths', () => {
    const root = createRng(9);
    const streams = [root, root.fork('a'), root.fork('b'), root.fork('a').fork('b'), root.fork('a/b'), createRng(10).fork('a')];
    const heads = streams.map((s) => draw(s, 4).join(','));
    expect(new Set(heads).size).toBe(streams.length);
    expect(root.fork('a').fork('b').path).toBe('a/b');
  });

  it('does not disturb the parent stream', () => {
    const a = createRng(3);
    const b = createRng(3);
    a.fork('x').next();
    expect(draw(a, 10)).toEqual(draw(b, 10));
  });

  it('gives uncorrelated sibling streams', () => {
    const root = createRng(77);
    const x = draw(root.fork('x'), 50_000);
    const y = draw(root.fork('y'), 50_000);
    const mean = (v: number[]): number => v.reduce((s, e) => s + e, 0) / v.length;
    const mx = mean(x);
    const my = mean(y);
    let cov = 0;
    let vx = 0;
    let vy = 0;
    for (let i = 0; i < x.length; i++) {
      cov += (x[i]! - mx) * (y[i]! - my);
      vx += (x[i]! - mx) ** 2;
      vy += (y[i]! - my) ** 2;
    }
    // The standard error of a correlation of 50 000 independent pairs is about 0.0045.
    expect(Math.abs(cov / Math.sqrt(vx * vy))).toBeLessThan(0.02);
  });
});
