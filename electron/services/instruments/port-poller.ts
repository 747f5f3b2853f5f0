import { errorMessage } from './errors';
import { listPorts, type PortInfo, type PortListing } from './ports';

/**
 * Plug and unplug detection. There are no hot-plug events for serial ports we can rely on, so the
 * list is polled and diffed. Polls never overlap: the next starts an interval after the last ended.
 */
export interface PortChange {
  added: PortInfo[];
  removed: PortInfo[];
  /** The whole list after the change. */
  ports: PortInfo[];
  warning?: string;
}

export interface PortPollerOptions {
  intervalMs?: number;
  list?: () => Promise<PortListing>;
  onChange(change: PortChange): void;
  onError?(message: string): void;
}

/** A device is the same while its path and identity are: a different adapter on the same path is a change. */
const key = (p: PortInfo) => `${p.path}|${p.vidPid ?? ''}|${p.serialNumber ?? ''}|${p.virtual?.id ?? ''}|${p.remembered?.lastConnected ?? ''}`;

export class PortPoller {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private known = new Map<string, PortInfo>();
  private readonly intervalMs: number;
  private readonly list: () => Promise<PortListing>;

  constructor(private readonly options: PortPollerOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.list = options.list ?? (() => listPorts());
  }

  /** Takes the first listing (reported as all added) and starts polling. */
  async start(): Promise<PortListing> {
    if (this.running) throw new Error('the port poller is already running');
    this.running = true;
    const listing = await this.poll();
    this.schedule();
    return listing;
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get ports(): PortInfo[] {
    return [...this.known.values()];
  }

  /** Lists now and reports any difference (also usable without start(), e.g. a Refresh button). */
  async poll(): Promise<PortListing> {
    let listing: PortListing;
    try {
      listing = await this.list();
    } catch (e) {
      this.options.onError?.(`listing ports failed: ${errorMessage(e)}`);
      return { ports: this.ports };
    }
    const next = new Map(listing.ports.map((p) => [key(p), p]));
    const added = [...next].filter(([k]) => !this.known.has(k)).map(([, p]) => p);
    const removed = [...this.known].filter(([k]) => !next.has(k)).map(([, p]) => p);
    this.known = next;
    if (added.length > 0 || removed.length > 0) {
      const change: PortChange = { added, removed, ports: listing.ports };
      if (listing.warning) change.warning = listing.warning;
      this.options.onChange(change);
    }
    return listing;
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      void this.poll().finally(() => this.schedule());
    }, this.intervalMs);
    this.timer.unref();
  }
}
