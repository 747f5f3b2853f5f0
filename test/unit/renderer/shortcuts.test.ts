import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routes } from '../../../renderer/app/routes';
import { PAGE_KEYS, pageForKey, SHORTCUT_GROUPS } from '../../../renderer/app/shortcuts';

const root = path.resolve(import.meta.dirname, '../../..');

/** The rows (keys, action) of every table under a document's "## Keyboard" heading, in order. */
function keyboardRows(file: string): [string, string][] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const start = text.indexOf('\n## Keyboard\n');
  expect(start, `${file} has a ## Keyboard section`).toBeGreaterThan(0);
  const end = text.indexOf('\n## ', start + 5);
  const section = text.slice(start, end < 0 ? undefined : end);
  return section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Keys |'))
    .map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '').trim()) as [string, string]);
}

const sheet = SHORTCUT_GROUPS.flatMap((g) => g.shortcuts.map((s) => [s.keys, s.action] as [string, string]));

describe('keyboard shortcuts (#19)', () => {
  it('every page of the rail has its own letter after G, and the letter leads back to it', () => {
    const visible = routes.filter((r) => !r.hidden).map((r) => r.id);
    expect(Object.keys(PAGE_KEYS).sort()).toEqual([...visible].sort());
    expect(new Set(Object.values(PAGE_KEYS)).size).toBe(visible.length);
    for (const id of visible) {
      expect(pageForKey(PAGE_KEYS[id]!)).toBe(id);
      expect(pageForKey(PAGE_KEYS[id]!.toUpperCase())).toBe(id);
    }
    expect(pageForKey('x')).toBeNull();
  });

  it.each(['resources/help/user-guide.md', 'README.md'])('%s lists exactly the shortcut sheet, in its order', (file) => {
    expect(keyboardRows(file)).toEqual(sheet);
  });
});
