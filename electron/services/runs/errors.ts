import { ServiceError } from '../errors';

/** A request the engine refuses: a run it does not know, one in the wrong state, an engine shut down. */
export class RunEngineError extends ServiceError {
  override readonly name = 'RunEngineError';
  constructor(code: 'not_found' | 'conflict' | 'unavailable' | 'invalid_request', message: string) {
    super(code, message);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
