/** The tidy CSV export: exact decimal times, one header line, a table a strict RFC 4180 reader and the fitter read back. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CSV_HEADER, exactDecimal, exportRun, runToTidyCsv, TIDY_COLUMNS } from '../../../electron/services/runs';
import type { RunDetail } from '../../../electron/services/store';
import { parse } from 'csv-parse/sync';
import { parseTraceCsv } from '../../../shared/fit';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { SampleBuilder, type SampleColumns } from '../../../shared/samples/columns';
import { TestModel } from '../protocol/test-model';

const ID = '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f01';
function runDetail(protocol: unknown, over: Partial<RunDetail> = {}): RunDetail {
  return {
    id: ID,
    experimentId: 'abcdef01-0000-4000-8000-000000000000',
    experimentName: 'Default',
    name: 'Spikes, "seed 1"',
    status: 'completed',
    exitReason: 'the protocol finished',
    deviceKind: 'simulated',
    deviceName: 'intrinsic-gradient',
    protocolName: 'train',
    createdAt: '2025-03-01T10:00:00.000Z',
    startedAt: '2025-03-01T10:00:01.000Z',
    endedAt: '2025-03-01T10:01:41.000Z',
    tags: ['paper'],
    notes: 'two\nlines',
    sampleCount: 0,
    initialG: null,
    finalG: null,
    minG: null,
    updatedAt: '2025-03-01T10:01:41.000Z',
    maxG: null,
    protocol,
    protocolHash: null,
    device: { kind: 'simulated', model: 'intrinsic-gradient', preset: 'intrinsic-gradient', seed: 1 },
    instrumentIdn: null,
    appVersion: '0.1.0',
    host: 'cli@lab',
    owner: null,
    events: [],
    ...over,
  } as RunDetail;
}

const train = { format: 'memristor-workbench/protocol', version: 1, name: 'train', blocks: [{ kind: 'read' }, { kind: 'repeat', times: 3, body: [{ kind: 'train', count: 2, amplitude: '2 V', width: '10 ms', period: '100 ms', read: true }] }] };

function simulated(): SampleColumns {
  const compiled = compileProtocol(train);
  if (!compiled.ok) throw new Error('train does not compile');
  return simulateProtocol(compiled.program, new TestModel());
}

/** Strict parse by csv-parse (RFC 4180, every record as wide as the first, no comment lines allowed). */
function table(text: string): string[][] {
  return parse(text) as string[][];
}

/**
 * The written decimal is within 0.5 ns of the stored value; read back as a double it is within that
 * plus half the double's own spacing there (≤ |x|·2⁻⁵³).
 */
const withinHalfNs = (written: string, x: number) => Math.abs(Number(written) - x) <= 5e-10 + Math.abs(x) * 2 ** -52;

