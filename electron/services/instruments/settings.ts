/**
 * Serial-line settings. Writes end with the configured terminator; input lines may end with CR,
 * LF or CRLF whatever this says, because instruments differ and users rarely know which.
 */
export type LineTerminator = 'CR' | 'LF' | 'CRLF';
export type Parity = 'none' | 'even' | 'odd';

export interface SerialSettings {
  baudRate: number;
  dataBits: 7 | 8;
  parity: Parity;
  stopBits: 1 | 2;
  /** Appended to every command written. */
  writeTerminator: LineTerminator;
  /** How long a command waits for its reply before it fails (ms). Long operations add their own duration. */
  timeoutMs: number;
  /** How long the identification reply may take (ms). */
  identifyTimeoutMs: number;
  /** Wait after opening before the first byte (ms): boards that reset when the port opens need ~2000. */
  openDelayMs: number;
}

export const TERMINATOR_BYTES: Readonly<Record<LineTerminator, string>> = { CR: '\r', LF: '\n', CRLF: '\r\n' };

export const DEFAULT_SERIAL_SETTINGS: Readonly<SerialSettings> = Object.freeze({
  baudRate: 9600,
  dataBits: 8,
  parity: 'none',
  stopBits: 1,
  writeTerminator: 'LF',
  timeoutMs: 2000,
  identifyTimeoutMs: 2000,
  openDelayMs: 0,
});

const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

export function resolveSettings(base: Readonly<SerialSettings>, given: Partial<SerialSettings> = {}): SerialSettings {
  const s: SerialSettings = { ...base };
  for (const [key, value] of Object.entries(given) as [keyof SerialSettings, unknown][]) {
    if (value !== undefined) (s as unknown as Record<string, unknown>)[key] = value;
  }
  if (!BAUD_RATES.includes(s.baudRate)) throw new RangeError(`baud rate must be one of ${BAUD_RATES.join(', ')} (got ${s.baudRate})`);
  if (s.dataBits !== 7 && s.dataBits !== 8) throw new RangeError(`data bits must be 7 or 8 (got ${String(s.dataBits)})`);
  if (!['none', 'even', 'odd'].includes(s.parity)) throw new RangeError(`parity must be none, even or odd (got ${String(s.parity)})`);
  if (s.stopBits !== 1 && s.stopBits !== 2) throw new RangeError(`stop bits must be 1 or 2 (got ${String(s.stopBits)})`);
  if (!(s.writeTerminator in TERMINATOR_BYTES)) throw new RangeError(`line terminator must be CR, LF or CRLF (got ${String(s.writeTerminator)})`);
  for (const key of ['timeoutMs', 'identifyTimeoutMs'] as const) {
    if (!(Number.isFinite(s[key]) && s[key] > 0)) throw new RangeError(`${key} must be a positive number of milliseconds (got ${s[key]})`);
  }
  if (!(Number.isFinite(s.openDelayMs) && s.openDelayMs >= 0)) throw new RangeError(`openDelayMs must be ≥ 0 (got ${s.openDelayMs})`);
  return s;
}
