/**
 * The log, for everything on the Node side.
 *
 * - `openWorkbenchLog(dataDir)` gives the data folder's LogFile (`<dataDir>/logs/workbench.log`);
 *   app-services opens it and makes it the process's log.
 * - `log(level, source, message, details?)` writes to the process's log from anywhere (the
 *   instruments service logs its exchanges with it: `log('debug', 'instrument', '> *IDN?')`);
 *   before a log is open, warnings and errors go to stderr and the rest is dropped.
 * - `logError(source, message, error)` records an error with its stack.
 */
import path from 'node:path';
import { LogFile, describeError, formatLine, type LogFileOptions, type LogLevel } from './log-file';

export { LogFile, LOG_FILE_NAME, DEFAULT_KEEP, DEFAULT_MAX_BYTES, describeError, formatLine, parseLine, reverseLines, type LogEntry, type LogFileOptions, type LogLevel, type TailOptions, type TailResult } from './log-file';
export { installProcessErrorHandlers, type ProcessErrorHandlerOptions } from './process-errors';
export { ReportLimiter } from './report-limiter';

export const LOGS_FOLDER = 'logs';

/** The log file of a data folder. Creating it touches nothing on disk; the first line does. */
export function openWorkbenchLog(dataDir: string, options: Omit<LogFileOptions, 'dir'> = {}): LogFile {
  return new LogFile({ ...options, dir: path.join(path.resolve(dataDir), LOGS_FOLDER) });
}

let processLog: LogFile | null = null;

/** Makes `file` the log that `log()` writes to (the most recently opened workbench's). */
export function setProcessLog(file: LogFile | null): void {
  processLog = file;
}

/** Forgets `file` as the process's log, if it still is. */
export function releaseProcessLog(file: LogFile): void {
  if (processLog === file) processLog = null;
}

export function processLogFile(): LogFile | null {
  return processLog;
}

/** Writes one entry to the process's log. Never throws. */
export function log(level: LogLevel, source: string, message: string, details?: unknown): void {
  if (processLog) {
    processLog.log(level, source, message, details);
    return;
  }
  if (level === 'warn' || level === 'error') {
    try {
      process.stderr.write(`${formatLine({ time: new Date().toISOString(), level, source, message, details })}\n`);
    } catch {
      // nowhere left to write
    }
  }
}

/** An error with its stack, to the process's log. */
export function logError(source: string, message: string, error: unknown, details?: Record<string, unknown>): void {
  log('error', source, message, { ...details, error: describeError(error) });
}
