/** What the store's modules share: the connection, a clock, provenance defaults and open writers. */
import type Database from 'better-sqlite3';
import { StoreError } from './errors';

/** The part of a SampleWriter the rest of the store needs. */
export interface WriterHandle {
  readonly runId: string;
  /** Commits pending samples; called inside the caller's transaction. */
  flush(): void;
  /** Forgets the writer (its run ended or was deleted); further appends throw. */
  detach(reason: string): void;
}

export class StoreContext {
  private readonly statements = new Map<string, Database.Statement>();
  readonly writers = new Map<string, WriterHandle>();
  private closed = false;

  constructor(
    readonly db: Database.Database,
    readonly file: string,
    readonly appVersion: string,
    readonly host: string,
    private readonly clock: () => Date,
  ) {}

  /** Now, as an ISO-8601 UTC string. */
  now(): string {
    return this.clock().toISOString();
  }

  /** A prepared statement, cached by its SQL text. */
  stmt(sql: string): Database.Statement {
    this.assertOpen();
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs fn in a transaction (nested calls become savepoints). */
  tx<T>(fn: () => T): T {
    this.assertOpen();
    return this.db.transaction(fn).immediate();
  }

  assertOpen(): void {
    if (this.closed) throw new StoreError('conflict', `The store for ${this.file} is closed.`);
  }

  markClosed(): void {
    this.closed = true;
    this.statements.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
