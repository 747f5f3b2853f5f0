import type { PortList } from '../../../../shared/contract/areas/instruments';
import type { Logger } from '../../logs/logger';
import { PortPoller } from '../port-poller';
import { listPorts, type PortInfo, type PortListing } from '../ports';

/** What a device is remembered by: VID/PID/serial where the port says, else its path (pseudo-terminals). */
export interface PortIdentity {
  path: string;
  vidPid: string | null;
  serialNumber: string | null;
}

export interface PortListOptions {
  intervalMs: number;
  /** The system listing (replaceable in tests); the virtual rows are added by this class. */
  list?: (() => Promise<PortListing>) | undefined;
  virtual: () => PortInfo[];
  emit?: ((list: PortList) => void) | undefined;
  logger: Logger;
}

/** The port list one manager shows: polled (from the first request on) and announced when it changes. */
export class PortListView {
  private poller: PortPoller | null = null;
  private listing: PortListing = { ports: [] };
  private stopped = false;

  constructor(private readonly options: PortListOptions) {}

  async get(refresh = false): Promise<PortList> {
    if (this.poller === null && !this.stopped) {
      this.poller = new PortPoller({
        intervalMs: this.options.intervalMs,
        list: () => this.list(),
        onChange: (change) => {
          this.listing = change.warning ? { ports: change.ports, warning: change.warning } : { ports: change.ports };
          this.options.emit?.(this.view());
        },
        onError: (message) => this.options.logger.warn(message),
      });
      this.listing = await this.poller.start();
    } else if (refresh && this.poller) {
      this.listing = await this.poller.poll();
    }
    return this.view();
  }

  /** Lists again now (after a virtual instrument started or stopped, or before a reconnect). */
  async refresh(): Promise<PortListing> {
    try {
      this.listing = this.poller ? await this.poller.poll() : await this.list();
    } catch {
      // keep the last listing
    }
    return this.listing;
  }

  identityOf(path: string): PortIdentity {
    const port = this.listing.ports.find((p) => p.path === path);
    return { path, vidPid: port?.vidPid ?? null, serialNumber: port?.serialNumber ?? null };
  }

  stop(): void {
    this.stopped = true;
    this.poller?.stop();
  }

  private async list(): Promise<PortListing> {
    if (this.options.list) {
      const listing = await this.options.list();
      return { ...listing, ports: [...listing.ports, ...this.options.virtual()] };
    }
    return listPorts({ virtual: this.options.virtual });
  }

  private view(): PortList {
    return { ports: this.listing.ports.map(toContractPort), warning: this.listing.warning ?? null };
  }
}

export function describeIdentity(id: PortIdentity): string {
  return id.vidPid !== null && id.serialNumber !== null ? `${id.vidPid}, serial ${id.serialNumber}` : id.path;
}

function toContractPort(p: PortInfo): PortList['ports'][number] {
  return {
    path: p.path,
    friendlyName: p.friendlyName,
    source: p.source,
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    ...(p.vidPid ? { vidPid: p.vidPid } : {}),
    ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
    ...(p.accessible !== undefined ? { accessible: p.accessible } : {}),
    ...(p.virtual ? { virtual: { ...p.virtual } } : {}),
  };
}
