import { HostError, isErrorCode, type Envelope } from '../../shared/contract';

/** Unwraps a result envelope from either host, turning an error into a HostError with its code. */
export function unwrap<T>(method: string, envelope: unknown): T {
  if (envelope !== null && typeof envelope === 'object' && 'ok' in envelope) {
    const e = envelope as Envelope<T>;
    if (e.ok) return e.value;
    const code = isErrorCode(e.error?.code) ? e.error.code : 'internal';
    throw new HostError(code, typeof e.error?.message === 'string' ? e.error.message : `${method} failed`, e.error?.details);
  }
  throw new HostError('internal', `${method}: the host sent a reply that is not a result envelope`);
}
