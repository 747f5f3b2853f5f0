/**
 * The one error type of the services. It carries the contract's error code (shared/contract
 * envelope.ts), so the router turns any ServiceError into an error envelope in one place and no
 * handler translates errors. Domain errors that callers branch on (an instrument's 'compliance' or
 * 'port-closed', a store's refusal) are subclasses: they add their own `reason`, and keep a code.
 *
 * Messages are written for the person at the bench; `details` travel with the envelope (e.g.
 * `{ problems }` with each problem's path).
 */
import type { ContractError, ErrorCode } from '../../shared/contract/envelope';

export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toContractError(): ContractError {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

export function isServiceError(e: unknown, code?: ErrorCode): e is ServiceError {
  return e instanceof ServiceError && (code === undefined || e.code === code);
}
