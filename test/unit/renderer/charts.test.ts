import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decimateMinMax, lowerBound, Points } from '../../../renderer/components/charts/decimate';
import { DrawStats } from '../../../renderer/components/charts/draw-stats';
import { cancelDraw, requestDraw, STREAMING_INTERVAL_MS } from '../../../renderer/components/charts/frame-scheduler';
import { SeriesBuffer } from '../../../renderer/components/charts/series-buffer';
import { seriesToCsv } from '../../../renderer/components/charts/csv';

/** The decimated points as plain arrays. */
const points = (p: Points) => ({ x: Array.from(p.x.subarray(0, p.length)), y: Array.from(p.y.subarray(0, p.length)) });

describe('min–max decimation', () => {
  it('keeps the lowest and highest point of every bucket, in x order, within a bounded count', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom<'line' | 'points'>('line', 'points'),
        (ys, buckets, style) => {
          const x = Float64Array.from(ys, (_, k) => k);
          const y = Float64Array.from(ys);
          const out = points(decimateMinMax(x, y, 0, ys.length - 1, buckets, undefined, style));
          expect(out.x.length).toBeLessThanOrEqual(Math.max(ys.length, (buckets + 4) * (style === 'points' ? 2 : 4)));
          for (let k = 1; k < out.x.length; k++) expect(out.x[k]!).toBeGreaterThan(out.x[k - 1]!);
          // Every point is one of the input's, and every bucket's extremes are there.
          for (let k = 0; k < out.x.length; k++) expect(out.y[k]).toBe(ys[out.x[k]!]);
          if (ys.length > buckets * (style === 'points' ? 2 : 4)) {
            const width = (ys.length - 1) / buckets;
            const kept = new Set(out.x);
            const byBucket = new Map<number, number[]>();
            ys.forEach((_, k) => {
              const b = Math.floor(k / width);
              byBucket.set(b, [...(byBucket.get(b) ?? []), k]);
            });
            for (const ks of byBucket.values()) {
              const vals = ks.map((k) => ys[k]!);
              expect(ks.some((k) => kept.has(k) && ys[k] === Math.min(...vals))).toBe(true);
              expect(ks.some((k) => kept.has(k) && ys[k] === Math.max(...vals))).toBe(true);
            }
          }
        },
      ),
    );
  });

  it('reduces a million points to a few per pixel, without losing a one-sample spike', () => {
    const n = 1_000_000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      x[k] = k * 1e-3;
      y[k] = Math.sin(k / 1000) + (k === 500_000 ? 10 : 0);
    }
    const out = points(decimateMinMax(x, y, 0, x[n - 1]!, 1000));
    expect(out.x.length).toBeLessThanOrEqual(4000 + 8);
    expect(out.y).toContain(y[500_000]);
    const asPoints = points(decimateMinMax(x, y, 0, x[n - 1]!, 1000, undefined, 'points'));
    expect(asPoints.x.length).toBeLessThanOrEqual(2000 + 4);
    expect(asPoints.y).toContain(y[500_000]);
  });

  it('returns only the visible window (plus one point each side)', () => {
    const x = Float64Array.from({ length: 100 }, (_, k) => k);
    const out = points(decimateMinMax(x, x, 40, 50, 1000));
    expect(out.x[0]).toBe(39);
    expect(out.x[out.x.length - 1]).toBe(51);
    expect(out.x).toHaveLength(13);
  });

  it('makes one bucket of points that all share an x (reads before the first pulse, against pulse number)', () => {
    const x = new Float64Array(50_000);
    const y = Float64Array.from({ length: 50_000 }, (_, k) => Math.cos(k));
    const out = points(decimateMinMax(x, y, 0, 0, 600, undefined, 'points'));
    expect(out.y).toEqual([Math.min(...y), Math.max(...y)].sort((a, b) => y.indexOf(a) - y.indexOf(b)));
  });

  it('keeps a NaN of a bucket as a gap in the line', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, k) => k);
    const y = Float64Array.from({ length: n }, (_, k) => (k === 5_000 ? NaN : k % 7));
    const out = points(decimateMinMax(x, y, 0, n - 1, 100));
    expect(out.x).toContain(5_000);
    expect(out.y.filter((v) => Number.isNaN(v))).toHaveLength(1);
  });

  it('reuses the buffer it is given, growing it only when needed', () => {
    const x = Float64Array.from({ length: 10_000 }, (_, k) => k);
    const buffer = new Points(16);
    const first = decimateMinMax(x, x, 0, 9_999, 500, buffer);
    expect(first).toBe(buffer);
    const storage = buffer.x;
    decimateMinMax(x, x, 0, 9_999, 400, buffer);
    expect(buffer.x).toBe(storage);
    expect(points(buffer).x[0]).toBe(0);
    decimateMinMax(x, x, 20_000, 30_000, 400, buffer);
    expect(buffer.length).toBe(1); // only the point before the window
  });

  it('lowerBound finds the first index not below the value, within a range', () => {
    const x = [0, 1, 1, 2, 5];
    expect(lowerBound(x, 1)).toBe(1);
    expect(lowerBound(x, 3)).toBe(4);
    expect(lowerBound(x, 9)).toBe(5);
    expect(lowerBound(x, 0, 2)).toBe(2);
    expect(lowerBound(x, 9, 0, 3)).toBe(3);
  });
});