describe('exact decimal times', () => {
  const DECIMAL = /^-?\d+(\.\d*[1-9])?$/;
  it('writes 0.1 + 0.2 as 0.3, and every finite value as at most 9 places within half a nanosecond', () => {
    expect(exactDecimal(0.1 + 0.2)).toBe('0.3');
    expect(exactDecimal(1e-7)).toBe('0.0000001');
    expect(exactDecimal(-0)).toBe('0');
    expect(exactDecimal(-1e-12)).toBe('0');
    expect(exactDecimal(Number.NaN)).toBe('');
    expect(exactDecimal(2592000.1234567891)).toBe('2592000.123456789');
    fc.assert(
      fc.property(fc.double({ min: -(2 ** 22), max: 2 ** 22, noNaN: true }), (x) => {
        const text = exactDecimal(x);
        expect(text).toMatch(DECIMAL);
        expect((text.split('.')[1] ?? '').length).toBeLessThanOrEqual(9);
        expect(withinHalfNs(text, x)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes its shortcut only where it gives the correctly rounded decimal', () => {
    // The definition: the most places, up to 9, whose correctly rounded text reads back to itself.
    const trim = (t: string) => (t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t).replace(/^-0$/, '0');
    const reference = (x: number): string => {
      for (let d = 9; d > 0; d--) {
        const text = trim(x.toFixed(d));
        if (trim(Number(text).toFixed(d)) === text) return text;
      }
      return trim(x.toFixed(0));
    };
    const nice = fc.tuple(fc.integer({ min: -4_000_000_000, max: 4_000_000_000 }), fc.constantFrom(1, 10, 1e3, 1e6, 1e9)).map(([n, d]) => n / d);
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -1e20, max: 1e20, noNaN: true }), nice, nice.map((x) => x + 0.1 + 0.2)), (x) => {
        expect(exactDecimal(x)).toBe(reference(x));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back and writes again to the same text, for any double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = exactDecimal(x);
        expect(exactDecimal(Number(text))).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('writes a sum of protocol times as the decimal sum, whatever binary noise the sum carries', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 50 }), fc.constantFrom(1e-3, 1e-6, 1e-9), (steps, unit) => {
        // Steps in ms, µs or ns, added as doubles the way protocol time adds up.
        const t = steps.reduce((sum, s) => sum + s * unit, 0);
        const exact = BigInt(steps.reduce((a, b) => a + b, 0)) * BigInt(Math.round(unit * 1e9));
        if (t >= 2 ** 22) return;
        const whole = exact / 1_000_000_000n;
        const frac = (exact % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
        expect(exactDecimal(t)).toBe(frac ? `${whole}.${frac}` : `${whole}`);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the tidy CSV', () => {
  it('is one header line and one row per sample, with pulse numbers, cycles and widths', () => {
    const samples = simulated();
    const { csv, sidecar } = runToTidyCsv(runDetail(train), samples, { now: new Date('2025-03-02T00:00:00Z') });
    const rows = table(csv);
    expect(csv.split('\n')[0]).toBe(CSV_HEADER);
    expect(rows[0]).toEqual(['t_s', 'v_V', 'i_A', 'g_S', 'kind', 'width_s', 'pulse', 'cycle', 'block', 'compliance']);
    expect(rows).toHaveLength(samples.length + 1);
    const body = rows.slice(1);
    expect(body.map((r) => r[4])).toEqual(['read', ...Array(3).fill(['pulse', 'read', 'pulse', 'read']).flat()]);
    expect(body.map((r) => Number(r[6]))).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
    expect(body.map((r) => Number(r[7]))).toEqual([0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(body.map((r) => r[5])).toEqual(['', ...Array(6).fill(['0.01', '']).flat()]);
    // Reads end 1 ms after they start: 0.1 + 0.001 and the like, written as decimals.
    expect(body.map((r) => r[0])).toEqual(['0', '0.001', '0.011', '0.101', '0.111', '0.201', '0.211', '0.301', '0.311', '0.401', '0.411', '0.501', '0.511']);
    body.forEach((r, k) => {
      expect(withinHalfNs(r[0]!, samples.t[k]!)).toBe(true);
      expect(Number(r[2])).toBe(samples.i[k]);
      expect(Number(r[3])).toBe(samples.g[k]);
      expect(Number(r[8])).toBe(samples.block[k]);
    });
    const meta = JSON.parse(sidecar) as { format: string; table: { rows: number; header: string; sha256: string }; columns: { name: string; unit: string }[]; run: { id: string; notes: string; createdAt: string }; blocks: unknown[]; replay: { problem: null } };
    expect(meta).toMatchObject({ format: 'memristor-workbench/run-csv-metadata', table: { rows: samples.length, header: CSV_HEADER }, run: { id: ID, notes: 'two\nlines' }, replay: { problem: null } });
    expect(meta.table.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(meta.columns.map((c) => c.unit)).toEqual(['s', 'V', 'A', 'S', '', 's', '', '', '', '']);
    expect(meta.columns).toEqual(TIDY_COLUMNS);
    expect(meta.blocks).toHaveLength(3);
    expect(new Date(meta.run.createdAt).getTime()).toBe(Date.parse('2025-03-01T10:00:00.000Z'));
  });

  it('keeps the old # lines above the header only when asked, and names the sidecar after the CSV', () => {
    const samples = simulated();
    const plain = exportRun(runDetail(train), samples, 'csv');
    expect(plain.filename).toBe('spikes-seed-1-0c9a7e52.csv');
    expect(plain.sidecar?.filename).toBe('spikes-seed-1-0c9a7e52.csv.json');
    expect(plain.text.includes('#')).toBe(false);
    const commented = exportRun(runDetail(train), samples, 'csv', { comments: true }).text;
    const lines = commented.split('\n');
    const header = lines.indexOf(CSV_HEADER);
    expect(header).toBeGreaterThan(20);
    expect(lines.slice(0, header).every((l) => l.startsWith('# '))).toBe(true);
    expect(lines).toContain(`# run_id: ${ID}`);
    expect(lines.slice(header).join('\n')).toBe(plain.text);
    expect(exportRun(runDetail(train), samples, 'json').sidecar).toBeNull();
  });

  it('marks cycles and widths unknown for a run without a protocol, and the fitter then needs a width', () => {
    const samples = simulated();
    const { csv, sidecar } = runToTidyCsv(runDetail(null), samples);
    const body = table(csv).slice(1);
    expect(body.every((r) => r[7] === '-1' && r[5] === '')).toBe(true);
    expect(JSON.parse(sidecar)).toMatchObject({ replay: { matched: 0, problem: 'it has no protocol snapshot' }, blocks: [] });
    const parsed = parseTraceCsv(csv);
    expect(parsed.ok).toBe(false);
    expect(parseTraceCsv(csv, { pulseWidth: 0.01 }).ok).toBe(true);
  });

  const sampleColumns: fc.Arbitrary<SampleColumns> = fc
    .array(
      fc.record({
        dt: fc.double({ min: 0, max: 100, noNaN: true }),
        v: fc.double({ min: -10, max: 10, noNaN: true }),
        i: fc.oneof(fc.double({ noDefaultInfinity: true }), fc.constant(Number.NaN)),
        g: fc.oneof(fc.double({ min: 1e-12, max: 1, noNaN: true }), fc.constant(Number.NaN)),
        kind: fc.constantFrom(0 as const, 1 as const),
        block: fc.integer({ min: -1, max: 5 }),
        compliance: fc.boolean(),
      }),
      { maxLength: 60 },
    )
    .map((rows) => {
      const b = new SampleBuilder(rows.length);
      let t = 0;
      for (const r of rows) b.push((t += r.dt), r.v, r.i, r.g, r.kind, r.block, r.compliance);
      return b.take();
    });

  it('parses back, strictly, to the samples: times and voltages within 0.5 ns / nV, the rest exactly', () => {
    fc.assert(
      fc.property(sampleColumns, (c) => {
        const rows = table(runToTidyCsv(runDetail(null), c).csv);
        expect(rows[0]!.join(',')).toBe(CSV_HEADER);
        expect(rows).toHaveLength(c.length + 1);
        let pulses = 0;
        rows.slice(1).forEach((r, k) => {
          expect(r).toHaveLength(10);
          expect(withinHalfNs(r[0]!, c.t[k]!)).toBe(true);
          expect(withinHalfNs(r[1]!, c.v[k]!)).toBe(true);
          for (const [col, a] of [[2, c.i] as const, [3, c.g] as const]) {
            if (Number.isFinite(a[k]!)) expect(Number(r[col])).toBe(a[k] === 0 ? 0 : a[k]); // -0 is written 0
            else expect(r[col]).toBe('');
          }
          if (c.kind[k] === 1) pulses++;
          expect(r[4]).toBe(c.kind[k] === 1 ? 'pulse' : 'read');
          expect(Number(r[6])).toBe(pulses);
          expect(Number(r[8])).toBe(c.block[k]);
          expect(r[9]).toBe(c.compliance[k] === 1 ? '1' : '0');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('is read by the fitter as the trace it holds', () => {
    fc.assert(
      fc.property(sampleColumns, (c) => {
        const csv = runToTidyCsv(runDetail(null), c).csv;
        const result = parseTraceCsv(csv, { pulseWidth: 0.01 });
        const usable = Array.from({ length: c.length }, (_, k) => k).filter((k) => c.kind[k] === 1 || Number.isFinite(c.g[k]!) || (Number.isFinite(c.i[k]!) && Number(exactDecimal(c.v[k]!)) !== 0));
        if (usable.length < c.length || c.length === 0) return; // a read with neither g nor i is refused, as it should be
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.trace.pulses.length + result.trace.reads.length).toBe(c.length);
        expect(result.trace.pulses.map((p) => p.t)).toEqual(Array.from(c.t).filter((_, k) => c.kind[k] === 1).map((t) => Number(exactDecimal(t))));
        expect(result.trace.reads.map((r) => r.g ?? null)).toEqual(Array.from(c.g).filter((_, k) => c.kind[k] === 0).map((g) => (Number.isFinite(g) ? g : null)));
      }),
      { numRuns: 300 },
    );
  });
});
