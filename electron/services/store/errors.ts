/**
 * The store's two error types. Both carry a stable `code` so the router can turn them into contract
 * errors without parsing messages; messages are written for the person at the bench.
 */

export type StoreOpenErrorCode = 'not_workbench' | 'corrupt' | 'newer_schema' | 'unreadable';

/** Thrown by `openStore` when it refuses a file. The file's bytes are left as they were. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly code: StoreOpenErrorCode,
    /** The full path of the file that was refused. */
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type StoreErrorCode = 'not_found' | 'invalid' | 'conflict' | 'corrupt';

/** Thrown by store methods: bad input ('invalid'), a missing row ('not_found'), a state clash ('conflict'). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
