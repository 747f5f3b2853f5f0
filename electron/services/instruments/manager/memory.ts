import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDriverName, type DriverName } from '../../../../shared/instruments/drivers';
import { formatResource, parseResource, type Resource } from '../../../../shared/instruments/resource';
import { serialSettingProblem, type SerialSettings } from '../../../../shared/instruments/serial-settings';
import type { Logger } from '../../logs/logger';
import { errorMessage } from '../errors';
import type { PortInfo } from '../ports';

/** An instrument this workbench connected to: what it was, and how it was reached and driven. */
export interface RememberedInstrument {
  /** The canonical resource string (a GPIB one with its controller). */
  path: string;
  driver: DriverName;
  idn: string | null;
  /** The settings the user changed over the driver's defaults. */
  settings: Partial<SerialSettings>;
  /** ISO time of the last connection. */
  lastConnected: string;
}

const MAX_REMEMBERED = 20;

/**
 * The instruments remembered per data folder (a JSON file beside the database): a LAN instrument's
 * host:port, a GPIB address and its controller, a usbtmc device or a serial port, with the driver
 * and settings it last connected with, so choosing it again brings them back. A file that cannot
 * be read or written costs the memory, never a connection; the reason is logged.
 */
export class InstrumentMemory {
  private entries: RememberedInstrument[];

  constructor(
    private readonly file: string | null,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.entries = file ? load(file, logger) : [];
  }

  list(): RememberedInstrument[] {
    return this.entries.map((e) => ({ ...e, settings: { ...e.settings } }));
  }

  /** The driver and settings an address last connected with, or null. */
  recall(address: string): { driver: DriverName; settings: Partial<SerialSettings> } | null {
    const key = canonical(address);
    const hit = key === null ? undefined : this.entries.find((e) => e.path === key);
    return hit ? { driver: hit.driver, settings: { ...hit.settings } } : null;
  }

  remember(resource: Resource, driver: DriverName, idn: string | null, settings: Partial<SerialSettings>): void {
    const entry: RememberedInstrument = { path: formatResource(resource), driver, idn, settings: { ...settings }, lastConnected: this.now().toISOString() };
    this.entries = [entry, ...this.entries.filter((e) => e.path !== entry.path)].slice(0, MAX_REMEMBERED);
    this.save();
  }

  forget(address: string): boolean {
    const key = canonical(address) ?? address;
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.path !== key);
    if (this.entries.length === before) return false;
    this.save();
    return true;
  }

  /**
   * The list rows of remembered instruments: LAN and GPIB ones always (they cannot be seen from
   * here), serial and usbtmc ones only while their device exists; a row the system lists already
   * is marked remembered instead of repeated.
   */
  rows(listed: PortInfo[]): PortInfo[] {
    const out: PortInfo[] = [];
    for (const e of this.entries) {
      const parsed = parseResource(e.path);
      if (!parsed.ok) continue;
      const r = parsed.resource;
      const remembered = { driver: e.driver, idn: e.idn, lastConnected: e.lastConnected };
      const same = listed.find((p) => canonical(p.path) === e.path);
      if (same) {
        same.remembered = remembered;
        continue;
      }
      if ((r.kind === 'serial' || r.kind === 'usbtmc') && !exists(r.path)) continue;
      out.push({ path: e.path, kind: r.kind, friendlyName: nameOf(e), source: 'remembered', remembered });
    }
    return out;
  }

  private save(): void {
    if (!this.file) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.partial`;
      writeFileSync(tmp, `${JSON.stringify({ format: 'memristor-workbench/instruments', version: 1, instruments: this.entries }, null, 2)}\n`);
      renameSync(tmp, this.file);
    } catch (e) {
      this.logger.warn(`the remembered instruments could not be saved to ${this.file}: ${errorMessage(e)}`);
    }
  }
}

function canonical(address: string): string | null {
  const parsed = parseResource(address);
  return parsed.ok ? formatResource(parsed.resource) : null;
}

function exists(p: string): boolean {
  try {
    return existsSync(p);
  } catch {
    return false;
  }
}

/** 'KEITHLEY INSTRUMENTS MODEL 2450' from its *IDN?, else the driver's name. */
function nameOf(e: RememberedInstrument): string {
  const fields = (e.idn ?? '').split(',').map((f) => f.trim());
  return fields.length >= 2 && fields[0] && fields[1] ? `${fields[0]} ${fields[1]}` : e.driver;
}

function load(file: string, logger: Logger): RememberedInstrument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') logger.warn(`the remembered instruments could not be read from ${file}: ${errorMessage(e)}`);
    return [];
  }
  try {
    const doc = JSON.parse(text) as { instruments?: unknown };
    if (!Array.isArray(doc.instruments)) throw new Error('no instruments list');
    return doc.instruments.flatMap((x: unknown) => {
      const e = x as Partial<RememberedInstrument>;
      if (typeof e.path !== 'string' || !parseResource(e.path).ok || !isDriverName(e.driver) || typeof e.lastConnected !== 'string') return [];
      const settings = Object.fromEntries(
        Object.entries(typeof e.settings === 'object' && e.settings !== null ? e.settings : {}).filter(([k, v]) => serialSettingProblem(k as keyof SerialSettings, v) === null),
      ) as Partial<SerialSettings>;
      return [{ path: e.path, driver: e.driver, idn: typeof e.idn === 'string' ? e.idn : null, settings, lastConnected: e.lastConnected }];
    });
  } catch (e) {
    logger.warn(`the remembered instruments in ${file} are not readable (${errorMessage(e)}); starting without them`);
    return [];
  }
}