describe('draw statistics', () => {
  it('summarises the frames in its ring and counts every frame', () => {
    const stats = new DrawStats(4);
    expect(stats.summary()).toEqual({ frames: 0, meanMs: 0, p95Ms: 0, maxMs: 0 });
    for (const ms of [9, 1, 2, 3, 4]) stats.add(ms);
    // The ring holds the last four (1, 2, 3, 4); five frames were recorded.
    expect(stats.summary()).toEqual({ frames: 5, meanMs: 2.5, p95Ms: 4, maxMs: 4 });
    stats.reset();
    expect(stats.summary().frames).toBe(0);
  });
});

describe('frame scheduler', () => {
  const frames: ((t: number) => void)[] = [];
  beforeEach(() => {
    frames.length = 0;
    vi.stubGlobal('requestAnimationFrame', (cb: (t: number) => void) => frames.push(cb));
  });
  afterEach(() => vi.unstubAllGlobals());
  const nextFrame = (t: number) => frames.shift()!(t);

  it('draws one streaming redraw a frame, in the order asked, a chart asked for again keeping its place', () => {
    const drawn: string[] = [];
    const draw = (name: string) => () => void drawn.push(name);
    const [a, b, c] = [draw('a'), draw('b'), draw('c')];
    requestDraw(a);
    requestDraw(b);
    requestDraw(a);
    expect(frames).toHaveLength(1);
    nextFrame(1000);
    expect(drawn).toEqual(['a']);
    requestDraw(c);
    requestDraw(a);
    nextFrame(1016);
    nextFrame(1033);
    // a drew 33 ms ago: it waits until its interval has passed, the frames going on meanwhile.
    nextFrame(1050);
    expect(drawn).toEqual(['a', 'b', 'c']);
    nextFrame(1000 + STREAMING_INTERVAL_MS);
    expect(drawn).toEqual(['a', 'b', 'c', 'a']);
    expect(frames).toHaveLength(0);
  });

  it('draws every whole-data redraw in the next frame, together, before the streaming ones and whatever their interval', () => {
    const drawn: string[] = [];
    const draw = (name: string) => () => void drawn.push(name);
    const [live, a, b] = [draw('live'), draw('a'), draw('b')];
    requestDraw(live);
    requestDraw(a, true);
    requestDraw(b, true);
    requestDraw(b); // already asked for with its whole data: drawn once
    nextFrame(2000);
    expect(drawn).toEqual(['a', 'b']);
    requestDraw(a, true);
    nextFrame(2016);
    expect(drawn).toEqual(['a', 'b', 'a']);
    nextFrame(2033);
    expect(drawn).toEqual(['a', 'b', 'a', 'live']);
    expect(frames).toHaveLength(0);
  });

  it('forgets a cancelled draw', () => {
    const drawn: number[] = [];
    const d = (t: number) => void drawn.push(t);
    requestDraw(d);
    cancelDraw(d);
    nextFrame(3000);
    expect(drawn).toEqual([]);
    expect(frames).toHaveLength(0);
  });
});

describe('series buffer', () => {
  it('keeps typed arrays it is given without a copy, and never writes into them', () => {
    const x = Float64Array.from([0, 1, 2, 3]);
    const y = Float64Array.from([5, 6, 7, 8]);
    const b = new SeriesBuffer(4, 100);
    b.set(x, y);
    expect(b.x.buffer).toBe(x.buffer);
    b.append([4, 5], [9, 10]);
    expect(Array.from(b.x)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(x)).toEqual([0, 1, 2, 3]);
    b.set(x, y);
    b.clear();
    b.append([7], [1]);
    expect(Array.from(b.x)).toEqual([7]);
    expect(Array.from(x)).toEqual([0, 1, 2, 3]);
    // Beyond its maximum it keeps the newest points, still without a copy.
    const small = new SeriesBuffer(4, 3);
    small.set(x, y);
    expect(Array.from(small.x)).toEqual([1, 2, 3]);
    expect(small.dropped).toBe(1);
    small.append([4, 5, 6], [0, 0, 0]);
    expect(small.length).toBeLessThanOrEqual(3);
    expect(Array.from(x)).toEqual([0, 1, 2, 3]);
  });

  it('appends batches and drops the oldest half beyond its maximum', () => {
    const b = new SeriesBuffer(4, 100);
    for (let k = 0; k < 30; k++) b.append([k * 3, k * 3 + 1, k * 3 + 2], [1, 2, 3]);
    expect(b.length).toBeLessThanOrEqual(100);
    expect(b.length + b.dropped).toBe(90);
    expect(b.x[b.length - 1]).toBe(89);
    for (let k = 1; k < b.length; k++) expect(b.x[k]).toBe(b.x[k - 1]! + 1);
  });
});

describe('chart CSV', () => {
  it('writes one row per point with quoted labels and blanks for non-finite values', () => {
    const csv = seriesToCsv([{ label: 'run "a", seed 1', x: [0, 1], y: [1e-5, NaN] }], 'Time t (s)', 'Conductance G (S)');
    expect(csv).toBe('series,Time t (s),Conductance G (S)\n"run ""a"", seed 1",0,0.00001\n"run ""a"", seed 1",1,\n');
  });
});
