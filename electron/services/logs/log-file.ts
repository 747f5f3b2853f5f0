/**
 * The workbench's log: JSON lines in `<dataDir>/logs/workbench.log`, one object per line
 * `{"time": ISO-8601 UTC, "level", "source", "message", "details"?}`, rotated at `maxBytes`
 * (5 MB) into workbench.log.1 … workbench.log.(keep-1), so at most `keep` (5) files exist.
 *
 * Each line is appended with its own synchronous write (open, append, close): nothing is buffered,
 * so a crash loses no line, no file descriptor is held (two processes on one data folder may both
 * log), and a crash handler can log after anything else failed. `log` never throws: when the file
 * cannot be written the line goes to `fallback` (stderr by default) instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { logLevels, type LogEntry, type LogLevel } from '../../../shared/contract/areas/settings';
import { makeDir } from '../files/make-dir';

export type { LogEntry, LogLevel };

export const LOG_FILE_NAME = 'workbench.log';
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_KEEP = 5;
/** A single line longer than this is cut (its details first): one entry must not flood the log. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface LogFileOptions {
  /** The folder of the log files (`<dataDir>/logs`); created when missing. */
  dir: string;
  fileName?: string;
  maxBytes?: number;
  /** How many files to keep, the current one included. */
  keep?: number;
  now?: () => Date;
  /**
   * Where lines (JSON, as in the file) go when the file cannot be written. Default: stderr, as
   * readable text and only warnings and errors — a person reads stderr, not JSON.
   */
  fallback?: (line: string) => void;
}

export interface TailOptions {
  /** How many entries (newest). Default 200. */
  lines?: number;
  minLevel?: LogLevel;
  /** Case-insensitive text that the message, source or details must contain. */
  search?: string;
  /** Stop after reading this many bytes (all files together). Default 64 MB. */
  maxScanBytes?: number;
}

export interface TailResult {
  file: string;
  /** Oldest first. */
  entries: LogEntry[];
  /** True when every file was read (there are no older matching entries). */
  scannedAll: boolean;
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The default fallback: warnings and errors to stderr as one readable line each, the rest dropped. */
function stderrFallback(line: string): void {
  const entry = parseLine(line);
  if (rank[entry.level] < rank.warn) return;
  try {
    process.stderr.write(`workbench: ${entry.level === 'warn' ? 'warning' : entry.level}: ${entry.message}\n`);
  } catch {
    // nowhere left to write
  }
}

export class LogFile {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => Date;
  private readonly fallback: (line: string) => void;
  private size: number | null = null;
  private dirReady = false;
  private closed = false;
  /** The file could not be written: said once, not before every line. */
  private unwritable = false;

  constructor(private readonly options: LogFileOptions) {
    this.file = path.join(options.dir, options.fileName ?? LOG_FILE_NAME);
    this.maxBytes = Math.max(1024, options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.keep = Math.max(1, Math.floor(options.keep ?? DEFAULT_KEEP));
    this.now = options.now ?? (() => new Date());
    this.fallback = options.fallback ?? stderrFallback;
  }

  /** Appends one entry. Never throws. */
  log(level: LogLevel, source: string, message: string, details?: unknown): void {
    const line = formatLine({ time: this.now().toISOString(), level, source, message, details });
    if (this.closed) {
      this.fallback(line);
      return;
    }
    try {
      this.append(`${line}\n`);
    } catch (e) {
      if (!this.unwritable) {
        this.unwritable = true;
        this.fallback(formatLine({ time: this.now().toISOString(), level: 'warn', source: 'log', message: `the log file ${this.file} cannot be written (${(e as Error).message}); warnings and errors go to stderr instead` }));
      }
      this.fallback(line);
    }
  }

  /** An error with its stack (and cause chain) in the details. */
  error(source: string, message: string, error: unknown, details?: Record<string, unknown>): void {
    this.log('error', source, message, { ...details, error: describeError(error) });
  }

  /** The rotated files, newest first, that exist now (the current one first). */
  files(): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.keep; k++) {
      const f = k === 0 ? this.file : `${this.file}.${k}`;
      if (fs.existsSync(f)) out.push(f);
    }
    return out;
  }

  /** The newest entries matching the filter, across the rotated files. */
  tail(options: TailOptions = {}): TailResult {
    const want = Math.max(1, Math.min(100_000, Math.floor(options.lines ?? 200)));
    const min = rank[options.minLevel ?? 'debug'];
    const needle = options.search?.trim().toLowerCase() ?? '';
    let budget = options.maxScanBytes ?? 64 * 1024 * 1024;
    const found: LogEntry[] = [];
    let scannedAll = true;
    outer: for (const f of this.files()) {
      for (const { line, bytes } of reverseLines(f)) {
        budget -= bytes;
        if (line.trim() !== '') {
          const entry = parseLine(line);
          if (rank[entry.level] >= min && (needle === '' || matches(entry, line, needle))) {
            found.push(entry);
            if (found.length >= want) {
              scannedAll = false;
              break outer;
            }
          }
        }
        if (budget <= 0) {
          scannedAll = false;
          break outer;
        }
      }
    }
    return { file: this.file, entries: found.reverse(), scannedAll };
  }

