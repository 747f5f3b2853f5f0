import type { ConsoleLine } from '../../../../shared/contract/areas/instruments';
import { ConsoleLog, type ConsoleEntry } from '../console-log';

const BATCH_MS = 50;

/**
 * The console of one manager: every line exchanged by whichever instrument is connected, numbered
 * for the Instruments page (ask for the lines after a `seq`), bounded, kept after a disconnect,
 * and sent to the page in batches (at most ~20 events a second).
 */
export class ConsoleFeed {
  readonly log: ConsoleLog;
  private readonly lines: ConsoleLine[] = [];
  private seq = 0;
  private dropped = 0;
  private pending: ConsoleLine[] = [];
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly capacity: number,
    private readonly emit: ((lines: ConsoleLine[]) => void) | undefined,
  ) {
    this.log = new ConsoleLog(capacity);
    this.log.subscribe((entry) => this.add(entry));
  }

  /** The kept lines after `since` (all by default), and how many were dropped for room. */
  since(since = -1): { lines: ConsoleLine[]; dropped: number } {
    return { lines: this.lines.filter((l) => l.seq > since), dropped: this.dropped };
  }

  text(): string {
    return this.log.exportText();
  }

  close(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private add(entry: ConsoleEntry): void {
    const line: ConsoleLine = { t: entry.t, dir: entry.dir, text: entry.text, seq: this.seq++ };
    this.lines.push(line);
    if (this.lines.length > this.capacity) {
      this.lines.splice(0, this.lines.length - this.capacity);
      this.dropped++;
    }
    if (!this.emit) return;
    this.pending.push(line);
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.flush(), BATCH_MS);
      this.flushTimer.unref();
    }
  }

  private flush(): void {
    this.flushTimer = null;
    const lines = this.pending;
    this.pending = [];
    if (lines.length > 0) this.emit?.(lines);
  }
}
