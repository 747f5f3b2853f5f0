import type { VirtualInstrumentInfo } from '../../../../shared/contract/areas/instruments';
import { parseResource } from '../../../../shared/instruments/resource';
import type { Logger } from '../../logs/logger';
import { startEmulator, type Emulator } from '../emulator/index';
import type { DriverName } from '../instrument';
import type { PortInfo } from '../ports';
import { ManagerError } from './manager-error';

interface Entry {
  emulator: Emulator;
  info: VirtualInstrumentInfo;
}

export interface VirtualStartOptions {
  driver: DriverName;
  preset?: string | undefined;
  seed?: number | string | undefined;
  /** serial (default): a pseudo-terminal; tcp: a loopback port; gpib: behind an emulated Prologix GPIB-USB on a pseudo-terminal. */
  transport?: VirtualInstrumentInfo['transport'] | undefined;
  gpibAddress?: number | undefined;
}

/**
 * The virtual instruments (emulators) one manager started, listed next to the real ports —
 * pseudo-terminals and loopback ports never appear in the system's own enumeration — and stopped
 * when it closes. Ids are 'virtual:<driver>', then 'virtual:<driver>-2' and so on.
 */
export class VirtualInstruments {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly logger: Logger,
    /** Called after one started or stopped (the port list is polled again). */
    private readonly changed: () => Promise<void>,
  ) {}

  async start(options: VirtualStartOptions): Promise<VirtualInstrumentInfo> {
    if (this.closed) throw new ManagerError('conflict', 'the workbench is closing');
    const preset = options.preset ?? 'intrinsic-gradient';
    const seed = options.seed ?? 1;
    const transport = options.transport ?? 'serial';
    const emulator = await startEmulator({
      driver: options.driver,
      preset,
      seed,
      time: 'wall',
      ...(transport === 'tcp' ? { listen: { host: '127.0.0.1', port: 0 } } : {}),
      ...(transport === 'gpib' ? { prologix: { address: options.gpibAddress ?? 24 } } : {}),
    });
    if (this.closed) {
      await emulator.stop();
      throw new ManagerError('conflict', 'the workbench is closing');
    }
    const id = this.freeId(options.driver);
    const info: VirtualInstrumentInfo = { id, driver: options.driver, transport, path: emulator.resource, idn: emulator.idn, preset, seed };
    this.entries.set(id, { emulator, info });
    // socat gone (killed from outside): no longer listed.
    void emulator.stopped.then(() => {
      if (this.entries.get(id)?.emulator === emulator) {
        this.entries.delete(id);
        void this.changed();
      }
    });
    this.logger.info(`virtual instrument ${id} started on ${emulator.resource}`);
    await this.changed();
    return info;
  }

  async stop(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) throw new ManagerError('not_found', `there is no virtual instrument ${id} started here`);
    this.entries.delete(id);
    await entry.emulator.stop();
    this.logger.info(`virtual instrument ${id} stopped`);
    await this.changed();
  }

  list(): VirtualInstrumentInfo[] {
    return [...this.entries.values()].map((e) => e.info);
  }

  /** By id, with or without the 'virtual:' prefix. */
  find(id: string): VirtualInstrumentInfo | undefined {
    return this.entries.get(id.startsWith('virtual:') ? id : `virtual:${id}`)?.info;
  }

  /** The running emulator behind an id (in-process callers: tests, the bench). */
  emulator(id: string): Emulator | undefined {
    return this.entries.get(id)?.emulator;
  }

  hasPath(path: string): boolean {
    return [...this.entries.values()].some((e) => e.info.path === path);
  }

  /** The port-list rows of the running ones. */
  ports(): PortInfo[] {
    return [...this.entries.values()].map(({ emulator, info }) => ({
      path: info.path,
      kind: kindOf(info.path),
      friendlyName: `Virtual ${info.driver} (emulator)`,
      source: 'virtual' as const,
      accessible: true,
      virtual: { id: info.id, driver: info.driver, pty: emulator.ptys?.[1] ?? null },
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const { emulator } of all) await emulator.stop().catch(() => undefined);
  }

  private freeId(driver: DriverName): string {
    let id = `virtual:${driver}`;
    for (let n = 2; this.entries.has(id); n++) id = `virtual:${driver}-${n}`;
    return id;
  }
}

function kindOf(path: string): PortInfo['kind'] {
  const parsed = parseResource(path);
  return parsed.ok ? parsed.resource.kind : 'serial';
}
