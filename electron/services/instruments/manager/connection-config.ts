import type { ConnectionConfig, SerialSettingsInput } from '../../../../shared/contract/areas/instruments';
import { DRIVERS } from '../drivers/index';
import { errorMessage } from '../errors';
import type { DriverName } from '../instrument';
import { resolveSettings, type SerialSettings } from '../settings';
import { ManagerError } from './manager-error';

export interface ConfigPatch {
  path?: string | null | undefined;
  driver?: DriverName | undefined;
  settings?: SerialSettingsInput | undefined;
}

/**
 * What Connect will use: the port, the driver and the serial settings the user changed over the
 * driver's factory defaults. Editable only while disconnected (the caller says when it is locked).
 */
export class ConnectionSettings {
  private path: string | null = null;
  private driverName: DriverName = 'keithley2400';
  private override: Partial<SerialSettings> = {};

  get port(): string | null {
    return this.path;
  }

  get driver(): DriverName {
    return this.driverName;
  }

  /** The user's changes over the driver's defaults. */
  get serialOverride(): Partial<SerialSettings> {
    return { ...this.override };
  }

  settings(): SerialSettings {
    return resolveSettings(DRIVERS[this.driverName].defaultSettings, this.override);
  }

  view(autoReconnect: boolean): ConnectionConfig {
    return { path: this.path, driver: this.driverName, settings: this.settings(), autoReconnect };
  }

  apply(patch: ConfigPatch, locked: boolean): void {
    const changes = patch.path !== undefined || patch.driver !== undefined || patch.settings !== undefined;
    if (changes && locked) throw new ManagerError('conflict', 'the connection settings can only be changed while disconnected: disconnect first');
    let driver = this.driverName;
    let override = this.override;
    if (patch.driver !== undefined && patch.driver !== this.driverName) {
      driver = patch.driver;
      override = {}; // another instrument: its own factory defaults
    }
    if (patch.settings !== undefined) {
      const clean = Object.fromEntries(Object.entries(patch.settings).filter(([, v]) => v !== undefined)) as Partial<SerialSettings>;
      override = { ...override, ...clean };
    }
    try {
      resolveSettings(DRIVERS[driver].defaultSettings, override);
    } catch (e) {
      throw new ManagerError('invalid', errorMessage(e));
    }
    this.driverName = driver;
    this.override = override;
    if (patch.path !== undefined) this.path = patch.path === null || patch.path.trim() === '' ? null : patch.path.trim();
  }
}
