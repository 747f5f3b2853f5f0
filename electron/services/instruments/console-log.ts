/**
 * The serial console: every line exchanged, with a timestamp and a direction, kept in memory and
 * bounded (oldest entries go first), exportable as text for a bug report or a lab notebook. It is
 * kept after a disconnect, because that is when people want to read it.
 */
export type ConsoleDirection = 'out' | 'in' | 'note';

export interface ConsoleEntry {
  /** Milliseconds since the Unix epoch. */
  readonly t: number;
  readonly dir: ConsoleDirection;
  readonly text: string;
}

const ARROWS: Readonly<Record<ConsoleDirection, string>> = { out: '>', in: '<', note: '#' };

export class ConsoleLog {
  private readonly ring: ConsoleEntry[] = [];
  private start = 0;
  private dropped = 0;
  private readonly listeners = new Set<(entry: ConsoleEntry) => void>();

  constructor(readonly capacity = 10_000) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`console capacity must be a positive integer (got ${capacity})`);
  }

  add(dir: ConsoleDirection, text: string): void {
    const entry: ConsoleEntry = { t: Date.now(), dir, text };
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else {
      this.ring[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
      this.dropped++;
    }
    for (const l of this.listeners) l(entry);
  }

  note(text: string): void {
    this.add('note', text);
  }

  /** Oldest first. */
  entries(): ConsoleEntry[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }

  /** Entries dropped because the log was full. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Live view for the Instruments page; returns the unsubscribe function. */
  subscribe(listener: (entry: ConsoleEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.ring.length = 0;
    this.start = 0;
  }

  /** One line per entry: ISO timestamp, > sent, < received, # note; control characters escaped. */
  exportText(): string {
    const head = this.dropped > 0 ? [`# ${this.dropped} older entries were dropped (the console keeps ${this.capacity})`] : [];
    const lines = this.entries().map((e) => `${new Date(e.t).toISOString()} ${ARROWS[e.dir]} ${escapeControls(e.text)}`);
    return [...head, ...lines].join('\n') + '\n';
  }
}

function escapeControls(text: string): string {
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
