import { existsSync } from 'node:fs';
import type { Connection, ConnectionTarget } from './connection';
import { describeIdentity, type PortIdentity, type PortListView } from './port-list';

export interface ReconnectOptions {
  connection: Connection;
  ports: PortListView;
  /** Settings' autoReconnect, read whenever a decision is made. */
  enabled: () => boolean;
  /** What to open once the same device is back on `path`. */
  target: (path: string) => ConnectionTarget;
  /** Whether a path that is not listed exists anyway (a virtual instrument, a typed pty). */
  exists: (path: string) => boolean;
  /** First delay and ceiling of the backoff (ms). */
  delayMs: number;
  maxDelayMs: number;
}

/**
 * Opt-in auto-reconnect after a lost connection: only to the same identity (VID/PID/serial where
 * the port has them — the path may change — else the same path), with exponential backoff, and
 * never after the user disconnected or turned it off.
 */
export class Reconnector {
  private timer: NodeJS.Timeout | null = null;
  private attempt = 0;
  private identity: PortIdentity | null = null;
  private closed = false;

  constructor(private readonly options: ReconnectOptions) {}

  get pending(): boolean {
    return this.timer !== null;
  }

  /** A connection was made by the user: remember its identity (kept across reconnects). */
  remember(identity: PortIdentity): void {
    this.identity = identity;
    this.attempt = 0;
  }

  connected(): void {
    this.attempt = 0;
  }

  schedule(): void {
    const { options } = this;
    if (this.closed || !options.enabled() || this.identity === null) return;
    const delay = Math.min(options.maxDelayMs, options.delayMs * 2 ** Math.min(this.attempt, 10));
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tryNow();
    }, delay);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
  }

  close(): void {
    this.closed = true;
    this.cancel();
  }

  private async tryNow(): Promise<void> {
    const { connection, ports } = this.options;
    const id = this.identity;
    if (this.closed || !this.options.enabled() || id === null || connection.connected !== null || connection.connecting) return;
    const listing = await ports.refresh();
    const match =
      id.vidPid !== null && id.serialNumber !== null
        ? listing.ports.find((p) => p.vidPid === id.vidPid && p.serialNumber === id.serialNumber)
        : (listing.ports.find((p) => p.path === id.path) ?? (this.options.exists(id.path) ? { path: id.path } : undefined));
    if (!match) {
      connection.set({ ...connection.state(), state: 'error', message: `waiting for the same device (${describeIdentity(id)}) to come back…` });
      this.schedule();
      return;
    }
    const state = await connection.open(this.options.target(match.path), `reconnecting (attempt ${this.attempt})`);
    if (state.state === 'connected') this.connected();
    else this.schedule();
  }
}

export function pathExists(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}
