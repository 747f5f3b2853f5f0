/**
 * The lab queue's payload checks and result codec (#16): any value off the queue gives a verdict
 * (never a throw), valid payloads pass unchanged, and a stored result reads back to the same
 * doubles, NaN and ±Infinity included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkJobData, decodeResult, encodeResult, instrumentQueue, jobKey, type SweepJobData } from '../../../electron/services/lab-queue/payload';
import { backoffSeconds } from '../../../electron/services/lab-queue/worker';
import type { RunResult } from '../../../shared/rl';

const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
const valid: fc.Arbitrary<SweepJobData> = fc.record({ sweepId: fc.uuid(), environmentId: id, strategyId: id, seed: fc.nat() });

describe('sweep job payloads', () => {
  it('accepts every well-formed payload as it is', () => {
    fc.assert(fc.property(valid, (d) => {
        expect(checkJobData(d)).toEqual({ ok: true, data: { ...d, sweepId: d.sweepId.toLowerCase() } });
      }),
    );
  });

  it('gives a reason, never a throw, for anything else', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const r = checkJobData(x);
        if (!r.ok) expect(r.reason).toMatch(/^the job's /);
      }),
    );
    fc.assert(
      fc.property(valid, fc.constantFrom('sweepId', 'environmentId', 'strategyId', 'seed'), fc.anything(), (d, key, bad) => {
        fc.pre(!(key === 'seed' && Number.isSafeInteger(bad) && (bad as number) >= 0));
        fc.pre(!(key !== 'seed' && typeof bad === 'string'));
        const r = checkJobData({ ...d, [key]: bad });
        expect(r.ok).toBe(false);
      }),
    );
    expect(checkJobData({ sweepId: '00000000-0000-4000-8000-000000000000', environmentId: 'a', strategyId: 'b', seed: 1, extra: 1 })).toEqual({ ok: false, reason: 'the job\'s data has unknown field(s): "extra"' });
    expect(checkJobData(null)).toEqual({ ok: false, reason: "the job's data is null, not an object" });
  });

  it('names jobs and instrument queues', () => {
    expect(jobKey({ environmentId: 'static', strategyId: 'constant', seed: 7 })).toBe('static/constant/7');
    expect(instrumentQueue('keithley-7')).toBe('wb-sweep-instrument-keithley-7');
    expect(() => instrumentQueue('serial:/dev/ttyUSB0')).toThrow(/may hold only letters, digits/);
    expect(() => instrumentQueue('')).toThrow(/1 to 60/);
  });

  it('backs off 1, 2, 4 … s, at most 30', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffSeconds)).toEqual([1, 2, 4, 8, 16, 30, 30, 30]);
  });
});

describe('stored results', () => {
  const num = fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity));
  it('read back to the same numbers, the traces left out', () => {
    fc.assert(
      fc.property(num, num, fc.array(fc.record({ iterations: num, settleIterations: num, settled: fc.boolean() })), (a, b, phases) => {
        const r = { environmentId: 'e', strategyId: 's', seed: 3, trainingIterations: a, converged: true, settleIterations: b, settled: false, regret: a, phases, episodes: { steps: new Int32Array(3) } } as unknown as RunResult;
        const back = decodeResult(encodeResult(r)) as unknown as Record<string, unknown>;
        expect('episodes' in back).toBe(false);
        const { episodes: _e, ...want } = r;
        void _e;
        // -0 is stored as 0 (JSON has one zero); every other double is the same double.
        const zero = (x: unknown): unknown => (Object.is(x, -0) ? 0 : Array.isArray(x) ? x.map(zero) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, zero(v)])) : x);
        expect(back).toEqual(zero(want));
      }),
    );
  });
});
