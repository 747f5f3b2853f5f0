/**
 * Errors a `Device` may throw, with a `kind` the run engine branches on (it never parses
 * messages). The instrument layer throws its own error class; anything with a matching string
 * `kind` is understood the same way, so both kinds of device speak one language to the engine.
 */
export type DeviceErrorKind =
  /** The instrument reached its compliance current: the run pauses, the user resumes or aborts. */
  | 'compliance'
  /** A pulse or read outside the safety limits, refused before anything was applied. */
  | 'unsafe'
  /** The connection went away (cable pulled, port closed). */
  | 'disconnected'
  /** No answer in time. */
  | 'timeout'
  /** The device was closed and takes no more commands. */
  | 'closed'
  /** Anything else the device reports. */
  | 'device';

export class DeviceError extends Error {
  override readonly name = 'DeviceError';
  constructor(
    readonly kind: DeviceErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The `kind` of an error from a device (a DeviceError, or the instrument layer's own error). */
export function deviceErrorKind(e: unknown): string | null {
  if (e === null || typeof e !== 'object') return null;
  const kind = (e as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : null;
}

/** True for a compliance trip, whichever layer threw it: the run should pause, not fail. */
export function isComplianceTrip(e: unknown): boolean {
  return e instanceof Error && deviceErrorKind(e) === 'compliance';
}
