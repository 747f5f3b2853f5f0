import fs from 'node:fs';
import path from 'node:path';
import type { BenchContext } from './types';

let fresh = 0;

/** A new, empty folder in the run's scratch folder (each measured repeat gets its own database file). */
export function freshDir(ctx: BenchContext, label: string): string {
  const dir = path.join(ctx.tmpDir, `${label}-${process.pid}-${fresh++}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
