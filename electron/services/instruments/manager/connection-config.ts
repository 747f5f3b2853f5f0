import type { ConnectionConfig, DriverChoice, SerialSettingsInput } from '../../../../shared/contract/areas/instruments';
import { formatController, parseController, parseResource, withController, type GpibController, type Resource } from '../../../../shared/instruments/resource';
import { settingsFor } from '../connect';
import { errorMessage } from '../errors';
import type { DriverName } from '../instrument';
import type { SerialSettings } from '../settings';
import { ManagerError } from './manager-error';
import type { InstrumentMemory } from './memory';

export interface ConfigPatch {
  path?: string | null | undefined;
  driver?: DriverChoice | undefined;
  gpibController?: string | null | undefined;
  settings?: SerialSettingsInput | undefined;
}

/** What to open: the resource (a GPIB one with its controller), the driver or null for auto, the user's settings. */
export interface ConnectTarget {
  resource: Resource;
  driver: DriverName | null;
  serial: Partial<SerialSettings>;
}

/**
 * What Connect will use: the address (a port path or a resource string), the driver ('auto':
 * chosen by `*IDN?`), the Prologix controller GPIB addresses go through, and the settings the user
 * changed over the driver's defaults. Editable only while disconnected (the caller says when it is
 * locked). Choosing a remembered instrument's address brings back its driver and settings.
 */
export class ConnectionSettings {
  private path: string | null = null;
  private resource: Resource | null = null;
  private driverChoice: DriverChoice = 'auto';
  private controller: GpibController | null = null;
  private override: Partial<SerialSettings> = {};

  constructor(private readonly memory: InstrumentMemory) {}

  get address(): string | null {
    return this.path;
  }

  get driver(): DriverName | null {
    return this.driverChoice === 'auto' ? null : this.driverChoice;
  }

  /** What Connect opens, or null when no address is set. */
  target(): ConnectTarget | null {
    if (this.resource === null) return null;
    return { resource: withController(this.resource, this.controller), driver: this.driver, serial: { ...this.override } };
  }

  view(autoReconnect: boolean): ConnectionConfig {
    return {
      path: this.path,
      kind: this.resource?.kind ?? null,
      driver: this.driverChoice,
      gpibController: this.controller ? formatController(this.controller) : null,
      settings: this.settings(),
      autoReconnect,
    };
  }

  apply(patch: ConfigPatch, locked: boolean): void {
    const changes = patch.path !== undefined || patch.driver !== undefined || patch.settings !== undefined || patch.gpibController !== undefined;
    if (changes && locked) throw new ManagerError('conflict', 'the connection settings can only be changed while disconnected: disconnect first');
    let path = this.path;
    let resource = this.resource;
    if (patch.path !== undefined) {
      const text = patch.path === null ? '' : patch.path.trim();
      if (text === '') {
        path = null;
        resource = null;
      } else {
        const parsed = parseResource(text);
        if (!parsed.ok) throw new ManagerError('invalid', parsed.message);
        path = text;
        resource = parsed.resource;
      }
    }
    let controller = this.controller;
    if (patch.gpibController !== undefined) {
      if (patch.gpibController === null || patch.gpibController.trim() === '') controller = null;
      else {
        const parsed = parseController(patch.gpibController);
        if (!parsed.ok) throw new ManagerError('invalid', parsed.message);
        controller = parsed.controller;
      }
    }
    let driver = this.driverChoice;
    let override = this.override;
    // Another address with nothing else said: what it last connected with, when it is remembered.
    const recalled = patch.path !== undefined && patch.driver === undefined && patch.settings === undefined && path !== null ? this.memory.recall(path) : null;
    if (recalled) {
      driver = recalled.driver;
      override = { ...recalled.settings };
    }
    if (patch.driver !== undefined && patch.driver !== this.driverChoice) {
      driver = patch.driver;
      override = {}; // another instrument: its own factory defaults
    }
    if (patch.settings !== undefined) {
      const clean = Object.fromEntries(Object.entries(patch.settings).filter(([, v]) => v !== undefined)) as Partial<SerialSettings>;
      override = { ...override, ...clean };
    }
    try {
      settingsFor(driver === 'auto' ? null : driver, resource ?? { kind: 'serial', path: '/' }, override);
    } catch (e) {
      throw new ManagerError('invalid', errorMessage(e));
    }
    this.path = path;
    this.resource = resource;
    this.controller = controller;
    this.driverChoice = driver;
    this.override = override;
  }

  private settings(): SerialSettings {
    return settingsFor(this.driver, this.resource ?? { kind: 'serial', path: '/' }, this.override);
  }
}
