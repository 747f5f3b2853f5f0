/**
 * A help page as sections (one per heading), for Help's table of contents and its search: the
 * heading's anchor (the same id the Markdown view gives the heading), its title and the section's
 * text as a reader sees it (no Markdown marks), so a search matches what is on the screen.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { slug } from '../../components/markdown/slug';

export interface HelpSection {
  /** The heading's element id; '' for text before the first heading. */
  id: string;
  title: string;
  /** 1 for the page title, 2 for a section, 3 and more for sub-sections. */
  depth: number;
  /** The enclosing section's title (a level-3 heading's level-2), or null. */
  parent: string | null;
  /** The heading and the section's text, as shown. */
  text: string;
}

/** The text a token shows, without Markdown's marks. */
export function plainText(t: Token): string {
  switch (t.type) {
    case 'space':
    case 'hr':
    case 'br':
      return '\n';
    case 'code':
    case 'codespan':
      return (t as Tokens.Code).text;
    case 'table': {
      const tb = t as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => c.tokens.map(plainText).join('')).join('  ');
      return [row(tb.header), ...tb.rows.map(row)].join('\n');
    }
    case 'list':
      return (t as Tokens.List).items.map(plainText).join('\n');
    case 'html':
      return (t as Tokens.HTML).raw;
    default: {
      const withTokens = t as { tokens?: Token[]; text?: string };
      if (withTokens.tokens && withTokens.tokens.length > 0) return withTokens.tokens.map(plainText).join('');
      return typeof withTokens.text === 'string' ? withTokens.text : '';
    }
  }
}

/** The page's sections in order: each heading with the blocks up to the next heading. */
export function helpSections(markdown: string): HelpSection[] {
  const out: HelpSection[] = [];
  let current: HelpSection | null = null;
  let parts: string[] = [];
  const above: string[] = []; // the open headings' titles, by depth - 1
  const close = () => {
    if (current) out.push({ ...current, text: parts.join('\n').replace(/\n{3,}/g, '\n\n').trim() });
    parts = [];
  };
  for (const t of Lexer.lex(markdown, { gfm: true })) {
    if (t.type === 'heading') {
      close();
      const h = t as Tokens.Heading;
      const title = plainText(h).trim();
      above.length = Math.max(0, h.depth - 1);
      const parent = h.depth > 2 ? (above[h.depth - 2] ?? null) : null;
      above[h.depth - 1] = title;
      current = { id: slug(h.text), title, depth: h.depth, parent, text: '' };
      parts = [title];
    } else {
      current ??= { id: '', title: '', depth: 1, parent: null, text: '' };
      parts.push(plainText(t));
    }
  }
  close();
  return out;
}

/** The query as a pattern: its letters as typed (ignoring case), any run of spaces matching any run of white space (a line break in the source). */
export function queryPattern(query: string): RegExp | null {
  const words = query.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'gi');
}

/** Pieces of `text`: the stretches that match `query` marked, the rest not. Joined, they give `text` back. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const pattern = queryPattern(query);
  if (!pattern) return text === '' ? [] : [{ text, match: false }];
  const out: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > at) out.push({ text: text.slice(at, m.index), match: false });
    out.push({ text: m[0], match: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}

export interface SectionMatch {
  section: HelpSection;
  /** How many times the query occurs in the section. */
  count: number;
  /** The first occurrence with some words either side, on one line. */
  snippet: string;
}

/** The sections that contain the query (ignoring case), in page order, each with its count and a snippet. */
export function searchSections(sections: readonly HelpSection[], query: string, context = 48): SectionMatch[] {
  const pattern = queryPattern(query);
  if (!pattern) return [];
  const out: SectionMatch[] = [];
  for (const section of sections) {
    const matches = Array.from(section.text.matchAll(pattern));
    const first = matches[0];
    if (!first) continue;
    const from = Math.max(0, first.index - context);
    const to = Math.min(section.text.length, first.index + first[0].length + context);
    const snippet = `${from > 0 ? '…' : ''}${section.text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < section.text.length ? '…' : ''}`;
    out.push({ section, count: matches.length, snippet });
  }
  return out;
}
