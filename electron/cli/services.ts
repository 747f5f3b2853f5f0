import { openAppServices, type AppServices, type AppServicesOptions } from '../app/app-services';
import { defaultDataDir } from '../app-meta';

/** Writes one line of text to stderr (never throws: a closed stderr has nowhere left to go). */
export function toStderr(text: string): void {
  try {
    process.stderr.write(`${text}\n`);
  } catch {
    // nowhere left to write
  }
}

/**
 * A command's workbench: the services of the data folder (`--data-dir`, else WORKBENCH_DATA_DIR,
 * else the desktop app's folder), logging to its log file and, as readable text, to stderr —
 * warnings and errors, or everything with WORKBENCH_DEBUG. `quiet`: stderr only with
 * WORKBENCH_DEBUG (a command that reports the outcome itself, on one line).
 */
export function openCliServices(dataDir: string | undefined, options: { hostKind?: AppServicesOptions['hostKind']; quiet?: boolean } = {}): AppServices {
  const debug = Boolean(process.env.WORKBENCH_DEBUG);
  return openAppServices({
    dataDir: defaultDataDir(dataDir),
    hostKind: options.hostKind ?? 'cli',
    ...(debug || !options.quiet ? { echo: toStderr, echoLevel: debug ? 'debug' : 'warn' } : {}),
  });
}
