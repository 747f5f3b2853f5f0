/**
 * Every result crosses a host boundary (Electron IPC or the web host's WebSocket) in this envelope,
 * so an error keeps its code and details instead of becoming a bare string in the renderer.
 */
export const errorCodes = [
  'invalid_request',
  'unknown_method',
  'not_found',
  'conflict',
  'unsafe',
  'instrument',
  'timeout',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ContractError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, details?: unknown): Envelope<never> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/** Thrown by services and by HostClient adapters; carries a contract error code. */
export class HostError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HostError';
  }

  toContractError(): ContractError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export function isErrorCode(x: unknown): x is ErrorCode {
  return typeof x === 'string' && (errorCodes as readonly string[]).includes(x);
}
