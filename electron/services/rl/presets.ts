import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { RlPreset } from '../../../shared/contract/areas/rl';
import { parseExperiment, summariseProblems } from '../../../shared/rl';
import { resourcesDir } from '../../app-meta';
import { readUserText } from '../files/read-user-file';

/**
 * The shipped experiment definitions (resources/experiments/*.json), as written. A file that does
 * not validate is left out and reported through `onInvalid` (the log), never offered to the user.
 */
export function listShippedExperiments(onInvalid?: (file: string, why: string) => void, dir = path.join(resourcesDir(), 'experiments')): RlPreset[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  const out: RlPreset[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    let raw: unknown;
    try {
      raw = JSON.parse(readUserText(file, 'experiment'));
    } catch (e) {
      onInvalid?.(file, (e as Error).message);
      continue;
    }
    const parsed = parseExperiment(raw);
    if (!parsed.ok) {
      onInvalid?.(file, summariseProblems(parsed.problems));
      continue;
    }
    const x = parsed.experiment;
    out.push({ file: f.slice(0, -'.json'.length), name: x.name, title: x.title, provenance: x.provenance, notes: x.notes ?? null, experiment: raw as Record<string, unknown> });
  }
  // The paper experiment first: it is what the page opens with.
  return out.sort((a, b) => (a.name === 'paper' ? -1 : b.name === 'paper' ? 1 : a.name.localeCompare(b.name)));
}
