import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, readDelimited, sniffDialect, type Delimiter } from '../../../shared/csv/delimited';
import { formatTraceCsvError, parseTraceCsv, traceFileLayout } from '../../../shared/fit';

describe('foreign delimited files (csv-parse)', () => {
  it('sniffs comma, semicolon and tab, and a decimal comma beside a semicolon or a tab', () => {
    expect(sniffDialect('t,v,g,kind\n0,0.1,1e-5,read\n')).toEqual({ delimiter: ',', decimal: '.' });
    expect(sniffDialect('t;v;g;kind\n0;0,1;1e-5;read\n1;0,2;2e-5;read\n')).toEqual({ delimiter: ';', decimal: ',' });
    expect(sniffDialect('t\tv\tg\tkind\n0\t0.1\t1e-5\tread\n')).toEqual({ delimiter: '\t', decimal: '.' });
    expect(sniffDialect('Zeit (s)\tSpannung (V)\n0,5\t1,25\n')).toEqual({ delimiter: '\t', decimal: ',' });
    expect(sniffDialect('"a;b",c\n"1;2",3\n').delimiter).toBe(',');
  });

  it('reads quoted fields, CRLF, a byte-order mark and comment lines, each record at the line it starts on', () => {
    const r = readDelimited('\uFEFF# made by a program\r\nname;note\r\n"a";"two\r\nlines; and ""quotes"""\r\n\r\nb;c\r\n');
    expect(r).toEqual({
      ok: true,
      dialect: { delimiter: ';', decimal: '.' },
      records: [
        { line: 2, fields: ['name', 'note'] },
        { line: 3, fields: ['a', 'two\nlines; and "quotes"'] },
        { line: 6, fields: ['b', 'c'] },
      ],
    });
    expect(readDelimited('a,b\n1,2"3\n')).toMatchObject({ ok: false, error: { line: 2, field: 2 } });
  });

  it('parses numbers with the decimal mark given, and nothing else', () => {
    expect(parseDecimal('1,5', ',')).toBe(1.5);
    expect(parseDecimal('-2,5e-3', ',')).toBe(-2.5e-3);
    expect(parseDecimal('1.5', ',')).toBeUndefined();
    expect(parseDecimal('1,5', '.')).toBeUndefined();
    expect(parseDecimal('1.000,5', ',')).toBeUndefined();
    expect(parseDecimal('.5')).toBe(0.5);
  });

  it('the fitter reads a semicolon file with decimal commas, a tab file, and a foreign header through a column mapping', () => {
    const semicolon = 't;v;g;kind;width\n0;0,1;1,5e-5;read;\n1;2;;pulse;0,01\n';
    expect(parseTraceCsv(semicolon)).toEqual({ ok: true, trace: { pulses: [{ t: 1, v: 2, width: 0.01 }], reads: [{ t: 0, v: 0.1, g: 1.5e-5 }] } });
    expect(parseTraceCsv('t\tv\ti\tkind\n0\t0.2\t"2e-6"\tread\n')).toEqual({ ok: true, trace: { pulses: [], reads: [{ t: 0, v: 0.2, i: 2e-6 }] } });
    const foreign = 'Zeit (s);Spannung (V);Leitwert (S);Art\n0;0,1;1e-5;read\n0,5;1,5;;pulse\n';
    const layout = traceFileLayout(foreign);
    expect(layout).toMatchObject({ dialect: { delimiter: ';', decimal: ',' }, header: ['Zeit (s)', 'Spannung (V)', 'Leitwert (S)', 'Art'], known: false, width: 4 });
    expect(layout.preview).toEqual([
      ['0', '0,1', '1e-5', 'read'],
      ['0,5', '1,5', '', 'pulse'],
    ]);
    expect(parseTraceCsv(foreign).ok).toBe(false);
    const mapped = parseTraceCsv(foreign, { columns: { t: 0, v: 1, g: 2, kind: 3 }, pulseWidth: 1e-3 });
    expect(mapped).toEqual({ ok: true, trace: { pulses: [{ t: 0.5, v: 1.5, width: 1e-3 }], reads: [{ t: 0, v: 0.1, g: 1e-5 }] } });
    const bad = parseTraceCsv('a;b;c;d\n0;x;1e-5;read\n', { columns: { t: 0, v: 1, g: 2, kind: 3 } });
    expect(bad.ok === false && formatTraceCsvError(bad.errors[0]!)).toBe('line 2, column 2 (b): v must be a number of volts (got "x")');
    expect(parseTraceCsv('0;1\n', { columns: { t: 0, v: 1 } })).toMatchObject({ ok: false, errors: [{ line: 0, message: expect.stringContaining('the column mapping: the header lacks the required column kind') }] });
  });

  it('property: any trace written in any dialect, fields quoted at random, reads back the same', () => {
    const row = fc.record({
      t: fc.integer({ min: 0, max: 1e6 }).map((x) => x / 1000),
      v: fc.integer({ min: -5000, max: 5000 }).map((x) => x / 1000),
      g: fc.integer({ min: 1, max: 1e6 }).map((x) => x * 1e-9),
      pulse: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 30 }),
        fc.constantFrom<Delimiter>(',', ';', '\t'),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        (rows, delimiter, comma, quoteCols, crlf) => {
          const decimal = comma && delimiter !== ',' ? ',' : '.';
          const num = (x: number) => (decimal === ',' ? String(x).replace('.', ',') : String(x));
          const cell = (text: string, k: number) => (quoteCols[k] ? `"${text.replaceAll('"', '""')}"` : text);
          const sorted = [...rows].sort((a, b) => a.t - b.t);
          const header = ['t', 'v', 'g', 'kind', 'width'].map(cell).join(delimiter);
          const body = sorted.map((r) => [num(r.t), num(r.v), r.pulse ? '' : num(r.g), r.pulse ? 'pulse' : 'read', r.pulse ? num(0.001) : ''].map(cell).join(delimiter));
          const text = [header, ...body].join(crlf ? '\r\n' : '\n');
          const parsed = parseTraceCsv(text, { dialect: { delimiter, decimal } });
          if (!parsed.ok) return false;
          expect(parsed.trace).toEqual({
            pulses: sorted.filter((r) => r.pulse).map((r) => ({ t: r.t, v: r.v, width: 0.001 })),
            reads: sorted.filter((r) => !r.pulse).map((r) => ({ t: r.t, v: r.v, g: r.g })),
          });
          // Sniffed, the delimiter is always found (five columns on every line).
          return readDelimited(text).dialect.delimiter === delimiter;
        },
      ),
    );
  });

  it('property: reading never throws and always names a line', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '1', ',', ';', '\t', '"', '\n', '\r', '#', ' ', '.') }), (text) => {
        const r = readDelimited(text);
        const layout = traceFileLayout(text);
        return (r.ok ? r.records.every((x) => x.line >= 1) : r.error.line >= 0 && r.error.message.length > 0) && layout.width >= 0;
      }),
    );
  });
});
