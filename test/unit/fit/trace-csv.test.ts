import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTraceCsv, formatTraceCsvError, parseTraceCsv, type MeasuredTrace, type ReadEvent } from '../../../shared/fit';

function errorsOf(text: string, options = {}): { line: number; message: string }[] {
  const result = parseTraceCsv(text, options);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('parseTraceCsv', () => {
  it('reads headerless rows with comments, 0/1 kinds and i or g', () => {
    const text = ['# device: cell 3', '', '0,0.1,1e-6,,read', '1,2,,,pulse,0.01', '1.5,0.1,,9.4e-6,0', '2,2,,,1,0.02', '3,0.1,9e-7,,read'].join('\n');
    const result = parseTraceCsv(text);
    expect(result).toEqual({
      ok: true,
      trace: {
        pulses: [
          { t: 1, v: 2, width: 0.01 },
          { t: 2, v: 2, width: 0.02 },
        ],
        reads: [
          { t: 0, v: 0.1, i: 1e-6 },
          { t: 1.5, v: 0.1, g: 9.4e-6 },
          { t: 3, v: 0.1, i: 9e-7 },
        ],
      },
    });
  });

  it('reads a header in any order, with units in parentheses and CRLF line ends', () => {
    const text = 'kind,t (s),v (V),g (S),width (s)\r\nread,0,0.1,1e-5,\r\npulse,1,2,,0.01\r\n';
    const result = parseTraceCsv(text);
    expect(result.ok && result.trace).toEqual({ pulses: [{ t: 1, v: 2, width: 0.01 }], reads: [{ t: 0, v: 0.1, g: 1e-5 }] });
  });

  it('uses a default pulse width only when asked to', () => {
    const text = 't,v,i,g,kind\n0,2,,,pulse\n1,0.1,1e-6,,read';
    expect(errorsOf(text)).toEqual([{ line: 2, message: 'a pulse needs a width: add a width column or give a default pulse width' }]);
    const result = parseTraceCsv(text, { pulseWidth: 0.01 });
    expect(result.ok && result.trace.pulses).toEqual([{ t: 0, v: 2, width: 0.01 }]);
  });

  it('names the line and column of every malformed row', () => {
    const text = ['t,v,i,g,kind,width', '0,0.1,1e-6,,read,', 'x,0.1,1e-6,,read,', '2,0.1,,,read,', '3,2,,,zap,0.01', '4,2,,,pulse', '1,0.1,1e-6,,read,', '5,0,1e-6,,read,'].join('\n');
    const errors = errorsOf(text);
    expect(errors).toEqual([
      { line: 3, column: 1, columnName: 't', message: 't must be a number of seconds (got "x")' },
      { line: 4, column: 4, columnName: 'g', message: 'a read needs g or i' },
      { line: 5, column: 5, columnName: 'kind', message: 'kind must be read or pulse (or 0 or 1) (got "zap")' },
      { line: 6, message: 'expected 6 values, as the header on line 1 names, found 5' },
      { line: 7, column: 1, columnName: 't', message: 't = 1 s is earlier than t = 3 s on line 5: rows must be in time order' },
      { line: 8, column: 4, columnName: 'g', message: 'a read without g needs a non-zero v to compute g = i/v' },
    ]);
    expect(errors.map(formatTraceCsvError)[0]).toBe('line 3, column 1 (t): t must be a number of seconds (got "x")');
    expect(formatTraceCsvError(errors[3]!)).toBe('line 6: expected 6 values, as the header on line 1 names, found 5');
  });

  it('reads the workbench export: units after an underscore, quoted fields, unknown columns ignored by name', () => {
    const text = [
      't_s,v_V,i_A,g_S,kind,width_s,pulse,cycle,block,"note, free"',
      '0,0.1,1e-6,0.00001,read,,0,1,0,"a ""quoted"", text"',
      '0.001,2,2e-5,0.00001,pulse,0.01,1,1,1,',
      '0.011,0.1,9e-7,0.000009,read,,1,1,1,"over',
      'two lines"',
    ].join('\r\n');
    expect(parseTraceCsv(text)).toEqual({
      ok: true,
      trace: {
        pulses: [{ t: 0.001, v: 2, width: 0.01 }],
        reads: [
          { t: 0, v: 0.1, i: 1e-6, g: 0.00001 },
          { t: 0.011, v: 0.1, i: 9e-7, g: 0.000009 },
        ],
      },
    });
    // A unit that is not the column's own is not its name: t_V is an unknown column, so t is missing.
    expect(errorsOf('t_V,v_V,g_S,kind\n0,0.1,1e-5,read')[0]!.message).toMatch(/^the header lacks the required column t \(found: t_V, v_V, g_S, kind;/);
  });

  it('says where a quote breaks the CSV: line and column', () => {
    const unquoted = errorsOf('t,v,g,kind\n0,0.1,1e-5,read\n1,0.1,1e"-5,read');
    expect(unquoted).toEqual([{ line: 3, column: 3, columnName: 'g', message: 'a quote inside an unquoted field; quote the whole field and write the quote twice ("")' }]);
    // csv-parse finds an unclosed quote at the end of the text.
    const open = errorsOf('t,v,g,kind\n0,0.1,1e-5,read\n1,0.1,"1e-5,read\n2,0.1,1e-5,read');
    expect(open).toEqual([{ line: 4, column: 3, columnName: 'g', message: 'a quoted field is never closed (add the closing ")' }]);
    expect(formatTraceCsvError(open[0]!)).toBe('line 4, column 3 (g): a quoted field is never closed (add the closing ")');
    const after = errorsOf('t,v,g,kind\n0,0.1,"1e-5"x,read');
    expect(after[0]).toMatchObject({ line: 2, column: 3, message: expect.stringContaining('text after a closing quote') });
  });

  it('rejects a header with missing or repeated columns, and an empty trace', () => {
    expect(errorsOf('t,v,current,colour\n0,0.1,1e-6,red')[0]).toEqual({
      line: 1,
      message: 'the header lacks the required column kind (found: t, v, current, colour; the columns are t, v, i, g, kind[, width] — units as t (s) or t_s — and others are ignored)',
    });
    expect(errorsOf('t,v,i\n0,0.1,1e-6')[0]!.message).toMatch(/^the header lacks the required column kind /);
    expect(errorsOf('time,voltage\n0,0.1')[0]!.message).toMatch(/^the header lacks the required column kind /);
    expect(errorsOf('t,v,kind\n0,0.1,read')[0]!.message).toMatch(/^the header needs an i or a g column for the reads /);
    expect(errorsOf('t_s,time,v,g,kind\n0,0,0.1,1e-5,read')[0]!.message).toBe('columns 1 (t_s) and 2 (time) both name t');
    expect(errorsOf('# nothing here\n\n')[0]).toEqual({ line: 0, message: 'the trace has no data rows' });
  });

  const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((x) => (Object.is(x, -0) ? 0 : x));
  const positive = fc.double({ noNaN: true, min: 1e-9, max: 10 });
  const traceArb: fc.Arbitrary<MeasuredTrace> = fc
    .tuple(
      fc.array(fc.record({ t: fc.nat(1e6), v: finite, width: positive }), { maxLength: 20 }),
      fc.array(
        fc.record(
          { t: fc.nat(1e6), v: finite.filter((v) => v !== 0), i: finite, g: finite },
          { requiredKeys: ['t', 'v', 'i'] },
        ),
        { maxLength: 20 },
      ),
    )
    .filter(([p, r]) => p.length + r.length > 0)
    .map(([pulses, reads]) => ({
      pulses: pulses.map((p) => ({ ...p, t: p.t / 1000 })).sort((a, b) => a.t - b.t),
      reads: reads.map((r) => ({ ...r, t: r.t / 1000 }) as ReadEvent).sort((a, b) => a.t - b.t),
    }));

  it('round-trips any trace through formatTraceCsv', () => {
    fc.assert(
      fc.property(traceArb, (trace) => {
        const result = parseTraceCsv(formatTraceCsv(trace, ['generated']));
        expect(result).toEqual({ ok: true, trace });
      }),
    );
  });

  it('never throws on garbage: always a trace or a list of errors with line numbers', () => {
    const cell = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('read', 'pulse', '0', '1', '', '1e-3', '-2', 'NaN', '#', '"1"'));
    const line = fc.oneof(fc.array(cell, { maxLength: 8 }).map((cells) => cells.join(',')), fc.string({ maxLength: 30 }));
    const text = fc.oneof(fc.array(line, { maxLength: 12 }).map((lines) => lines.join('\n')), fc.string(), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(text, fc.option(fc.double(), { nil: undefined }), (input, pulseWidth) => {
        const result = parseTraceCsv(input, pulseWidth === undefined ? {} : { pulseWidth });
        if (result.ok) {
          const all = [...result.trace.pulses, ...result.trace.reads];
          return all.length > 0 && all.every((e) => Number.isFinite(e.t) && Number.isFinite(e.v));
        }
        const lineCount = input.split(/\r\n|\r|\n/).length;
        return (
          result.errors.length > 0 &&
          result.errors.every((e) => Number.isInteger(e.line) && e.line >= 0 && e.line <= lineCount && e.message.length > 0)
        );
      }),
      { numRuns: 1000 },
    );
  });
});
