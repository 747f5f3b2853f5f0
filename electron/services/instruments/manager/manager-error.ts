import type { ErrorCode } from '../../../../shared/contract/envelope';
import { ServiceError } from '../../errors';

export type ManagerErrorKind = 'conflict' | 'invalid' | 'not_found';

const CODES: Readonly<Record<ManagerErrorKind, ErrorCode>> = { conflict: 'conflict', invalid: 'invalid_request', not_found: 'not_found' };

/** A refusal of the instrument manager (connected already, bad settings, no such virtual instrument). */
export class ManagerError extends ServiceError {
  override name = 'ManagerError';
  constructor(
    readonly kind: ManagerErrorKind,
    message: string,
  ) {
    super(CODES[kind], message);
  }
}
