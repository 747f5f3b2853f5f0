/**
 * How a run ends, and why, from what ended its loop. The engine never parses messages: it looks at
 * what the user asked for and at the error's kind.
 *
 * - completed: the protocol finished; stopped / aborted: the user (or quitting) asked;
 * - interrupted: the line to the instrument went away — a port that closed ('port-closed') or an
 *   instrument that stopped answering within its timeout ('timeout'): nothing is wrong with the
 *   protocol or the samples so far, the run was cut short from outside, as a crash of the app
 *   would leave it;
 * - failed: anything else — a device error, a safety limit, a program that does not run.
 *
 * Whatever the ending, the output off is still attempted and the samples taken so far are kept
 * (session.ts).
 */
import type { TerminalRunStatus } from '../../../shared/contract';
import { deviceErrorKind } from '../../../shared/device';
import { ProgramError, SafetyLimitError } from '../../../shared/protocol';
import { errorText } from './errors';
import type { Job } from './job';

export type Ending = TerminalRunStatus;

/** Ends the run loop with a status (null: just leave the loop; the caller decides). */
export class EndRun extends Error {
  constructor(
    readonly ending: Ending | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export interface RunEnd {
  ending: Ending;
  reason: string;
  /** How the engine's log reports it ('none': the run's own log says all there is). */
  log: 'none' | 'warn' | 'error';
}

/** The ending of a run whose loop threw `e`. */
export function endingOf(e: unknown, job: Job): RunEnd {
  if (e instanceof EndRun && e.ending !== null) return { ending: e.ending, reason: e.reason, log: 'none' };
  if (job.request === 'abort') {
    // Switching the output off under a running operation may make it throw: that is the abort.
    return { ending: 'aborted', reason: `${job.message ?? 'aborted by the user'} (the operation in progress ended with: ${errorText(e)})`, log: 'none' };
  }
  // The instrument's message already says what happened and what to do.
  if (isLostLine(e)) return { ending: 'interrupted', reason: errorText(e), log: 'warn' };
  return { ending: 'failed', reason: failureReason(e), log: 'error' };
}

/**
 * An error that means the line to the instrument is gone: the port closed, or the instrument
 * stopped answering within its timeout. For the person at the bench these are one event.
 */
export function isLostLine(e: unknown): boolean {
  const kind = deviceErrorKind(e);
  return kind === 'port-closed' || kind === 'timeout';
}

function failureReason(e: unknown): string {
  if (e instanceof SafetyLimitError) return `safety limit: ${e.message}`;
  if (e instanceof ProgramError) return `the compiled program is not valid: ${e.message}`;
  const kind = deviceErrorKind(e);
  if (kind !== null) return `device error (${kind}): ${errorText(e)}`;
  return errorText(e);
}

/** A completed run's reason with how its feedback blocks ended: all of them when few, else the last. */
export function withExits(reason: string, exits: readonly string[]): string {
  if (exits.length === 0) return reason;
  if (exits.length <= 2) return `${reason}; ${exits.join('; ')}`;
  return `${reason}; ${exits[exits.length - 1]} (the last of ${exits.length}; each is in the run's log)`;
}
