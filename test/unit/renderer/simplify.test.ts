/**
 * Line simplification for drawing (renderer/components/charts/simplify.ts): whatever the points,
 * every point left out lies within the tolerance of the line drawn through the kept ones, the ends
 * of every stretch and every NaN (a break in the line) are kept, and a straight run collapses to its
 * ends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segmentDistance2, simplifyPolyline } from '../../../renderer/components/charts/simplify';

const coordinate = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -1e4, max: 1e4, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) });

describe('simplifyPolyline', () => {
  it('leaves out only points within the tolerance of the drawn line, and keeps every end and every break (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(coordinate, coordinate), { maxLength: 300 }), fc.double({ min: 0, max: 50, noNaN: true }), (pts, tol) => {
        const x = pts.map((p) => p[0]);
        const y = pts.map((p) => p[1]);
        const keep = simplifyPolyline(x, y, tol);
        const ok = (k: number) => Number.isFinite(x[k]!) && Number.isFinite(y[k]!);
        let prev = -1;
        for (let k = 0; k < pts.length; k++) {
          if (!ok(k)) {
            expect(keep[k]).toBe(1);
            prev = -1;
            continue;
          }
          if (prev === -1 || k === pts.length - 1 || !ok(k + 1)) expect(keep[k], `end of a stretch at ${k}`).toBe(1);
          if (keep[k] === 1) {
            // Every point between two kept neighbours is within the tolerance of the segment joining them.
            if (prev !== -1) {
              for (let j = prev + 1; j < k; j++) expect(Math.sqrt(segmentDistance2(x[j]!, y[j]!, x[prev]!, y[prev]!, x[k]!, y[k]!))).toBeLessThanOrEqual(tol * (1 + 1e-12) + 1e-9);
            }
            prev = k;
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('draws a straight run with its two ends, and keeps a corner', () => {
    const x = Array.from({ length: 400 }, (_, k) => k);
    expect(Array.from(simplifyPolyline(x, x.map((v) => 2 * v + 1), 0.5)).reduce((a, b) => a + b, 0)).toBe(2);
    const vee = x.map((v) => Math.abs(v - 200));
    const keep = simplifyPolyline(x, vee, 0.5);
    expect([keep[0], keep[200], keep[399]]).toEqual([1, 1, 1]);
    expect(Array.from(keep).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('keeps every point of a line that turns back on itself by more than the tolerance', () => {
    // Out and back along one line (an I–V branch retraced): the far end is a turn the line must keep.
    const x = [0, 1, 2, 3, 2, 1, 0];
    const keep = simplifyPolyline(x, [0, 0, 0, 0, 0, 0, 0], 0.5);
    expect(keep[3]).toBe(1);
  });
});
