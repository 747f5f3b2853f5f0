import { existsSync } from 'node:fs';
import type { Resource } from '../../../../shared/instruments/resource';
import type { ConnectTarget } from './connection-config';
import type { Connection } from './connection';
import { describeIdentity, type PortIdentity, type PortListView } from './port-list';

export interface ReconnectOptions {
  connection: Connection;
  ports: PortListView;
  /** Settings' autoReconnect, read whenever a decision is made. */
  enabled: () => boolean;
  /** Whether a device that is not listed exists anyway (a virtual instrument, a typed pty). */
  exists: (resource: Resource) => boolean;
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
  private target: ConnectTarget | null = null;
  private closed = false;

  constructor(private readonly options: ReconnectOptions) {}

  get pending(): boolean {
    return this.timer !== null;
  }

  /** A connection was made by the user: remember what it opened and its identity (kept across reconnects). */
  remember(target: ConnectTarget, identity: PortIdentity): void {
    this.target = target;
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
    const target = this.target;
    if (this.closed || !this.options.enabled() || id === null || target === null || connection.connected !== null || connection.connecting) return;
    const listing = await ports.refresh();
    // A serial device known by VID/PID/serial may come back on another path; anything else on the same address.
    let resource: Resource | null = null;
    if (target.resource.kind === 'serial' && id.vidPid !== null && id.serialNumber !== null) {
      const match = listing.ports.find((p) => p.kind === 'serial' && p.vidPid === id.vidPid && p.serialNumber === id.serialNumber);
      if (match) resource = { kind: 'serial', path: match.path };
    } else if (listing.ports.some((p) => p.path === id.path) || this.options.exists(target.resource)) {
      resource = target.resource;
    }
    if (resource === null) {
      connection.set({ ...connection.state(), state: 'error', message: `waiting for the same device (${describeIdentity(id)}) to come back…` });
      this.schedule();
      return;
    }
    const state = await connection.open({ ...target, resource }, `reconnecting (attempt ${this.attempt})`);
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
