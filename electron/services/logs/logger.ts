/**
 * The one logger of the Node side. The composition root (the desktop app, `workbench serve`, each
 * CLI command) makes one for its data folder and hands it to every service it opens; a service
 * logs through the Logger it was given, never through a module-level log or stderr of its own, so
 * everything it reports reaches `<dataDir>/logs/workbench.log` (and the Logs page) in every host.
 *
 * `child(source)` names where a line comes from ('runs', 'instrument', 'rl', …): services take a
 * Logger and call `logger.child('runs')` once, so callers never repeat the source.
 */
import { describeError, formatLine, type LogFile, type LogLevel } from './log-file';

export interface Logger {
  readonly source: string;
  log(level: LogLevel, message: string, details?: unknown): void;
  debug(message: string, details?: unknown): void;
  info(message: string, details?: unknown): void;
  warn(message: string, details?: unknown): void;
  /** An error with its stack (and cause chain) in the details. */
  error(message: string, error?: unknown, details?: Record<string, unknown>): void;
  /** The same destination, another source. */
  child(source: string): Logger;
}

/** Where a logger's entries go: `write` never throws. */
export type LogSink = (level: LogLevel, source: string, message: string, details?: unknown) => void;

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function createLogger(sink: LogSink, source = 'workbench'): Logger {
  const logger: Logger = {
    source,
    log: (level, message, details) => sink(level, source, message, details),
    debug: (message, details) => sink('debug', source, message, details),
    info: (message, details) => sink('info', source, message, details),
    warn: (message, details) => sink('warn', source, message, details),
    error: (message, error, details) => sink('error', source, message, error === undefined ? details : { ...details, error: describeError(error) }),
    child: (child) => createLogger(sink, child),
  };
  return logger;
}

/**
 * A logger on a data folder's log file; `echo` also gets every line at or above `echoLevel`
 * (the CLI echoes warnings and errors to stderr as readable text, never as raw JSON).
 */
export function fileLogger(file: LogFile, options: { source?: string; echo?: (text: string) => void; echoLevel?: LogLevel } = {}): Logger {
  const { echo } = options;
  const echoRank = rank[options.echoLevel ?? 'warn'];
  return createLogger((level, source, message, details) => {
    file.log(level, source, message, details);
    if (echo && rank[level] >= echoRank) {
      try {
        echo(`${level === 'error' ? 'error' : level}: ${message}`);
      } catch {
        // nowhere left to write
      }
    }
  }, options.source);
}

/** Lines to stderr as JSON (before any data folder is open). */
export function stderrLogger(source = 'workbench', minLevel: LogLevel = 'warn'): Logger {
  return createLogger((level, src, message, details) => {
    if (rank[level] < rank[minLevel]) return;
    try {
      process.stderr.write(`${formatLine({ time: new Date().toISOString(), level, source: src, message, details })}\n`);
    } catch {
      // nowhere left to write
    }
  }, source);
}

/** Drops everything: for code whose caller has said it wants no log (benchmarks). */
export const silentLogger: Logger = createLogger(() => undefined, 'silent');

export interface MemoryLogEntry {
  level: LogLevel;
  source: string;
  message: string;
  details?: unknown;
}

/** Keeps entries in memory: tests read `entries`. */
export function memoryLogger(source = 'test'): Logger & { readonly entries: MemoryLogEntry[] } {
  const entries: MemoryLogEntry[] = [];
  const logger = createLogger((level, src, message, details) => {
    entries.push(details === undefined ? { level, source: src, message } : { level, source: src, message, details });
  }, source);
  return Object.assign(logger, { entries });
}
