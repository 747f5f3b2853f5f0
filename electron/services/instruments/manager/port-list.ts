import type { PortList } from '../../../../shared/contract/areas/instruments';
import { formatResource, type Resource } from '../../../../shared/instruments/resource';
import type { Logger } from '../../logs/logger';
import { PortPoller } from '../port-poller';
import { listPorts, type PortInfo, type PortListing } from '../ports';

/** What a device is remembered by: VID/PID/serial where a serial port says, else its address. */
export interface PortIdentity {
  /** The canonical resource string (a serial port's path). */
  path: string;
  vidPid: string | null;
  serialNumber: string | null;
}

export interface PortListOptions {
  intervalMs: number;
  /** The system listing (replaceable in tests); the other rows are added by this class. */
  list?: (() => Promise<PortListing>) | undefined;
  /** The rows of virtual instruments. */
  virtual: () => PortInfo[];
  /** The rows of remembered instruments, given the listed ones (which it may mark remembered). */
  remembered: (listed: PortInfo[]) => PortInfo[];
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

  identityOf(resource: Resource): PortIdentity {
    const path = formatResource(resource);
    const port = resource.kind === 'serial' ? this.listing.ports.find((p) => p.kind === 'serial' && p.path === resource.path) : undefined;
    return { path, vidPid: port?.vidPid ?? null, serialNumber: port?.serialNumber ?? null };
  }

  stop(): void {
    this.stopped = true;
    this.poller?.stop();
  }

  private async list(): Promise<PortListing> {
    const listing = this.options.list ? await this.options.list() : await listPorts();
    const ports = listing.ports.map((p) => ({ ...p }));
    ports.push(...this.options.remembered(ports), ...this.options.virtual());
    return { ...listing, ports };
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
    kind: p.kind,
    friendlyName: p.friendlyName,
    source: p.source,
    ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
    ...(p.vidPid ? { vidPid: p.vidPid } : {}),
    ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
    ...(p.accessible !== undefined ? { accessible: p.accessible } : {}),
    ...(p.virtual ? { virtual: { ...p.virtual } } : {}),
    ...(p.remembered ? { remembered: { ...p.remembered } } : {}),
  };
}
