import { accessSync, constants, existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import type { ResourceKind } from '../../../shared/instruments/resource';
import { errorMessage } from './errors';
import type { DriverName } from './instrument';

/**
 * The list of instruments to connect to: the serial ports the system enumerates (friendly name,
 * VID:PID, serial number), a scan of /dev when enumeration fails or says nothing useful (Linux
 * without udev), the usbtmc devices in /dev, and rows the caller adds (virtual instruments,
 * remembered ones). Any other path or resource string can still be typed by hand.
 */
export interface PortInfo {
  /** What to open: a port path or a resource string. */
  path: string;
  kind: ResourceKind;
  /** A name for people: manufacturer, else the pnpId, else the device name. */
  friendlyName: string;
  source: 'enumerated' | 'scanned' | 'virtual' | 'typed' | 'usbtmc' | 'remembered';
  manufacturer?: string;
  pnpId?: string;
  vendorId?: string;
  productId?: string;
  /** 'vvvv:pppp', lower-case hex, when both are known. */
  vidPid?: string;
  serialNumber?: string;
  /** Whether this process may open it (false usually means: add the user to the dialout group). */
  accessible?: boolean;
  /** For virtual instruments: 'virtual:<driver>', the driver and the underlying pty (null on TCP). */
  virtual?: { id: string; driver: DriverName; pty: string | null };
  /** For remembered instruments: the driver and identity they last connected with. */
  remembered?: { driver: DriverName; idn: string | null; lastConnected: string };
}

export interface PortListing {
  ports: PortInfo[];
  /** Set when the system enumeration failed or was unusable and the list comes from a scan. */
  warning?: string;
}

/** The raw enumeration, as SerialPort.list() returns it. */
export interface RawPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

export interface ListOptions {
  /** The system enumeration; SerialPort.list by default (replaceable in tests). */
  enumerate?: () => Promise<RawPort[]>;
  /** The folder to scan (default /dev). */
  devDir?: string;
  /** Folder with the kernel's view of ttys (default /sys/class/tty), to skip ttyS entries with no UART. */
  sysTtyDir?: string;
  /** Folder with the kernel's view of usbtmc devices (default /sys/class/usbmisc), for their names. */
  sysUsbmiscDir?: string;
  /** Give up on enumeration after this long (ms): a hung udevadm must not hang the page. */
  enumerateTimeoutMs?: number;
  /** Rows listed after the system's (the virtual instruments the caller started). */
  virtual?: () => PortInfo[];
}

const SCAN_PATTERN = /^tty(USB|ACM|S)\d+$/;

export async function listPorts(options: ListOptions = {}): Promise<PortListing> {
  const enumerate = options.enumerate ?? (() => SerialPort.list());
  let enumerated: RawPort[] = [];
  let failure: string | null = null;
  try {
    enumerated = await withTimeout(enumerate(), options.enumerateTimeoutMs ?? 5000);
  } catch (e) {
    failure = enumerationFailure(e);
  }
  const ports = enumerated.map(fromEnumeration);
  let warning: string | undefined;
  const useful = ports.some((p) => p.manufacturer || p.pnpId || p.vendorId || p.serialNumber);
  if (failure !== null || !useful) {
    const scanned = scanDevices(options.devDir ?? '/dev', options.sysTtyDir ?? '/sys/class/tty');
    const known = new Set(ports.map((p) => canonical(p.path)));
    for (const p of scanned) if (!known.has(canonical(p.path))) ports.push(p);
    warning =
      failure !== null
        ? `${failure}, so the serial devices found in ${options.devDir ?? '/dev'} are listed without names or serial numbers (a path can also be typed)`
        : ports.length > 0
          ? 'the system gave no details (names, VID:PID, serial numbers) for these ports: the udev database may be missing'
          : undefined;
  }
  ports.push(...scanUsbtmc(options.devDir ?? '/dev', options.sysUsbmiscDir ?? '/sys/class/usbmisc'));
  if (options.virtual) ports.push(...options.virtual());
  ports.sort(comparePorts);
  return warning ? { ports, warning } : { ports };
}

/** A path typed by hand: what it is, or why it will not open. Never throws. */
export function describeTypedPath(p: string): { ok: true; port: PortInfo } | { ok: false; message: string } {
  if (p.trim() === '') return { ok: false, message: 'type a port path, e.g. /dev/ttyUSB0 or /dev/pts/3' };
  let stat;
  try {
    stat = statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? `${p} does not exist` : `${p}: ${errorMessage(e)}` };
  }
  if (!stat.isCharacterDevice()) return { ok: false, message: `${p} is not a serial device (not a character device)` };
  const accessible = canOpen(p);
  return {
    ok: true,
    port: { path: p, kind: 'serial', friendlyName: path.basename(safeRealpath(p)), source: 'typed', accessible },
  };
}

