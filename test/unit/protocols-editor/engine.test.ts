import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { intrinsicGradientPreset } from '../../../shared/device';
import type { PreviewRequest, PreviewResult } from '../../../renderer/features/protocols/preview-compute';
import { PreviewEngine, THROTTLE_MS } from '../../../renderer/features/protocols/preview-engine';

/** A stand-in worker that records what it was asked and answers when told. */
class FakeWorker {
  static all: FakeWorker[] = [];
  posted: PreviewRequest[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<PreviewResult>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  constructor() {
    FakeWorker.all.push(this);
  }
  postMessage(req: PreviewRequest) {
    this.posted.push(req);
  }
  terminate() {
    this.terminated = true;
  }
  answer(seq: number) {
    this.onmessage?.({ data: { seq, ok: false, problems: [], computeMs: 1 } } as unknown as MessageEvent<PreviewResult>);
  }
}

const req = (name: string) => ({ document: { name }, preset: intrinsicGradientPreset, seed: 1, noise: false });

describe('preview engine', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    FakeWorker.all = [];
  });
  afterEach(() => vi.useRealTimers());

  const engine = (results: number[]) => new PreviewEngine((r) => results.push(r.seq), () => new FakeWorker() as unknown as Worker);

  it('starts at once after a quiet spell, then coalesces a burst of edits into the latest, at most one start per interval', () => {
    const results: number[] = [];
    const e = engine(results);
    e.request(req('a'));
    const w = FakeWorker.all[0]!;
    expect(w.posted.map((p) => (p.document as { name: string }).name)).toEqual(['a']);
    e.request(req('b'));
    e.request(req('c'));
    w.answer(1);
    expect(results).toEqual([1]);
    expect(w.posted).toHaveLength(1); // within the interval: waits
    vi.advanceTimersByTime(THROTTLE_MS);
    expect(w.posted.map((p) => (p.document as { name: string }).name)).toEqual(['a', 'c']);
    w.answer(3);
    expect(results).toEqual([1, 3]);
  });

  it('never delivers a result older than one already shown', () => {
    const results: number[] = [];
    const e = engine(results);
    e.request(req('a'));
    const w = FakeWorker.all[0]!;
    w.answer(5);
    w.answer(1);
    expect(results).toEqual([5]);
    e.dispose();
  });

  it('abandons a long computation that is already out of date, in a fresh worker', () => {
    const results: number[] = [];
    const e = engine(results);
    e.request(req('slow'));
    vi.advanceTimersByTime(1000);
    e.request(req('new'));
    expect(FakeWorker.all[0]!.terminated).toBe(true);
    expect(FakeWorker.all[1]!.posted.map((p) => (p.document as { name: string }).name)).toEqual(['new']);
  });

  it('forgets a waiting request when the document becomes invalid, and stops on dispose', () => {
    const results: number[] = [];
    const e = engine(results);
    e.request(req('a'));
    e.request(req('b'));
    e.cancelPending();
    FakeWorker.all[0]!.answer(1);
    vi.advanceTimersByTime(1000);
    expect(FakeWorker.all[0]!.posted).toHaveLength(1);
    e.dispose();
    expect(FakeWorker.all[0]!.terminated).toBe(true);
  });
});
