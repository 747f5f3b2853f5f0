import type { ErrorCode } from '../../../shared/contract/envelope';
import { ServiceError } from '../errors';

/**
 * Every failure of the instrument stack is an InstrumentError with a `kind`, so callers branch on
 * the kind (the run engine pauses on 'compliance', ends a run 'interrupted' on 'port-closed') and
 * show the message, which is written for the person at the bench. It is a ServiceError: the
 * contract code follows from the kind, so a host reports it without translating.
 */
export type InstrumentErrorKind =
  /** A pulse or read outside the safety limits: refused before any byte was sent. */
  | 'unsafe'
  /** The instrument reached its compliance current: the run should pause. */
  | 'compliance'
  /** No reply within the command's timeout. */
  | 'timeout'
  /** The port closed or vanished (cable pulled, adapter unplugged, emulator gone). */
  | 'port-closed'
  /** The port could not be opened. */
  | 'open-failed'
  /** Whatever answered is not the instrument the driver expects. */
  | 'identify'
  /** A reply that does not parse as the protocol says (line noise, wrong instrument state). */
  | 'protocol'
  /** The instrument reported an error of its own (error queue, ERR reply). */
  | 'instrument'
  /** The instrument was closed by the app; it takes no more commands. */
  | 'closed';

/** The contract code of each kind: what a caller across the host boundary can act on. */
const CODES: Readonly<Record<InstrumentErrorKind, ErrorCode>> = {
  unsafe: 'unsafe',
  compliance: 'instrument',
  timeout: 'timeout',
  'port-closed': 'unavailable',
  'open-failed': 'unavailable',
  identify: 'instrument',
  protocol: 'instrument',
  instrument: 'instrument',
  closed: 'conflict',
};

export class InstrumentError extends ServiceError {
  override name = 'InstrumentError';
  constructor(
    readonly kind: InstrumentErrorKind,
    message: string,
    /** The command being exchanged when it happened, if any. */
    readonly command?: string,
  ) {
    super(CODES[kind], message);
  }
}

export function isInstrumentError(e: unknown, kind?: InstrumentErrorKind): e is InstrumentError {
  return e instanceof InstrumentError && (kind === undefined || e.kind === kind);
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** "2 s", "2.5 s", "250 ms" — timeouts read naturally in messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number(s.toPrecision(3))} s`;
}

/** A reply as it appears in a message: quoted, control characters made visible, long ones cut. */
export function quoteReply(text: string): string {
  const visible = text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${visible.length > 120 ? `${visible.slice(0, 117)}…` : visible}'`;
}
