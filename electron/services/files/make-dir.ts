import fs from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p` that cannot hang. Node's recursive mkdirSync retries forever when mkdir answers ENOENT
 * under a parent that exists (any folder under /proc: `--data-dir /proc/self/x` hung the CLI), so
 * the missing folders are made one at a time, top down, and the first refusal is thrown.
 */
export function makeDir(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}
