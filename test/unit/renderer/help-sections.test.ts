import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { helpSections, queryPattern, searchSections, splitMatches } from '../../../renderer/features/help/sections';

const guide = readFileSync(path.resolve(import.meta.dirname, '../../../resources/help/user-guide.md'), 'utf8');

describe('Help sections and search (#19)', () => {
  it('cuts the guide at its headings, with ids the Markdown view gives them and the enclosing section named', () => {
    const sections = helpSections(guide);
    const headings = guide.split('\n').filter((l) => /^#{1,6} /.test(l));
    expect(sections.map((s) => s.title)).toEqual(headings.map((h) => h.replace(/^#+ /, '')));
    const model = sections.find((s) => s.title === 'Second-order intrinsic-gradient model (ours)')!;
    expect(model).toMatchObject({ id: 'second-order-intrinsic-gradient-model-ours', depth: 3, parent: 'Device models' });
    expect(sections.find((s) => s.id === 'device-models')).toMatchObject({ depth: 2, parent: null });
    // The text is what a reader sees: no emphasis marks, table cells and code kept.
    expect(model.text).toContain('The paired-pulse index is the fraction');
    expect(model.text).toContain('150 s');
    expect(model.text).toContain('g ← g − k_d');
    expect(model.text).not.toContain('*paired-pulse');
  });

  it('finds “paired-pulse” in the device-model section, with its count and a one-line snippet', () => {
    const found = searchSections(helpSections(guide), 'Paired-Pulse');
    const model = found.find((m) => m.section.id === 'second-order-intrinsic-gradient-model-ours');
    expect(model?.count).toBe(3);
    expect(model?.snippet).toMatch(/paired-pulse index/);
    expect(model?.snippet).not.toMatch(/\n/);
    expect(searchSections(helpSections(guide), 'no such words anywhere')).toEqual([]);
    expect(searchSections(helpSections(guide), '   ')).toEqual([]);
  });

  it('matches a phrase across the source’s line breaks, and takes the query’s characters literally', () => {
    expect(splitMatches('a paired-pulse\nindex here', 'pulse index')).toEqual([
      { text: 'a paired-', match: false },
      { text: 'pulse\nindex', match: true },
      { text: ' here', match: false },
    ]);
    expect(splitMatches('G/G0 = 0.30 (s)', '(s)').filter((p) => p.match).map((p) => p.text)).toEqual(['(s)']);
    expect(splitMatches('a.b axb', 'a.b').filter((p) => p.match).map((p) => p.text)).toEqual(['a.b']);
    expect(queryPattern(' \t ')).toBeNull();
  });

  it('gives the text back whole, every marked piece matching the query and none left unmarked (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ minLength: 1, maxLength: 6 }), (text, query) => {
        const parts = splitMatches(text, query);
        expect(parts.map((p) => p.text).join('')).toBe(text);
        const pattern = queryPattern(query);
        if (!pattern) return;
        for (const p of parts) {
          if (p.match) expect(p.text.match(new RegExp(`^(?:${pattern.source})$`, 'i'))).not.toBeNull();
          else expect(p.text.match(new RegExp(pattern.source, 'i'))).toBeNull();
        }
      }),
    );
  });
});
