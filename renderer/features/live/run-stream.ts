import type { SampleColumns } from '../../../shared/samples/columns';

/**
 * Keeps a chart in step with a run's sample stream: batches say where they start (`from`); a batch
 * that overlaps what is shown is trimmed, and one that leaves a gap triggers one catch-up read of
 * the committed samples ('runs.samples') before later batches are applied.
 */
export class RunStream {
  next = 0;
  private catchingUp = false;

  constructor(
    readonly runId: string,
    private readonly sink: (c: SampleColumns, from: number, to: number) => void,
    private readonly fetch: (from: number) => Promise<{ from: number; to: number; columns: SampleColumns }>,
  ) {}

  batch(from: number, columns: SampleColumns): void {
    if (this.catchingUp) return;
    const end = from + columns.length;
    if (end <= this.next) return;
    if (from > this.next) {
      void this.catchUp();
      return;
    }
    this.sink(columns, this.next - from, columns.length);
    this.next = end;
  }

  /** Reads every committed sample after what is shown (also used when the run ends). */
  async catchUp(): Promise<void> {
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      const r = await this.fetch(this.next);
      if (r.to > this.next) {
        this.sink(r.columns, this.next - r.from, r.columns.length);
        this.next = r.to;
      }
    } finally {
      this.catchingUp = false;
    }
  }
}
