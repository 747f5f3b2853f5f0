import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputsUnchanged, makeStamp, readStamp, withLock, writeFileAtomic } from '../../../build/freshness.js';
import { tempDirs } from '../../fixtures/temp-dirs';

/**
 * build/freshness.js decides whether dist/cli and dist/renderer still match their sources, at every
 * `workbench` start. File times are set explicitly here (utimes), never read from the clock.
 */
const tmp = tempDirs('wb-freshness-');
const BUILT_AT = Date.parse('2026-01-10T12:00:00Z');
const EARLIER = new Date('2026-01-01T00:00:00Z');

function checkout(): string {
  const root = tmp();
  mkdirSync(path.join(root, 'src'));
  for (const [name, text] of [['a.ts', 'export const a = 1;\n'], ['b.ts', 'export const b = 2;\n']] as const) {
    writeFileSync(path.join(root, 'src', name), text);
    utimesSync(path.join(root, 'src', name), EARLIER, EARLIER);
  }
  return root;
}

/** A stamp that must exist (makeStamp gives null for a build whose inputs moved under it). */
function stampOf(root: string, inputs: string[], extra?: Record<string, unknown>) {
  const stamp = makeStamp(root, inputs, BUILT_AT, extra, BUILT_AT + 500);
  if (!stamp) throw new Error('no stamp');
  return stamp;
}

describe('build freshness', () => {
  it('is fresh while nothing changed, and stale after an edit, even one that keeps the size', () => {
    const root = checkout();
    const stamp = stampOf(root, ['src/a.ts', 'src/b.ts', 'src/a.ts']);
    expect(stamp.inputs.map((i: unknown[]) => i[0])).toEqual(['src/a.ts', 'src/b.ts']);
    expect(inputsUnchanged(stamp, root)).toBe(true);
    writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 7;\n');
    expect(inputsUnchanged(stamp, root)).toBe(false);
  });

  it('is stale after a file is restored to an older copy, resized, or deleted', () => {
    const root = checkout();
    const stamp = stampOf(root, ['src/a.ts', 'src/b.ts']);
    const older = new Date('2025-06-01T00:00:00Z');
    utimesSync(path.join(root, 'src', 'a.ts'), older, older); // e.g. `cp -p` of an old version
    expect(inputsUnchanged(stamp, root)).toBe(false);
    utimesSync(path.join(root, 'src', 'a.ts'), EARLIER, EARLIER);
    expect(inputsUnchanged(stamp, root)).toBe(true);
    writeFileSync(path.join(root, 'src', 'b.ts'), 'export const b = 22;\n');
    utimesSync(path.join(root, 'src', 'b.ts'), EARLIER, EARLIER); // same time, other size
    expect(inputsUnchanged(stamp, root)).toBe(false);
    const again = stampOf(root, ['src/a.ts', 'src/b.ts']);
    rmSync(path.join(root, 'src', 'a.ts'));
    expect(inputsUnchanged(again, root)).toBe(false);
  });

  it('gives no stamp to a build whose input changed while it was read, or is missing', () => {
    const root = checkout();
    const during = new Date(BUILT_AT + 300);
    utimesSync(path.join(root, 'src', 'b.ts'), during, during);
    expect(makeStamp(root, ['src/a.ts', 'src/b.ts'], BUILT_AT, {}, BUILT_AT + 500)).toBeNull();
    expect(makeStamp(root, ['src/a.ts', 'src/gone.ts'], BUILT_AT, {}, BUILT_AT + 500)).toBeNull();
  });

  it('stamps a file dated in the future (a clock running ahead), so it does not rebuild at every start', () => {
    const root = checkout();
    const ahead = new Date(BUILT_AT + 86_400_000);
    utimesSync(path.join(root, 'src', 'b.ts'), ahead, ahead);
    const stamp = stampOf(root, ['src/a.ts', 'src/b.ts']);
    expect(inputsUnchanged(stamp, root)).toBe(true);
    writeFileSync(path.join(root, 'src', 'b.ts'), 'export const b = 3;\n');
    expect(inputsUnchanged(stamp, root)).toBe(false);
  });

  it('reads back what it wrote, and refuses a stamp that is not one', () => {
    const root = checkout();
    const file = path.join(root, 'dist', 'x.stamp.json');
    const stamp = stampOf(root, ['src/a.ts'], { build: 'abc' });
    writeFileAtomic(file, JSON.stringify(stamp));
    expect(readStamp(file)).toEqual(stamp);
    expect(existsSync(`${file}.tmp-${process.pid}`)).toBe(false);
    for (const text of ['', '{', 'null', '{"version":99,"inputs":[]}', '{"version":1}']) {
      writeFileSync(file, text);
      expect(readStamp(file), text).toBeNull();
    }
    expect(readStamp(path.join(root, 'nope.json'))).toBeNull();
    expect(inputsUnchanged({ version: 1, inputs: [['src/a.ts', 1]] }, root)).toBe(false);
  });
});

describe('build lock', () => {
  it('lets one builder at a time in; the next waits, then runs', async () => {
    const lock = path.join(tmp(), 'x.lock');
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let firstIn!: () => void;
    const firstHolds = new Promise<void>((resolve) => (firstIn = resolve));
    const first = withLock(lock, async (waited: boolean) => {
      events.push(`first in (waited: ${waited})`);
      firstIn();
      await gate;
      events.push('first out');
    });
    await firstHolds;
    const second = withLock(lock, async (waited: boolean) => events.push(`second in (waited: ${waited})`), {
      onWait: () => {
        events.push('second waits');
        release();
      },
    });
    await Promise.all([first, second]);
    expect(events).toEqual(['first in (waited: false)', 'second waits', 'first out', 'second in (waited: true)']);
    expect(existsSync(lock)).toBe(false);
  });

  it('releases the lock when the build throws', async () => {
    const lock = path.join(tmp(), 'x.lock');
    await expect(withLock(lock, async () => Promise.reject(new Error('syntax error')))).rejects.toThrow('syntax error');
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose holder died', async () => {
    const lock = path.join(tmp(), 'x.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lock, dead.stdout);
    let waited = false;
    expect(await withLock(lock, async () => 'built', { onWait: () => (waited = true) })).toBe('built');
    expect(waited).toBe(false);
  });
});
