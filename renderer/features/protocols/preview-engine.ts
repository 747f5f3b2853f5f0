/**
 * Runs preview computations in a worker, never on the page's thread: an edit after a quiet spell
 * starts one at once; edits in quick succession are coalesced to at most one start per
 * THROTTLE_MS, always ending with the latest document. A computation that has run for long and
 * is already out of date is abandoned (the worker is replaced) rather than waited for.
 */
import { computePreview, type PreviewRequest, type PreviewResult } from './preview-compute';

export const THROTTLE_MS = 150;
/** A computation older than this, with a newer request waiting, is abandoned. */
const ABANDON_MS = 750;

type Request = Omit<PreviewRequest, 'seq'>;

export class PreviewEngine {
  private worker: Worker | null = null;
  private seq = 0;
  private pending: PreviewRequest | null = null;
  private running: { seq: number; since: number } | null = null;
  private lastStart = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;

  constructor(
    private readonly onResult: (result: PreviewResult) => void,
    private readonly createWorker: () => Worker | null = defaultWorker,
  ) {}

  /** Asks for a preview of this document; returns its sequence number. */
  request(req: Request): number {
    const seq = ++this.seq;
    this.pending = { ...req, seq };
    this.pump();
    return seq;
  }

  /** Forgets any waiting request (the document became invalid: nothing to compute). */
  cancelPending(): void {
    this.pending = null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.worker?.terminate();
    this.worker = null;
  }

  private pump(): void {
    if (this.disposed || this.pending === null) return;
    const now = performance.now();
    if (this.running !== null) {
      if (now - this.running.since < ABANDON_MS) return; // the result's arrival pumps again
      this.worker?.terminate();
      this.worker = null;
      this.running = null;
    }
    const wait = this.lastStart + THROTTLE_MS - now;
    if (wait > 0) {
      if (this.timer === null) {
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, wait);
      }
      return;
    }
    const req = this.pending;
    this.pending = null;
    this.lastStart = now;
    this.running = { seq: req.seq, since: now };
    const worker = this.ensureWorker();
    if (worker) worker.postMessage(req);
    else {
      // No worker (a very old engine or a locked-down host): compute soon, still off this call.
      setTimeout(() => this.finish(computePreview(req)), 0);
    }
  }

  private ensureWorker(): Worker | null {
    if (this.worker) return this.worker;
    const w = this.createWorker();
    if (w) {
      w.onmessage = (e: MessageEvent<PreviewResult>) => this.finish(e.data);
      w.onerror = (e) => {
        e.preventDefault();
        const seq = this.running?.seq ?? this.seq;
        this.finish({ seq, ok: false, problems: [{ path: '', code: 'structure', message: `the preview stopped unexpectedly: ${e.message || 'worker error'}` }], computeMs: 0 });
        this.worker?.terminate();
        this.worker = null;
      };
    }
    this.worker = w;
    return w;
  }

  private finish(result: PreviewResult): void {
    if (this.disposed) return;
    if (this.running?.seq === result.seq) this.running = null;
    // Results arrive in order; one older than what is already shown is dropped.
    if (result.seq >= this.delivered) {
      this.delivered = result.seq;
      this.onResult(result);
    }
    this.pump();
  }

  private delivered = 0;
}

function defaultWorker(): Worker | null {
  try {
    return new Worker(new URL('./preview.worker.ts', import.meta.url), { type: 'module', name: 'protocol-preview' });
  } catch {
    return null;
  }
}
