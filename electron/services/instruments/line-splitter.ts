/**
 * Splits a byte stream into lines ending in CR, LF or CRLF. Empty lines are dropped: a CRLF split
 * across two reads would otherwise produce one, and none of our protocols has an empty reply.
 * Bytes are read as latin1 so a corrupted byte stays one visible character instead of a UTF-8
 * replacement sequence.
 */
export class LineSplitter {
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    /** A line longer than this without a terminator is flushed as is (runaway noise). */
    private readonly maxLength = 4096,
  ) {}

  push(chunk: Buffer | string): void {
    let text = this.pending + (typeof chunk === 'string' ? chunk : chunk.toString('latin1'));
    let start = 0;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c !== 10 && c !== 13) continue;
      if (k > start) this.onLine(text.slice(start, k));
      start = k + 1;
    }
    text = text.slice(start);
    if (text.length > this.maxLength) {
      this.onLine(text);
      text = '';
    }
    this.pending = text;
  }

  reset(): void {
    this.pending = '';
  }
}
