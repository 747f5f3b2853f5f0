import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldWord, helpSections, queryTerms, searchSections, splitMatches } from '../../../renderer/features/help/sections';

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
    // Both words of each of its three “paired-pulse”, and the “pulse” elsewhere in it.
    expect(model?.count).toBeGreaterThanOrEqual(6);
    expect(model?.snippet).toMatch(/paired-pulse index/);
    expect(model?.snippet).not.toMatch(/\n/);
    expect(searchSections(helpSections(guide), 'no such words anywhere')).toEqual([]);
    expect(searchSections(helpSections(guide), '   ')).toEqual([]);
  });

  it('matches all the words in any order, ignoring case, accents and a plural “s” (a first-week user’s “exactly integrated relaxation”)', () => {
    const sections = helpSections(guide);
    const ids = (q: string) => searchSections(sections, q).map((m) => m.section.id);
    // The guide says “Relaxation is integrated exactly”: the words reordered still find it.
    expect(ids('exactly integrated relaxation')).toContain('second-order-intrinsic-gradient-model-ours');
    expect(ids('EXACTLY Intégrated RELAXATIONS')).toEqual(ids('exactly integrated relaxation'));
    // The snippet holds the words together, cut at word boundaries.
    const model = searchSections(sections, 'exactly integrated relaxation').find((m) => m.section.id === 'second-order-intrinsic-gradient-model-ours')!;
    expect(model.snippet).toMatch(/Relaxation is integrated exactly/);
    const inner = model.snippet.replace(/^…|…$/gu, '');
    const flat = model.section.text.replace(/\s+/gu, ' ');
    const at = flat.indexOf(inner);
    expect(at).toBeGreaterThan(0);
    expect(flat[at - 1]).toBe(' ');
    expect(flat[at + inner.length] ?? ' ').toMatch(/\s/);
    // Every word must be there: one word that is nowhere finds nothing.
    expect(ids('exactly integrated relaxation zzqx')).toEqual([]);
    expect(foldWord('Protocols')).toBe('protocol');
    expect(foldWord('Défauts')).toBe('defaut');
    expect(foldWord('class')).toBe('class');
    expect(foldWord('bus')).toBe('bus');
    expect(queryTerms(' runs, Runs  run ')).toEqual(['run']);
    expect(queryTerms(' \t ')).toEqual([]);
  });

  it('ranks a section whose title holds the words above sections that only mention them', () => {
    const sections = helpSections('# Guide\n\n## Keyboard\n\nShortcuts.\n\n## Charts\n\nThe keyboard moves the keyboard focus; keyboard keyboard.\n\n## Archive\n\nA keyboard.\n');
    const found = searchSections(sections, 'keyboards');
    expect(found.map((m) => m.section.title)).toEqual(['Keyboard', 'Charts', 'Archive']);
    expect(found[0]!.score).toBeGreaterThan(found[1]!.score);
    // Words side by side, as typed, come before the same words apart.
    const two = helpSections('# G\n\n## One\n\nintegrated here and the relaxation there\n\n## Two\n\nrelaxation is integrated exactly\n');
    expect(searchSections(two, 'relaxation integrated').map((m) => m.section.title)).toEqual(['One', 'Two']);
    expect(searchSections(two, 'relaxation is integrated').map((m) => m.section.title)).toEqual(['Two']);
  });

  it('marks the words that match, as they stand in the text, and nothing else', () => {
    expect(splitMatches('a paired-pulse\nindex here', 'index pulse')).toEqual([
      { text: 'a paired-', match: false },
      { text: 'pulse', match: true },
      { text: '\n', match: false },
      { text: 'index', match: true },
      { text: ' here', match: false },
    ]);
    expect(splitMatches('Défaut protocols', 'defaut PROTOCOL').filter((p) => p.match).map((p) => p.text)).toEqual(['Défaut', 'protocols']);
    expect(splitMatches('no match', '   ')).toEqual([{ text: 'no match', match: false }]);
  });

  it('gives the text back whole, marking only words that begin with a query word (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ minLength: 1, maxLength: 6 }), (text, query) => {
        const parts = splitMatches(text, query);
        expect(parts.map((p) => p.text).join('')).toBe(text);
        const terms = queryTerms(query);
        for (const p of parts.filter((x) => x.match)) {
          const word = p.text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
          expect(terms.some((t) => word.startsWith(t))).toBe(true);
        }
      }),
    );
  });

  it('folds case as a person types it: µS in capitals (the Greek capital mu) finds µS, STRASSE finds straße', () => {
    const sections = helpSections(guide);
    const withMicro = sections.filter((s) => s.text.includes('µS'));
    expect(withMicro.length).toBeGreaterThan(0);
    expect(searchSections(sections, 'µS'.toUpperCase()).map((m) => m.section)).toEqual(expect.arrayContaining(withMicro));
    const street = { ...sections[0]!, title: 'Straße', text: 'Die Straße' };
    expect(searchSections([street], 'STRASSE').map((m) => m.section)).toEqual([street]);
  });

  it('finds a section from any words taken from it, in any order and case (property)', () => {
    const sections = helpSections(guide).filter((s) => /[\p{L}\p{N}]/u.test(s.text));
    const wordsOf = sections.map((s) => Array.from(s.text.matchAll(/[\p{L}\p{N}]+/gu), (m) => m[0]));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sections.length - 1 }).chain((k) =>
          fc.tuple(fc.constant(k), fc.shuffledSubarray(wordsOf[k]!, { minLength: 1, maxLength: Math.min(4, wordsOf[k]!.length) }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.constantFrom(' ', '  ', ', ', ' - ')),
        ),
        ([k, words, upper, sep]) => {
          const query = words.map((w, i) => (upper[i] ? w.toUpperCase() : w.toLowerCase())).join(sep);
          expect(searchSections(sections, query).map((m) => m.section)).toContain(sections[k]);
        },
      ),
    );
  });
});
