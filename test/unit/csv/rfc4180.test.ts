import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, parseCsv } from '../../../shared/csv/rfc4180';

const fieldsOf = (text: string, comment?: string) => {
  const r = parseCsv(text, comment === undefined ? {} : { comment });
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.column}: ${r.error.message}`);
  return r.records.map((x) => x.fields);
};

describe('RFC 4180 reading and writing', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and says where each record starts', () => {
    const r = parseCsv('a,"b,c","d ""e""\r\nf"\r\n1,,3\n\uFEFF');
    expect(r.ok && r.records).toEqual([
      { line: 1, fields: ['a', 'b,c', 'd "e"\r\nf'], columns: [1, 3, 9] },
      { line: 3, fields: ['1', '', '3'], columns: [1, 3, 4] },
      { line: 4, fields: ['\uFEFF'], columns: [1] },
    ]);
    expect(fieldsOf('\uFEFFt,v\n1,2')).toEqual([
      ['t', 'v'],
      ['1', '2'],
    ]);
    // As RFC 4180 has it, an empty line is a record of one empty field; a trailing line break ends the last record.
    expect(fieldsOf('a\n\nb\n')).toEqual([['a'], [''], ['b']]);
  });

  it('skips # lines and blank lines only when asked to', () => {
    expect(fieldsOf('# run 1\n\nt,v\r\n# more\n1,2\n', '#')).toEqual([
      ['t', 'v'],
      ['1', '2'],
    ]);
    expect(fieldsOf('x,"# not a comment"\n', '#')).toEqual([['x', '# not a comment']]);
  });

  it('refuses a stray quote, text after a closing quote and an open quote, naming line, column and field', () => {
    expect(parseCsv('t,v\n1,2"3\n')).toEqual({
      ok: false,
      error: { line: 2, column: 4, field: 2, message: 'a quote inside an unquoted field; quote the whole field and write the quote twice ("")' },
    });
    expect(parseCsv('t,v\n"1"x,2\n')).toMatchObject({ ok: false, error: { line: 2, column: 4, field: 1 } });
    expect(parseCsv('t,v\n1,"2\n3\n')).toMatchObject({ ok: false, error: { line: 2, column: 3, field: 2, message: expect.stringContaining('never closed') } });
  });

  const text = fc.string({ unit: fc.constantFrom('a', 'Z', '1', '.', ',', '"', '\n', '\r', ' ', '#', 'µ', '\t') , maxLength: 12 });
  const records = fc.array(fc.array(text, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });

  it('reads back exactly what csvRecord wrote, for any fields', () => {
    fc.assert(
      fc.property(records, fc.constantFrom('\n', '\r\n'), (rows, eol) => {
        const written = rows.map(csvRecord).join(eol) + eol;
        expect(fieldsOf(written)).toEqual(rows);
      }),
      { numRuns: 500 },
    );
  });

  it('quotes a field only when it has to', () => {
    fc.assert(
      fc.property(text, (s) => {
        const quoted = csvField(s).startsWith('"');
        expect(quoted).toBe(/[",\r\n]|^\s|\s$/.test(s));
      }),
    );
  });

  it('never throws on garbage, and every error is at a place in the text', () => {
    fc.assert(
      fc.property(fc.oneof(text, fc.string(), fc.string({ unit: 'binary' })), fc.boolean(), (input, comments) => {
        const r = parseCsv(input, comments ? { comment: '#' } : {});
        if (r.ok) return;
        const lines = input.split(/\r\n|\r|\n/);
        expect(r.error.line).toBeGreaterThanOrEqual(1);
        expect(r.error.line).toBeLessThanOrEqual(lines.length);
        expect(r.error.column).toBeGreaterThanOrEqual(1);
        expect(r.error.column).toBeLessThanOrEqual(lines[r.error.line - 1]!.length + 1);
        expect(r.error.field).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });
});
