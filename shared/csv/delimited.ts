/**
 * Delimited text as other programs write it, read through csv-parse (a maintained CSV parser, in
 * its self-contained browser build so the renderer and the Node side read a file the same way):
 * a comma, a semicolon or a tab between fields, fields quoted with " (a quote inside doubled),
 * CRLF, LF or CR (all read as LF, inside quoted fields too), a byte-order mark, '#' comment lines and blank lines skipped — and a decimal comma
 * (`0,5`), as spreadsheets write numbers in much of Europe next to a semicolon or a tab.
 *
 * sniffDialect guesses the delimiter (the candidate that splits the first lines into the most
 * fields, consistently) and the decimal mark (a comma when the delimiter is not one and numbers
 * such as `1,5` appear with none such as `1.5`). A person can override both (the fit page's
 * column-mapping step; `workbench fit --delimiter/--decimal`).
 */
import { parse } from 'csv-parse/browser/esm/sync';

export type Delimiter = ',' | ';' | '\t';
export type DecimalMark = '.' | ',';

export interface Dialect {
  delimiter: Delimiter;
  decimal: DecimalMark;
}

export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

export interface DelimitedRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

export interface DelimitedError {
  line: number;
  /** 1-based number of the field in its record. */
  field: number;
  message: string;
}

export type DelimitedResult = { ok: true; dialect: Dialect; records: DelimitedRecord[] } | { ok: false; dialect: Dialect; error: DelimitedError };

/** The longest record accepted, in characters (ours): a trace row is under a hundred. */
export const MAX_RECORD_CHARS = 1024 * 1024;

interface ParsedRow {
  record: string[];
  /** The line the record ends on. */
  info: { lines: number };
}

const MESSAGES: Readonly<Record<string, string>> = {
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field; quote the whole field and write the quote twice ("")',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote; quote the whole field and write a quote inside it twice ("")',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (add the closing ")',
  CSV_MAX_RECORD_SIZE: `a record longer than ${MAX_RECORD_CHARS} characters`,
};

/** CRLF and a lone CR become LF first (csv-parse counts a CRLF inside a quoted field as two lines). */
function rows(text: string, delimiter: Delimiter, toLine?: number): ParsedRow[] {
  return parse(text.replace(/\r\n?/g, '\n'), {
    delimiter,
    info: true,
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    comment: '#',
    comment_no_infix: true,
    max_record_size: MAX_RECORD_CHARS,
    ...(toLine === undefined ? {} : { to_line: toLine }),
  }) as unknown as ParsedRow[];
}

function lineBreaks(text: string): number {
  let n = 0;
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}

/** Every record of the text in the dialect given (or the one sniffed), or the first syntax error at its line and field. */
export function readDelimited(text: string, dialect: Partial<Dialect> = {}): DelimitedResult {
  const sniffed = dialect.delimiter === undefined || dialect.decimal === undefined ? sniffDialect(text) : null;
  const chosen: Dialect = { delimiter: dialect.delimiter ?? sniffed!.delimiter, decimal: dialect.decimal ?? (dialect.delimiter === ',' ? '.' : sniffed!.decimal) };
  try {
    // A record ends on info.lines; it started as many lines earlier as its quoted fields hold line breaks.
    const records = rows(text, chosen.delimiter).map((r) => ({ line: r.info.lines - r.record.reduce((n, f) => n + lineBreaks(f), 0), fields: r.record }));
    return { ok: true, dialect: chosen, records };
  } catch (e) {
    const err = e as { code?: string; lines?: number; column?: number; message?: string };
    const message = (err.code !== undefined && MESSAGES[err.code]) || String(err.message ?? e);
    return { ok: false, dialect: chosen, error: { line: err.lines ?? 0, field: typeof err.column === 'number' ? err.column + 1 : 1, message } };
  }
}

const DECIMAL_COMMA = /^[+-]?\d+,\d+(?:[eE][+-]?\d+)?$/;
const DECIMAL_POINT = /^[+-]?\d+\.\d+(?:[eE][+-]?\d+)?$/;

/** The delimiter and decimal mark of a text, from its first 50 lines. */
export function sniffDialect(text: string): Dialect {
  let best: { delimiter: Delimiter; score: number; fields: string[][] } = { delimiter: ',', score: -1, fields: [] };
  for (const delimiter of DELIMITERS) {
    let sample: string[][];
    try {
      sample = rows(text, delimiter, 50).map((r) => r.record);
    } catch {
      continue;
    }
    if (sample.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of sample) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let modal = 1;
    let most = 0;
    for (const [n, k] of counts) if (k > most || (k === most && n > modal)) [modal, most] = [n, k];
    const score = modal > 1 ? modal * (most / sample.length) : 0;
    if (score > best.score) best = { delimiter, score, fields: sample };
  }
  let commas = 0;
  let points = 0;
  if (best.delimiter !== ',') {
    for (const r of best.fields)
      for (const f of r) {
        const cell = f.trim();
        if (DECIMAL_COMMA.test(cell)) commas++;
        else if (DECIMAL_POINT.test(cell)) points++;
      }
  }
  return { delimiter: best.delimiter, decimal: commas > 0 && points === 0 ? ',' : '.' };
}

const NUMBER_POINT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_COMMA = /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/;

/** A number written with the decimal mark given (no thousands separators), or undefined. */
export function parseDecimal(cell: string, decimal: DecimalMark = '.'): number | undefined {
  if (decimal === '.') return NUMBER_POINT.test(cell) ? Number(cell) : undefined;
  return NUMBER_COMMA.test(cell) ? Number(cell.replace(',', '.')) : undefined;
}