  /** Later lines go to the fallback. */
  close(): void {
    this.closed = true;
  }

  private append(text: string): void {
    if (!this.dirReady) {
      makeDir(this.options.dir);
      this.dirReady = true;
    }
    const bytes = Buffer.byteLength(text);
    if (this.size === null) this.size = sizeOf(this.file);
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      // Another process may have rotated already: look at the file itself before moving anything.
      this.size = sizeOf(this.file);
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    }
    fs.appendFileSync(this.file, text);
    this.size += bytes;
  }

  private rotate(): void {
    const name = (k: number) => (k === 0 ? this.file : `${this.file}.${k}`);
    try {
      fs.rmSync(name(this.keep - 1), { force: true });
    } catch {
      // cannot remove the oldest: the renames below will replace it where the platform allows
    }
    for (let k = this.keep - 2; k >= 0; k--) {
      try {
        fs.renameSync(name(k), name(k + 1));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    if (this.keep === 1) fs.rmSync(this.file, { force: true });
    this.size = 0;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function matches(entry: LogEntry, raw: string, needle: string): boolean {
  return entry.message.toLowerCase().includes(needle) || entry.source.toLowerCase().includes(needle) || raw.toLowerCase().includes(needle);
}

/** A log line as an entry; a line that is not one of ours (a hand edit, a cut line) becomes an 'info' entry holding the text. */
export function parseLine(line: string): LogEntry {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o && typeof o === 'object' && typeof o.time === 'string' && typeof o.message === 'string' && (logLevels as readonly unknown[]).includes(o.level)) {
      const entry: LogEntry = { time: o.time, level: o.level as LogLevel, source: typeof o.source === 'string' ? o.source : '', message: o.message };
      if (o.details !== undefined) entry.details = o.details;
      return entry;
    }
  } catch {
    // not JSON: kept as text below
  }
  return { time: '', level: 'info', source: '', message: line };
}

/** One JSON line (no newline), at most MAX_LINE_BYTES: oversized details are replaced by a note. */
export function formatLine(entry: LogEntry): string {
  const base = { time: entry.time, level: entry.level, source: entry.source.slice(0, 200), message: entry.message };
  let line = entry.details === undefined ? JSON.stringify(base) : JSON.stringify({ ...base, details: toJsonSafe(entry.details) });
  if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
    line = JSON.stringify({ ...base, message: entry.message.slice(0, MAX_LINE_BYTES / 4), details: { truncated: `the entry was longer than ${MAX_LINE_BYTES} bytes` } });
  }
  return line;
}

/** What an error looks like in the log: name, message, stack, code and its causes. */
export function describeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? error : toJsonSafe(error);
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (error.cause !== undefined && depth < 4) out.cause = describeError(error.cause, depth + 1);
  return out;
}

/** A JSON-safe copy: Errors described, bigints as strings, cycles and depth cut, typed arrays summarised. */
export function toJsonSafe(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined') return null;
  if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
  if (value instanceof Error) return describeError(value);
  if (depth > 8) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (ArrayBuffer.isView(value)) return `[${value.constructor.name} of ${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => toJsonSafe(v, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 1000)) out[k] = toJsonSafe(v, depth + 1, seen);
  return out;
}

/** The lines of a file from the last to the first, read backwards in chunks. */
export function* reverseLines(file: string, chunkSize = 64 * 1024): Generator<{ line: string; bytes: number }> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return;
  }
  try {
    let pos = fs.fstatSync(fd).size;
    let carry: Buffer = Buffer.alloc(0);
    while (pos > 0) {
      const n = Math.min(chunkSize, pos);
      pos -= n;
      const buf = Buffer.alloc(n);
      fs.readSync(fd, buf, 0, n, pos);
      const data: Buffer = carry.length > 0 ? Buffer.concat([buf, carry]) : buf;
      let end = data.length;
      for (let k = data.length - 1; k >= 0; k--) {
        if (data[k] === 0x0a) {
          if (k + 1 < end || end < data.length) yield { line: data.toString('utf8', k + 1, end), bytes: end - k };
          end = k;
        }
      }
      carry = Buffer.from(data.subarray(0, end));
    }
    if (carry.length > 0) yield { line: carry.toString('utf8'), bytes: carry.length };
  } finally {
    fs.closeSync(fd);
  }
}
