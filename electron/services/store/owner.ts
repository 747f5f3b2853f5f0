/**
 * Which process drives an active run. Two processes may share a data folder (the desktop app and
 * a `workbench run` in a terminal), so "a run left running" only means "interrupted" when the
 * process that was running it is gone. The owner is recorded when a run is queued or started and
 * checked when a store opens: same host, pid alive (`kill(pid, 0)` does not say ESRCH), not a
 * zombie, and — on Linux — the same process start time (a reused pid is another process).
 */
import fs from 'node:fs';
import os from 'node:os';

export interface RunOwner {
  pid: number;
  /** os.hostname() of the machine the process runs on. */
  host: string;
  /** When the process started (ISO-8601 UTC), for people reading the record. */
  processStartedAt: string;
  /** Linux: the process's start time in clock ticks since boot (/proc/PID/stat field 22), exact. */
  procStart: string | null;
}

/** Fields 3… of /proc/PID/stat (after the command name, which may hold spaces and parentheses). */
function procStat(pid: number): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    if (close < 0) return null;
    return text
      .slice(close + 1)
      .trim()
      .split(/\s+/);
  } catch {
    return null;
  }
}

/**
 * This process as a run owner, read afresh at each call (one small /proc read, when a run is
 * recorded or a store checks its runs): nothing about it is kept between calls.
 */
export function currentOwner(): RunOwner {
  const stat = process.platform === 'linux' ? procStat(process.pid) : null;
  return {
    pid: process.pid,
    host: os.hostname(),
    processStartedAt: new Date(Math.round(Date.now() - process.uptime() * 1000)).toISOString(),
    procStart: stat?.[19] ?? null,
  };
}

export type OwnerLiveness = 'alive' | 'dead' | 'unknown';

/**
 * Whether the owner process still runs. 'unknown' (another machine's process, which this one
 * cannot see) counts as alive: a live run must never be marked interrupted.
 */
export function ownerLiveness(owner: RunOwner): OwnerLiveness {
  if (owner.host !== os.hostname()) return 'unknown';
  const me = currentOwner();
  if (owner.pid === me.pid) {
    return owner.procStart === null || me.procStart === null || owner.procStart === me.procStart ? 'alive' : 'dead';
  }
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'dead';
    if (code !== 'EPERM') return 'unknown';
    // EPERM: it exists but belongs to someone else; look closer below.
  }
  if (process.platform === 'linux') {
    const stat = procStat(owner.pid);
    if (stat === null) return 'dead';
    const state = stat[0];
    if (state === 'Z' || state === 'X') return 'dead'; // exited, not yet reaped
    if (owner.procStart !== null && stat[19] !== undefined && stat[19] !== owner.procStart) return 'dead'; // pid reused
  }
  return 'alive';
}

/** Parses a stored owner; null for none or for anything that is not one (treated as no owner). */
export function parseOwner(json: string | null): RunOwner | null {
  if (json === null) return null;
  try {
    const o = JSON.parse(json) as Partial<RunOwner>;
    if (typeof o.pid !== 'number' || !Number.isInteger(o.pid) || o.pid <= 0 || typeof o.host !== 'string') return null;
    return {
      pid: o.pid,
      host: o.host,
      processStartedAt: typeof o.processStartedAt === 'string' ? o.processStartedAt : '',
      procStart: typeof o.procStart === 'string' ? o.procStart : null,
    };
  } catch {
    return null;
  }
}
