/** What a virtual instrument is: how it identifies, how it answers, and its output state. */
export interface Personality {
  readonly idn: string;
  /** Appended to every reply line. */
  readonly replyTerminator: string;
  /** Handles one received line and returns the reply lines (none for a set command). */
  handle(line: string): string[];
  /** The output as the instrument drives it now: 0 V whenever it is off. */
  output(): { on: boolean; level: number };
}

/** How an instrument's host lines are split (a Prologix controller honours ESC before CR and LF). */
export interface LineSplitting {
  splitLines?(onLine: (line: string) => void): { push(chunk: Buffer): void; reset(): void };
}
