import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monotone, TraceDevice } from '../../../shared/device';

/** A hand-made trace: G 10 → 9 → … one pulse every 5 s, then reads of the relaxation every 10 s. */
function source(steps = 6) {
  const pulses = Array.from({ length: steps }, (_, k) => ({ t: 1 + 5 * k, v: 1.5, width: 0.01 }));
  const reads = [{ t: 0, g: 10 }, ...pulses.map((p, k) => ({ t: p.t + 0.01, g: 10 - (k + 1) }))];
  const end = pulses.at(-1)!.t + 0.01;
  // f: 0.1 of the loss back at 10 s, 0.5 at 20 s, 0.9 at 30 s.
  const loss = steps;
  for (const [dt, f] of [
    [10, 0.1],
    [20, 0.5],
    [30, 0.9],
  ] as const)
    reads.push({ t: end + dt, g: 10 - loss + f * loss });
  return { pulses, reads, provenance: { source: 'test' } };
}

describe('the measured-trace device', () => {
  it('at the train’s own pace follows the measured depression pulse by pulse', async () => {
    const d = new TraceDevice(source());
    expect(d.period).toBe(5);
    for (let k = 1; k <= 6; k++) {
      await d.pulse(1.5, 0.01);
      await d.wait(5);
      expect((await d.read(0.1)).conductance).toBeCloseTo(10 - k, 9);
    }
  });

  it('after the pulses stop relaxes as measured beyond the period, and a later pulse continues from where G stands', async () => {
    const d = new TraceDevice(source());
    for (let k = 0; k < 6; k++) await d.pulse(1.5, 0.01);
    await d.wait(30);
    const g = (await d.read(0.1)).conductance;
    expect(g).toBeGreaterThan(4);
    expect(g).toBeLessThan(10);
    await d.pulse(1.5, 0.01);
    // G was between D(k) and D(k+1): one pulse takes it one pulse further along D.
    expect((await d.read(0.1)).conductance).toBeCloseTo(g - 1, 9);
  });

  it('refuses a pulse other than the trace’s, a trace without a baseline, too few reads, or mixed pulses', async () => {
    await expect(new TraceDevice(source()).pulse(2, 0.01)).rejects.toThrow(/measured with 1.5 V, 0.01 s pulses; it cannot replay a 2 V/);
    const s = source();
    expect(() => new TraceDevice({ ...s, reads: s.reads.slice(1) })).toThrow(/no read before its first pulse/);
    expect(() => new TraceDevice({ ...s, reads: s.reads.slice(0, -2) })).toThrow(/1 read after its train; the replay needs at least 3/);
    expect(() => new TraceDevice({ ...s, pulses: [...s.pulses.slice(1), { t: 1, v: 1.6, width: 0.01 }] })).toThrow(/different amplitudes or widths/);
  });

  it('monotone() returns the closest non-increasing sequence: the same length, never increasing, the same mean (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const m = monotone(xs, -1);
        const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
        return m.length === xs.length && m.every((v, k) => k === 0 || v <= m[k - 1]! + 1e-9) && Math.abs(mean(m) - mean(xs)) < 1e-6;
      }),
    );
  });
});
