import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|tsx)$/u.test(name) && !/\.d\.ts$/u.test(name)) out.push(p);
  }
  return out;
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').length - (readFileSync(file, 'utf8').endsWith('\n') ? 1 : 0);

describe('source policy (#17)', () => {
  it('no source file in electron/, renderer/ or shared/ is over 450 lines', () => {
    const over = ['electron', 'renderer', 'shared']
      .flatMap((d) => sources(path.join(root, d)))
      .map((f) => ({ file: path.relative(root, f), lines: lines(f) }))
      .filter((f) => f.lines > 450);
    expect(over).toEqual([]);
  });

  it('the renderer puts no __wb global on the page, in its sources or in the built bundle', () => {
    const pattern = /\b(?:window|globalThis|self)\s*\.\s*__wb|__wb[A-Za-z]*\s*\?:/u;
    const inSources = sources(path.join(root, 'renderer')).filter((f) => pattern.test(readFileSync(f, 'utf8')));
    expect(inSources.map((f) => path.relative(root, f))).toEqual([]);
    // npm test builds the renderer before this suite runs.
    const assets = path.join(root, 'dist', 'renderer', 'assets');
    expect(existsSync(assets), 'dist/renderer is missing: run `npm run build:renderer` first').toBe(true);
    const bundles = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(bundles.length).toBeGreaterThan(0);
    for (const f of bundles) expect(readFileSync(path.join(assets, f), 'utf8'), f).not.toMatch(/__wb/u);
  });
});