/** The ttyUSB*, ttyACM* and ttyS* devices that exist (ttyS only with a UART behind it). */
export function scanDevices(devDir = '/dev', sysTtyDir = '/sys/class/tty'): PortInfo[] {
  let names: string[];
  try {
    names = readdirSync(devDir);
  } catch {
    return [];
  }
  const out: PortInfo[] = [];
  for (const name of names) {
    const m = SCAN_PATTERN.exec(name);
    if (!m) continue;
    // Linux creates ttyS0..31 whether or not a UART exists; the kernel's type 0 means none.
    if (m[1] === 'S' && !hasUart(path.join(sysTtyDir, name, 'type'))) continue;
    const full = path.join(devDir, name);
    out.push({ path: full, kind: 'serial', friendlyName: name, source: 'scanned', accessible: canOpen(full) });
  }
  return out;
}

function fromEnumeration(raw: RawPort): PortInfo {
  const p: PortInfo = { path: raw.path, kind: 'serial', friendlyName: raw.manufacturer || raw.pnpId || path.basename(raw.path), source: 'enumerated' };
  if (raw.manufacturer) p.manufacturer = raw.manufacturer;
  if (raw.pnpId) p.pnpId = raw.pnpId;
  if (raw.vendorId) p.vendorId = raw.vendorId.toLowerCase();
  if (raw.productId) p.productId = raw.productId.toLowerCase();
  if (p.vendorId && p.productId) p.vidPid = `${p.vendorId}:${p.productId}`;
  if (raw.serialNumber) p.serialNumber = raw.serialNumber;
  p.accessible = canOpen(raw.path);
  return p;
}

/**
 * The usbtmc devices in /dev (the kernel's usbtmc driver makes one per USB-TMC instrument), named
 * from sysfs where it says (manufacturer, product, serial). Listed as USB::/dev/usbtmcN; one this
 * user may not open shows as inaccessible (a udev rule is missing).
 */
export function scanUsbtmc(devDir = '/dev', sysUsbmiscDir = '/sys/class/usbmisc'): PortInfo[] {
  let names: string[];
  try {
    names = readdirSync(devDir).filter((n) => /^usbtmc\d+$/.test(n));
  } catch {
    return [];
  }
  return names.map((name) => {
    const full = path.join(devDir, name);
    const usb = path.join(sysUsbmiscDir, name, 'device', '..');
    const read = (file: string) => {
      try {
        return readFileSync(path.join(usb, file), 'utf8').trim() || undefined;
      } catch {
        return undefined;
      }
    };
    const manufacturer = read('manufacturer');
    const product = read('product');
    const vendorId = read('idVendor');
    const productId = read('idProduct');
    const serialNumber = read('serial');
    const p: PortInfo = {
      path: `USB::${full}`,
      kind: 'usbtmc',
      friendlyName: [manufacturer, product].filter(Boolean).join(' ') || `USB-TMC instrument (${name})`,
      source: 'usbtmc',
      accessible: canOpen(full),
    };
    if (manufacturer) p.manufacturer = manufacturer;
    if (vendorId && productId) p.vidPid = `${vendorId.toLowerCase()}:${productId.toLowerCase()}`;
    if (serialNumber) p.serialNumber = serialNumber;
    return p;
  });
}

/** What went wrong listing serial ports, in a sentence (no raw errno text). */
function enumerationFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { path?: string; spawnargs?: unknown };
  const message = errorMessage(e);
  if (/udevadm/.test(message) && (err.code === 'ENOENT' || /ENOENT/.test(message))) {
    return "this system has no udevadm (the udev tool the serial-port listing asks for names, VID:PID and serial numbers)";
  }
  if (/^no answer within/.test(message)) return `the system's serial-port listing gave ${message}`;
  return `the system's serial-port listing failed (${message.replace(/^Error:\s*/, '').replace(/\b[A-Z]{2,}[A-Z0-9]*$/, '').trim() || 'no reason given'})`;
}

function hasUart(typeFile: string): boolean {
  if (!existsSync(typeFile)) return true; // no sysfs (not Linux, a container): keep it
  try {
    return readFileSync(typeFile, 'utf8').trim() !== '0';
  } catch {
    return true;
  }
}

function canOpen(p: string): boolean {
  try {
    accessSync(p, constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function safeRealpath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function canonical(p: string): string {
  return safeRealpath(p);
}

const SOURCE_ORDER: Record<PortInfo['source'], number> = { enumerated: 0, scanned: 1, usbtmc: 2, typed: 3, remembered: 4, virtual: 5 };

function comparePorts(a: PortInfo, b: PortInfo): number {
  return SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || a.path.localeCompare(b.path, undefined, { numeric: true });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** Identity for remembering a device across paths: VID:PID and serial number (reference/instruments.md). */
export function portIdentity(p: PortInfo): string | null {
  if (!p.vidPid) return null;
  return p.serialNumber ? `${p.vidPid}:${p.serialNumber}` : p.vidPid;
}
