/**
 * The log, for everything on the Node side.
 *
 * - `openWorkbenchLog(dataDir)` gives the data folder's LogFile (`<dataDir>/logs/workbench.log`),
 *   which the Logs page reads (`logs.tail`).
 * - Services write to it through the Logger (./logger.ts) the composition root (electron/app)
 *   makes on that file and hands to each of them: there is no process-wide log to write to.
 */
import path from 'node:path';
import { LogFile, type LogFileOptions } from './log-file';

export { LogFile, LOG_FILE_NAME, DEFAULT_KEEP, DEFAULT_MAX_BYTES, describeError, formatLine, parseLine, reverseLines, type LogEntry, type LogFileOptions, type LogLevel, type TailOptions, type TailResult } from './log-file';
export { createLogger, fileLogger, memoryLogger, silentLogger, stderrLogger, type LogSink, type Logger, type MemoryLogEntry } from './logger';
export { installProcessErrorHandlers, type ProcessErrorHandlerOptions } from './process-errors';
export { ReportLimiter } from './report-limiter';

export const LOGS_FOLDER = 'logs';

/** The log file of a data folder. Creating it touches nothing on disk; the first line does. */
export function openWorkbenchLog(dataDir: string, options: Omit<LogFileOptions, 'dir'> = {}): LogFile {
  return new LogFile({ ...options, dir: path.join(path.resolve(dataDir), LOGS_FOLDER) });
}
