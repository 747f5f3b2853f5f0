/**
 * The store's two error types, both ServiceErrors: `code` is the contract's error code (the router
 * turns them into error envelopes), `reason` the store's own finer distinction that callers
 * branch on. Messages are written for the person at the bench.
 */
import type { ErrorCode } from '../../../shared/contract/envelope';
import { ServiceError } from '../errors';

export type StoreOpenErrorCode = 'not_workbench' | 'corrupt' | 'newer_schema' | 'unreadable';

/** Thrown by `openStore` when it refuses a file. The file's bytes are left as they were. */
export class StoreOpenError extends ServiceError {
  override readonly name = 'StoreOpenError';
  constructor(
    readonly reason: StoreOpenErrorCode,
    /** The full path of the file that was refused. */
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('unavailable', message, { reason, file }, options);
  }
}

export type StoreErrorCode = 'not_found' | 'invalid' | 'conflict' | 'corrupt';

const contractCode: Record<StoreErrorCode, ErrorCode> = { not_found: 'not_found', invalid: 'invalid_request', conflict: 'conflict', corrupt: 'internal' };

/**
 * Thrown by store methods: bad input ('invalid'), a missing row ('not_found'), a state clash
 * ('conflict'), stored bytes that make no sense ('corrupt', an internal error to the user).
 */
export class StoreError extends ServiceError {
  override readonly name: string = 'StoreError';
  constructor(
    readonly reason: StoreErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(contractCode[reason], message, details);
  }
}

export function isStoreError(e: unknown, reason?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (reason === undefined || e.reason === reason);
}
