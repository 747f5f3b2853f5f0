/**
 * Serial-line settings: the one source of their choices and rules, for the contract (what a
 * request may carry), the instruments service (what it opens a port with) and the renderer (what
 * the Instruments page offers). Writes end with the configured terminator; input lines may end
 * with CR, LF or CRLF whatever this says, because instruments differ and users rarely know which.
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

/**
 * The rates a serial port is offered and accepted at: the standard ones (an instrument's manual
 * lists a subset of these; a typo such as 96000 is refused rather than opened and left silent).
 */
export const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] as const;
export const DATA_BITS = [7, 8] as const;
export const PARITIES = ['none', 'even', 'odd'] as const;
export const STOP_BITS = [1, 2] as const;
export const LINE_TERMINATORS = ['CR', 'LF', 'CRLF'] as const;
/** Ceiling of the reply and identify timeouts (ms). */
export const MAX_TIMEOUT_MS = 600_000;
/** Ceiling of the wait after opening (ms). */
export const MAX_OPEN_DELAY_MS = 60_000;

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

export function isBaudRate(x: unknown): x is (typeof BAUD_RATES)[number] {
  return (BAUD_RATES as readonly unknown[]).includes(x);
}

/** What is wrong with one setting's value, in a sentence; null when it is acceptable. */
export function serialSettingProblem(key: keyof SerialSettings, value: unknown): string | null {
  switch (key) {
    case 'baudRate':
      return isBaudRate(value) ? null : `baud rate must be one of ${BAUD_RATES.join(', ')} (got ${String(value)})`;
    case 'dataBits':
      return value === 7 || value === 8 ? null : `data bits must be 7 or 8 (got ${String(value)})`;
    case 'parity':
      return (PARITIES as readonly unknown[]).includes(value) ? null : `parity must be none, even or odd (got ${String(value)})`;
    case 'stopBits':
      return value === 1 || value === 2 ? null : `stop bits must be 1 or 2 (got ${String(value)})`;
    case 'writeTerminator':
      return (LINE_TERMINATORS as readonly unknown[]).includes(value) ? null : `line terminator must be CR, LF or CRLF (got ${String(value)})`;
    case 'timeoutMs':
    case 'identifyTimeoutMs':
      return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_TIMEOUT_MS
        ? null
        : `${key} must be a positive number of milliseconds up to ${MAX_TIMEOUT_MS} (got ${String(value)})`;
    case 'openDelayMs':
      return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_OPEN_DELAY_MS
        ? null
        : `openDelayMs must be from 0 to ${MAX_OPEN_DELAY_MS} ms (got ${String(value)})`;
  }
}

/** `base` with the given values over it; throws RangeError naming the first unacceptable one. */
export function resolveSerialSettings(base: Readonly<SerialSettings>, given: Partial<SerialSettings> = {}): SerialSettings {
  const s: SerialSettings = { ...base };
  for (const [key, value] of Object.entries(given) as [keyof SerialSettings, unknown][]) {
    if (value !== undefined) (s as unknown as Record<string, unknown>)[key] = value;
  }
  for (const key of Object.keys(DEFAULT_SERIAL_SETTINGS) as (keyof SerialSettings)[]) {
    const problem = serialSettingProblem(key, s[key]);
    if (problem !== null) throw new RangeError(problem);
  }
  return s;
}
