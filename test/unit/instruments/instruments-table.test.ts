import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVERS } from '../../../electron/services/instruments/drivers/index';
import { parseResource } from '../../../shared/instruments/resource';

/**
 * README and Help › Instruments print one table of the supported instruments and their resource
 * strings: the same rows in both, one per driver the workbench has, and every resource string in
 * it one the Address field takes.
 */
const root = path.resolve(import.meta.dirname, '..', '..', '..');

function instrumentsTable(markdown: string): string[][] {
  const start = markdown.indexOf('| instrument | driver | reached by (resource strings) | a virtual one |');
  expect(start).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(start).split('\n');
  const rows: string[][] = [];
  for (const line of lines.slice(2)) {
    if (!line.startsWith('| ')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

const readme = instrumentsTable(readFileSync(path.join(root, 'README.md'), 'utf8'));
const help = instrumentsTable(readFileSync(path.join(root, 'resources', 'help', 'user-guide.md'), 'utf8'));
const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

describe('the supported-instruments table', () => {
  it('is the same in README and in Help', () => {
    expect(readme).toEqual(help);
  });

  it('has one row per driver, in the registry order', () => {
    expect(readme.map((r) => code(r[1]!)[0])).toEqual(Object.keys(DRIVERS));
  });

  it('gives resource strings the Address field takes, and the LAN, USB-TMC and GPIB kinds all appear', () => {
    const kinds = new Set<string>();
    for (const row of readme) {
      const resources = code(row[2]!);
      expect(resources.length).toBeGreaterThan(0);
      for (const text of resources) {
        const parsed = parseResource(text);
        expect(parsed, text).toMatchObject({ ok: true });
        if (parsed.ok) kinds.add(parsed.resource.kind);
      }
    }
    expect([...kinds].sort()).toEqual(['gpib', 'serial', 'tcp', 'usbtmc']);
  });

  it('names each virtual one by its driver', () => {
    for (const row of readme) expect(code(row[3]!)[0]).toContain(`--driver ${code(row[1]!)[0]}`);
  });
});
