import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A connected pair of pseudo-terminals made by socat: what one end writes, the other reads, like
 * the two ends of a null-modem cable. The emulator opens one end; clients open the other.
 *
 * socat runs as a child process. Where util-linux's setpriv exists it is started with a parent-death
 * signal, so if this process is killed outright socat dies too and the client sees its port close
 * instead of a silent line.
 */
export interface PtyPair {
  /** The end the emulator opens (a link in a private temp folder). */
  readonly instrumentEnd: string;
  /** The end clients open: the user's --link path when given, else a link in the temp folder. */
  readonly clientEnd: string;
  /** The real device names, e.g. /dev/pts/3, as socat reported them (instrument end, client end). */
  readonly ptys: readonly [string, string];
  /** socat's process id. */
  readonly pid: number;
  /** Resolves when socat exits, for whatever reason. */
  readonly exited: Promise<void>;
  /** Kills socat and removes the links; safe to call repeatedly. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** Also make a symlink here pointing at the client end (replacing a stale link, never a file). */
  link?: string;
  socatPath?: string;
  /** How long socat may take to report its ptys (ms). */
  startTimeoutMs?: number;
}

const SETPRIV = '/usr/bin/setpriv';

export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const socat = options.socatPath ?? findSocat();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-pty-'));
  const a = path.join(dir, 'instrument');
  const b = path.join(dir, 'client');
  const args = ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`];
  const useSetpriv = process.platform === 'linux' && existsSync(SETPRIV);
  const child = useSetpriv
    ? spawn(SETPRIV, ['--pdeathsig', 'KILL', socat, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(socat, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let userLink: string | null = null;
  let userLinkTarget = '';
  const cleanup = () => {
    if (userLink) removeLinkIfOurs(userLink, userLinkTarget);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ptys = await waitForPtys(child, options.startTimeoutMs ?? 5000);
    if (options.link) {
      userLink = path.resolve(options.link);
      userLinkTarget = ptys[1];
      placeLink(userLink, userLinkTarget);
    }
    let closing: Promise<void> | null = null;
    return {
      instrumentEnd: a,
      clientEnd: userLink ?? b,
      ptys,
      pid: child.pid!,
      exited,
      close() {
        closing ??= (async () => {
          await stopChild(child, exited);
          cleanup();
        })();
        return closing;
      },
    };
  } catch (e) {
    await stopChild(child, exited);
    cleanup();
    throw e;
  }
}

export function findSocat(): string {
  for (const p of ['/usr/bin/socat', '/usr/local/bin/socat', '/opt/homebrew/bin/socat', '/bin/socat']) if (existsSync(p)) return p;
  return 'socat';
}

/** socat -d -d prints "N PTY is /dev/pts/3" for each end, then "starting data transfer loop". */
function waitForPtys(child: ChildProcess, timeoutMs: number): Promise<[string, string]> {
  return new Promise((resolve, reject) => {
    const ptys: string[] = [];
    let stderr = '';
    const timer = setTimeout(() => finish(new Error(`socat did not report its pseudo-terminals within ${timeoutMs} ms: ${stderr.trim()}`)), timeoutMs);
    const onData = (d: Buffer) => {
      stderr += d.toString();
      for (const m of stderr.matchAll(/PTY is (\S+)/g)) if (!ptys.includes(m[1]!)) ptys.push(m[1]!);
      if (ptys.length >= 2 && stderr.includes('starting data transfer loop')) finish(null);
    };
    const onExit = (code: number | null) => finish(new Error(`socat exited (code ${code}) before its pseudo-terminals were ready: ${stderr.trim()}`));
    const onError = (err: Error) =>
      finish(new Error(`could not start socat (${err.message}); install it (apt-get install socat) to use virtual instruments`));
    const finish = (err: Error | null) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep draining stderr so socat never blocks on a full pipe.
      child.stderr?.resume();
      if (err) reject(err);
      else resolve([ptys[0]!, ptys[1]!]);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

function placeLink(link: string, target: string): void {
  let stat;
  try {
    stat = lstatSync(link);
  } catch {
    stat = null;
  }
  if (stat && !stat.isSymbolicLink()) throw new Error(`--link ${link}: a file already exists there (only a stale link would be replaced)`);
  if (stat) unlinkSync(link);
  symlinkSync(target, link);
}

/** Removes the link only while it still points at our pty (another emulator may have replaced it). */
function removeLinkIfOurs(link: string, target: string): void {
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === target) unlinkSync(link);
  } catch {
    // Already gone.
  }
}
