import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the app's own files are. The same code runs from source (tsx), from the esbuild bundle in
 * dist/electron and from a packaged app, so the root is found by walking up to our package.json
 * rather than by a fixed relative path.
 */
export const APP_NAME = 'Memristor Workbench';
const PACKAGE_NAME = 'memristor-workbench';

function findAppRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        if ((JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours; keep walking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the workbench package root');
    dir = up;
  }
}

export const appRoot = findAppRoot();
export const appVersion: string = (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Shipped data (device presets, protocols, experiments, help). Packaged apps carry it beside the asar. */
export function resourcesDir(): string {
  const override = process.env.WORKBENCH_RESOURCES_DIR;
  if (override) return override;
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(path.join(packaged, 'resources'))) return path.join(packaged, 'resources');
  return path.join(appRoot, 'resources');
}

/** The built renderer; WORKBENCH_RENDERER_DIR (also read by build/vite.config.ts) moves it. */
export function rendererDir(): string {
  return process.env.WORKBENCH_RENDERER_DIR ?? path.join(appRoot, 'dist', 'renderer');
}

/**
 * The data folder, in order: an explicit --data-dir, WORKBENCH_DATA_DIR, else the folder Electron
 * would use as userData, so the CLI, the web host and the desktop app share one archive.
 */
export function defaultDataDir(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  const env = process.env.WORKBENCH_DATA_DIR;
  if (env) return path.resolve(env);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_NAME);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
  }
}
