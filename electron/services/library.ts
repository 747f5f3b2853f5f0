import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { builtInPresets, parseDevicePresetText, type DevicePreset } from '../../shared/device';
import { formatProblem, parseProtocolJson, type ProtocolDocument, type SafetyLimits, type ValidateOptions } from '../../shared/protocol';
import type { FileKind } from '../../shared/contract/limits';
import { resourcesDir } from '../app-meta';
import { ServiceError } from './errors';
import { FileReadError, readUserText } from './files/read-user-file';

/**
 * The shipped library (resources/devices, resources/protocols) and user files, loaded and checked
 * the one way every caller — CLI, handlers, run engine — uses. Errors say which file and what is
 * wrong with it, every problem at once.
 */
export class LibraryError extends ServiceError {
  override readonly name = 'LibraryError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    // Reaching the router, a library file that cannot be read is the workbench's fault (a damaged
    // install): callers that take a user's file or name (runs.start) refuse with their own words.
    super('internal', problems.length > 0 ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message, { problems });
  }
}

/** A regular file within its kind's size cap (read-user-file.ts), its refusal as a LibraryError. */
function readText(file: string, kind: FileKind): string {
  try {
    return readUserText(file, kind);
  } catch (e) {
    if (e instanceof FileReadError) throw new LibraryError(e.message);
    throw e;
  }
}

const looksLikePath = (s: string) => s.includes('/') || s.includes('\\') || s.endsWith('.json');

/** A device preset by shipped name ('intrinsic-gradient') or by file path. */
export function loadDevicePreset(nameOrFile: string): DevicePreset {
  if (!looksLikePath(nameOrFile)) {
    const shipped = path.join(resourcesDir(), 'devices', `${nameOrFile}.json`);
    if (existsSync(shipped)) return parsePresetFile(shipped);
    const builtIn = builtInPresets.find((p) => p.name === nameOrFile);
    if (builtIn) return builtIn;
    throw notShipped('device preset', nameOrFile, listShippedPresets());
  }
  return parsePresetFile(path.resolve(nameOrFile));
}

function parsePresetFile(file: string): DevicePreset {
  const parsed = parseDevicePresetText(readText(file, 'preset'));
  if (!parsed.ok) throw new LibraryError(`device preset ${file} is not valid:`, parsed.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)));
  return parsed.preset;
}

/**
 * A name that is not shipped. When a file or folder of that name is right here, say how to name it
 * as a path: a bare 'trace' or 'my protocol' is read as a library name, and the refusal used to
 * name a file in the install ('…/resources/protocols/trace.json does not exist') instead.
 */
function notShipped(what: string, name: string, shipped: string[]): LibraryError {
  const here = existsSync(name) ? `the file ${path.resolve(name)} is read when named as a path, ./${name}; ` : '';
  return new LibraryError(`there is no ${what} called '${name}' (${here}shipped: ${shipped.join(', ')})`);
}

export function listShippedPresets(): string[] {
  return listJson(path.join(resourcesDir(), 'devices'));
}

export interface LoadedProtocol {
  file: string;
  /** The document as written (kept for provenance). */
  source: unknown;
  /** Normalised: every value a number in SI units. */
  document: ProtocolDocument;
  limits: SafetyLimits;
}

/** A protocol by shipped name ('paper-spike-train') or file path, validated against the limits. */
export function loadProtocol(nameOrFile: string, options: ValidateOptions = {}): LoadedProtocol {
  const file = protocolFile(nameOrFile);
  const text = readText(file, 'protocol');
  const result = parseProtocolJson(text, options);
  if (!result.ok) throw new LibraryError(`protocol ${file} is not valid:`, result.problems.map(formatProblem));
  return { file, source: JSON.parse(text) as unknown, document: result.document, limits: result.limits };
}

/** The file a shipped protocol's name ('paper-spike-train') or a path names; LibraryError for a name not shipped. */
export function protocolFile(nameOrFile: string): string {
  if (looksLikePath(nameOrFile)) return path.resolve(nameOrFile);
  const file = path.join(resourcesDir(), 'protocols', `${nameOrFile}.json`);
  if (!existsSync(file)) throw notShipped('protocol', nameOrFile, listShippedProtocols());
  return file;
}

export function listShippedProtocols(): string[] {
  return listJson(path.join(resourcesDir(), 'protocols'));
}

function listJson(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  } catch {
    return [];
  }
}
