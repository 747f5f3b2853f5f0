import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exponentialDifferenceRatio, relaxedG, relaxedS } from '../../../shared/device';

/** Classical RK4 on ds/dt = −s/τ_s, dg/dt = (1 − ρ·s − g)/τ_g: an independent reference. */
function rk4(g: number, s: number, t: number, p: { rho: number; tauG: number; tauS: number }, steps: number): number {
  const h = t / steps;
  const f = (gg: number, ss: number): [number, number] => [(1 - p.rho * ss - gg) / p.tauG, -ss / p.tauS];
  for (let k = 0; k < steps; k++) {
    const [a1, b1] = f(g, s);
    const [a2, b2] = f(g + (h / 2) * a1, s + (h / 2) * b1);
    const [a3, b3] = f(g + (h / 2) * a2, s + (h / 2) * b2);
    const [a4, b4] = f(g + h * a3, s + h * b3);
    g += (h / 6) * (a1 + 2 * a2 + 2 * a3 + a4);
    s += (h / 6) * (b1 + 2 * b2 + 2 * b3 + b4);
  }
  return g;
}

describe('exact relaxation', () => {
  const cases = [
    { name: 'τ_g < τ_s (defaults)', p: { rho: 0.9, tauG: 150, tauS: 1000 } },
    { name: 'τ_g > τ_s', p: { rho: 0.7, tauG: 400, tauS: 50 } },
    { name: 'τ_g = τ_s', p: { rho: 0.9, tauG: 300, tauS: 300 } },
    { name: 'τ_g ≈ τ_s', p: { rho: 0.9, tauG: 300, tauS: 300 * (1 + 1e-9) } },
  ];
  for (const { name, p } of cases) {
    it(`matches a fine numerical integration (${name})`, () => {
      for (const t of [1e-3, 1, 100, 600]) {
        const exact = relaxedG(0.02, 0.93, t, p);
        expect(Math.abs(exact - rk4(0.02, 0.93, t, p, 20_000))).toBeLessThan(1e-10);
      }
    });
  }

  it('is continuous as τ_s approaches τ_g', () => {
    const t = 250;
    const at = relaxedG(0.1, 0.8, t, { rho: 0.9, tauG: 200, tauS: 200 });
    for (const eps of [1e-3, 1e-6, 1e-9, 1e-12]) {
      expect(Math.abs(relaxedG(0.1, 0.8, t, { rho: 0.9, tauG: 200, tauS: 200 * (1 + eps) }) - at)).toBeLessThan(10 * eps + 1e-14);
    }
  });

  it('stays finite for very long waits, reaching the pristine state', () => {
    for (const p of [
      { rho: 0.9, tauG: 150, tauS: 1000 },
      { rho: 0.9, tauG: 1000, tauS: 150 },
    ]) {
      expect(Math.abs(exponentialDifferenceRatio(1e7, p.tauG, p.tauS, Math.exp(-1e7 / p.tauG)))).toBe(0);
      expect(relaxedG(0.02, 0.9, 1e7, p)).toBe(1);
      expect(relaxedG(0.02, 0.9, Infinity, p)).toBe(1);
    }
  });

  it('composes: relaxing for a then b equals relaxing for a + b', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.double({ min: 0, max: 2000, noNaN: true }),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        (g, s, a, b, tauG, tauS) => {
          const p = { rho: 0.9, tauG, tauS };
          const split = relaxedG(relaxedG(g, s, a, p), relaxedS(s, a, tauS), b, p);
          const whole = relaxedG(g, s, a + b, p);
          return Math.abs(split - whole) < 1e-12;
        },
      ),
    );
  });
});
