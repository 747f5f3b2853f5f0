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

/** The words of a text, with where each starts: runs of letters and digits (“paired-pulse” is two words). */
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Case and accents folded: compatibility forms first (the micro sign µ is the Greek μ that “µS”
 * typed in capitals comes back as), then upper and lower case (“ß” is “ss”, as “STRASSE” types it).
 */
function foldCase(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase().toLowerCase();
}

/**
 * A word as the search compares it: lower case, accents dropped (“défaut” is “defaut”), and a plural
 * “s” taken off (“protocols” is “protocol”; not from “ss”, nor from words of three letters or fewer).
 */
export function foldWord(word: string): string {
  const w = foldCase(word);
  return w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

/** The query's words, folded and each once; [] for a query of no words. */
export function queryTerms(query: string): string[] {
  return Array.from(new Set(Array.from(query.matchAll(WORD), (m) => foldWord(m[0]))));
}

interface Hit {
  index: number;
  end: number;
  /** Which of the query's terms the word matches (“another” matches both “a” and “another”). */
  terms: number[];
}

/** Each word of `text` that some term begins (so a word still being typed already finds), in order. */
function hits(text: string, terms: readonly string[]): Hit[] {
  const out: Hit[] = [];
  if (terms.length === 0) return out;
  for (const m of text.matchAll(WORD)) {
    // The word unfolded but for case and accents: "protocols" must still start with the term "protocol".
    const word = foldCase(m[0]);
    const matched = terms.flatMap((t, k) => (word.startsWith(t) ? [k] : []));
    if (matched.length > 0) out.push({ index: m.index, end: m.index + m[0].length, terms: matched });
  }
  return out;
}

/** How many different terms the hits match. */
function termsIn(found: readonly Hit[]): number {
  return new Set(found.flatMap((h) => h.terms)).size;
}

/** Pieces of `text`: the words that match one of the query's words marked, the rest not. Joined, they give `text` back. */
export function splitMatches(text: string, query: string): { text: string; match: boolean }[] {
  const out: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const h of hits(text, queryTerms(query))) {
    if (h.index > at) out.push({ text: text.slice(at, h.index), match: false });
    out.push({ text: text.slice(h.index, h.end), match: true });
    at = h.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), match: false });
  return out;
}

export interface SectionMatch {
  section: HelpSection;
  /** How many words of the section match one of the query's words. */
  count: number;
  /** How well it matches, for the order of the results: title hits weigh most, then the words side by side as typed. */
  score: number;
  /** The stretch where most of the query's words stand close together, with some words either side, on one line. */
  snippet: string;
}

/** Scores (ours): every query word in the title outweighs any body; the words in the query's order, side by side, next. */
const TITLE_WEIGHT = 100;
const PHRASE_WEIGHT = 10;
const BODY_CAP = 10;

/**
 * The sections that hold every word of the query (in any order, ignoring case and accents, a word
 * matching the words it begins), best first: each with its count, score and a snippet. Sections that
 * match equally keep the page's order.
 */
export function searchSections(sections: readonly HelpSection[], query: string, context = 48): SectionMatch[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const out: SectionMatch[] = [];
  for (const section of sections) {
    const found = hits(section.text, terms);
    if (termsIn(found) < terms.length) continue;
    const inTitle = termsIn(hits(section.title, terms));
    // The section's text starts with its title: the body's hits are those after it.
    const body = found.filter((h) => h.index >= section.title.length);
    let phrase = 0;
    for (let k = 1; k < found.length; k++) {
      const gap = section.text.slice(found[k - 1]!.end, found[k]!.index);
      if (found[k]!.terms.some((t) => found[k - 1]!.terms.includes(t - 1)) && !/[\p{L}\p{N}]/u.test(gap)) phrase++;
    }
    const score = inTitle * TITLE_WEIGHT + Math.min(phrase, BODY_CAP) * PHRASE_WEIGHT + Math.min(body.length, BODY_CAP);
    out.push({ section, count: found.length, score, snippet: snippetAt(section.text, body.length > 0 ? body : found, terms.length, context) });
  }
  return out.map((m, k) => ({ m, k })).sort((a, b) => b.m.score - a.m.score || a.k - b.k).map((x) => x.m);
}

/** A one-line excerpt around the hit that has the most different query words within `context` characters after it. */
function snippetAt(text: string, found: readonly Hit[], terms: number, context: number): string {
  let best = found[0]!;
  let most = 0;
  for (const h of found) {
    const near = termsIn(found.filter((o) => o.index >= h.index && o.index <= h.index + context));
    if (near > most) [best, most] = [h, near];
    if (most === terms) break;
  }
  // Whole words at both ends: from the first word start after the cut, up to the last word end before it.
  let from = Math.max(0, best.index - context);
  const wordStart = from > 0 ? text.slice(from, best.index).search(/(?<=\s)\S/u) : -1;
  if (wordStart >= 0) from += wordStart;
  let to = Math.min(text.length, best.end + context);
  if (to < text.length) to = best.end + Math.max(0, text.slice(best.end, to).search(/\S*$/u) - 1);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < text.length ? '…' : ''}`;
}
