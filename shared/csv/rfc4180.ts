/**
 * Comma-separated text as RFC 4180 defines it: fields separated by commas, records by CRLF or LF
 * (a lone CR too), a field that holds a comma, a quote or a line break is quoted, and a quote
 * inside a quoted field is doubled. The reader is strict — a quote in the middle of an unquoted
 * field, text after a closing quote, a quote left open — and names the line and column of each
 * problem, so a person can find it in an editor. The writer (csvField, csvRecord) is its inverse.
 *
 * One extension, for files other programs wrote: with `comment: '#'`, a line that starts with the
 * character (outside any quoted field) is skipped, and blank lines are skipped as well.
 */
export interface CsvRecord {
  /** 1-based line of the text the record starts on. */
  line: number;
  fields: string[];
  /** 1-based character column where each field starts on its line (for messages). */
  columns: number[];
}

export interface CsvSyntaxError {
  line: number;
  /** 1-based character column on that line. */
  column: number;
  /** 1-based number of the field in its record. */
  field: number;
  message: string;
}

export type CsvParseResult = { ok: true; records: CsvRecord[] } | { ok: false; error: CsvSyntaxError };

export interface CsvReadOptions {
  /** Skip lines that start with this character, and blank lines. Default: none (RFC 4180 as is). */
  comment?: string;
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Parses the whole text; the first syntax error stops it. A leading byte-order mark is ignored. */
export function parseCsv(text: string, options: CsvReadOptions = {}): CsvParseResult {
  const records: CsvRecord[] = [];
  const error = readCsv(text, options, (r) => void records.push(r));
  return error === null ? { ok: true, records } : { ok: false, error };
}

/**
 * Hands each record to `onRecord` as it is read (nothing is kept), until the end, the first syntax
 * error (returned), or `onRecord` returning false.
 */
export function readCsv(text: string, options: CsvReadOptions, onRecord: (record: CsvRecord) => boolean | void): CsvSyntaxError | null {
  const comment = options.comment;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = pos === 1 ? 1 : 0;
  const n = text.length;

  const endOfLine = (at: number): number => (text[at] === '\r' && text[at + 1] === '\n' ? 2 : text[at] === '\r' || text[at] === '\n' ? 1 : 0);

  while (pos < n) {
    // Skipped lines: comments and, with comments on, blank lines.
    if (comment !== undefined) {
      const eol = endOfLine(pos);
      if (eol > 0) {
        pos += eol;
        line++;
        lineStart = pos;
        continue;
      }
      if (text.startsWith(comment, pos)) {
        while (pos < n && endOfLine(pos) === 0) pos++;
        pos += endOfLine(pos);
        line++;
        lineStart = pos;
        continue;
      }
    }
    const record: CsvRecord = { line, fields: [], columns: [] };
    for (;;) {
      const field = record.fields.length + 1;
      const column = pos - lineStart + 1;
      record.columns.push(column);
      if (text[pos] === '"') {
        const open = { line, column };
        pos++;
        let value = '';
        for (;;) {
          if (pos >= n) return fail(open.line, open.column, field, `a quoted field opened here is never closed (add the closing ")`);
          const c = text[pos]!;
          if (c === '"') {
            if (text[pos + 1] === '"') {
              value += '"';
              pos += 2;
              continue;
            }
            pos++;
            break;
          }
          const eol = endOfLine(pos);
          if (eol > 0) {
            value += text.slice(pos, pos + eol);
            pos += eol;
            line++;
            lineStart = pos;
            continue;
          }
          value += c;
          pos++;
        }
        if (pos < n && text[pos] !== ',' && endOfLine(pos) === 0) {
          return fail(line, pos - lineStart + 1, field, `text after the closing quote of a quoted field (${JSON.stringify(text[pos])}); a quote inside a field is written twice ("")`);
        }
        record.fields.push(value);
      } else {
        const start = pos;
        // The hot loop of a large file: character codes, no calls.
        for (; pos < n; pos++) {
          const c = text.charCodeAt(pos);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) return fail(line, pos - lineStart + 1, field, 'a quote inside an unquoted field; quote the whole field and write the quote twice ("")');
        }
        record.fields.push(text.slice(start, pos));
      }
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      const eol = endOfLine(pos);
      pos += eol;
      if (eol > 0) {
        line++;
        lineStart = pos;
      }
      break;
    }
    if (onRecord(record) === false) return null;
  }
  return null;
}

function fail(line: number, column: number, field: number, message: string): CsvSyntaxError {
  return { line, column, field, message };
}

/** A field as RFC 4180 writes it: quoted when it holds a comma, a quote, a line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record, without its line break. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}
