import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkImport, exportFileName } from '../../../renderer/features/protocols/files';
import { summarize } from '../../../renderer/features/protocols/summary';
import type { EBlock } from '../../../renderer/features/protocols/model';

describe('protocol files', () => {
  it('refuses text that is not JSON, or not a valid protocol, with every problem', () => {
    const broken = checkImport('{"format": ');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]!.message).toMatch(/not valid JSON/);
    const invalid = checkImport(JSON.stringify({ format: 'memristor-workbench/protocol', version: 2, name: '', blocks: [] }));
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.problems.map((p) => p.path).sort()).toEqual(['blocks', 'name', 'version']);
  });

  it('accepts a shipped protocol and keeps it as written', () => {
    const text = readFileSync(new URL('../../../resources/protocols/rate-dependence.json', import.meta.url), 'utf8');
    const r = checkImport(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.name).toBe('Spike-rate dependence');
    expect(r.document).toEqual(JSON.parse(text));
  });

  it('names exported files after the protocol', () => {
    expect(exportFileName('Paper spike train')).toBe('paper-spike-train.json');
    expect(exportFileName('Rampe à 2 V / 10 µs')).toBe('rampe-a-2-v-10-s.json');
    expect(exportFileName('…')).toBe('protocol.json');
  });

  it('summarises blocks from their values as typed, never hiding a bad one', () => {
    expect(summarize({ kind: 'train', count: 100, amplitude: '2 V', width: '10m', period: 1, read: true } as EBlock)).toBe('100 × 2 V, 10 ms every 1 s, read after each');
    expect(summarize({ kind: 'pulse', amplitude: 'lots' } as EBlock)).toBe('lots, ?');
    expect(summarize({ kind: 'until', when: 'below', relative: '50 %', maxIterations: 20, body: [] } as EBlock)).toBe('G below 50 % of the starting G, at most 20 times');
    expect(summarize({ kind: 'sweep', parameter: 'period', values: ['100 ms', '200 ms', '500 ms', '1 s', '2 s'], body: [] } as EBlock)).toBe('period over 100 ms, 200 ms, 500 ms, 1 s, … (5 values)');
    expect(summarize({ kind: 'wait', duration: '30 min', readEvery: '1 min' } as EBlock)).toBe('1.8 ks, a read every 60 s');
  });
});
