/**
 * The workbench's own Parquet writer (electron/services/files/parquet) against an independent
 * reader: whatever columns it is given — every type it writes, nullable or not, of any length
 * (none, one row, across row-group boundaries), with NaN, ±Infinity and −0, 64-bit extremes,
 * any Unicode — DuckDB reads back the same values, row for row, and the key-value metadata.
 * Each encoding the writer picks (PLAIN, dictionaries, DELTA_BINARY_PACKED, RLE runs and
 * bit-packing) is reached: the generators mix few-valued and wide-ranging data.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetWriter, type ColumnData, type ParquetColumn, type ParquetColumnType } from '../../../electron/services/files/parquet/writer';
import { tempDirs } from '../../fixtures/temp-dirs';

const tempDir = tempDirs('wb-parquet-writer-');

let instance: DuckDBInstance;
let duck: DuckDBConnection;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  duck = await instance.connect();
});
afterAll(() => {
  duck.closeSync();
  instance.closeSync();
});

type Value = number | bigint | boolean | string | null;

interface GeneratedColumn {
  column: ParquetColumn;
  /** The rows' values (null: a null row). */
  values: Value[];
  /** An int64 column given as a Float64Array (when every value is a safe integer), not a BigInt64Array. */
  asDoubles: boolean;
}

/** Doubles: any (NaN, ±Infinity, −0, subnormals) or a few repeated (a dictionary's case). */
const doubles = (n: number) =>
  fc.oneof(
    fc.array(fc.double(), { minLength: n, maxLength: n }),
    fc.array(fc.constantFrom(0.1, 1.2, -0, 0, Number.NaN, Infinity, -Infinity, 5e-324), { minLength: n, maxLength: n }),
  );
const int32s = (n: number) =>
  fc.oneof(
    fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }),
    fc.integer({ min: -5, max: 5 }).chain((step) => fc.integer().map((start) => Array.from({ length: n }, (_, k) => ((start + step * Math.floor(k / 3)) | 0)))),
  );
const int64s = (n: number) =>
  fc.oneof(
    fc.array(fc.bigInt(-(2n ** 63n), 2n ** 63n - 1n), { minLength: n, maxLength: n }),
    fc.array(fc.bigInt(-(2n ** 52n), -(2n ** 52n) + 3n), { minLength: n, maxLength: n }),
    fc.array(fc.bigInt(2n ** 52n - 1n, 2n ** 52n + 1n), { minLength: n, maxLength: n }),
    fc.array(fc.bigInt(0n, 2n), { minLength: n, maxLength: n }).map((steps) => {
      let sum = 0n;
      return steps.map((s) => (sum += s));
    }),
  );
const strings = (n: number) =>
  fc.oneof(
    fc.array(fc.string({ unit: 'grapheme', maxLength: 12 }), { minLength: n, maxLength: n }),
    fc.array(fc.constantFrom('read', 'pulse', '', 'Ω µA ✓', '𝄞'), { minLength: n, maxLength: n }),
  );
const VALUES: Record<ParquetColumnType, (n: number) => fc.Arbitrary<Value[]>> = {
  double: doubles,
  int32: int32s,
  int64: int64s,
  boolean: (n) => fc.array(fc.boolean(), { minLength: n, maxLength: n }),
  string: strings,
};

const column = (n: number, name: string): fc.Arbitrary<GeneratedColumn> =>
  fc
    .record({ type: fc.constantFrom<ParquetColumnType>('double', 'int32', 'int64', 'boolean', 'string'), optional: fc.boolean(), nullRate: fc.constantFrom(0, 0.1, 0.5, 1), asDoubles: fc.boolean() })
    .chain(({ type, optional, nullRate, asDoubles }) =>
      fc.tuple(VALUES[type](n), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n })).map(([values, dice]) => ({
        asDoubles,
        column: { name, type, optional },
        values: values.map((v, k) => (optional && dice[k]! < nullRate ? null : v)),
      })),
    );

/** A table: its row count (often past a row-group boundary), its columns, and the row-group sizes it is written in. */
const table = fc
  .record({ rows: fc.oneof(fc.nat(12), fc.integer({ min: 120, max: 700 })), width: fc.integer({ min: 1, max: 5 }), groupRows: fc.integer({ min: 1, max: 300 }) })
  .chain(({ rows, width, groupRows }) =>
    fc.record({
      rows: fc.constant(rows),
      groupRows: fc.constant(groupRows),
      columns: fc.tuple(...Array.from({ length: width }, (_, k) => column(rows, k === 1 ? 'naïve µ列' : `c${k}`))),
    }),
  );

/** The writer's input for rows [from, to) of a generated column: typed arrays (longer than needed), presence flags. */
function chunk({ column: c, values, asDoubles }: GeneratedColumn, from: number, to: number): ColumnData {
  const rows = values.slice(from, to);
  const present = c.optional ? Uint8Array.from(rows, (v) => (v === null ? 0 : 1)) : undefined;
  const extra = 2; // the writer takes the first `rows` values and ignores the rest
  switch (c.type) {
    case 'double':
      return { values: Float64Array.from([...rows, 9, 9], (v) => (v === null ? 12345 : (v as number))), present };
    case 'int32':
      return { values: Int32Array.from([...rows, 9, 9], (v) => (v === null ? 12345 : (v as number))), present };
    case 'int64': {
      const safe = rows.every((v) => v === null || ((v as bigint) <= BigInt(Number.MAX_SAFE_INTEGER) && (v as bigint) >= -BigInt(Number.MAX_SAFE_INTEGER)));
      // A null row's double is never looked at: NaN there must not be refused.
      if (asDoubles && safe) return { values: Float64Array.from([...rows, 9n, 9n], (v) => (v === null ? Number.NaN : Number(v))), present };
      return { values: BigInt64Array.from([...rows, 9n, 9n], (v) => (v === null ? 12345n : (v as bigint))), present };
    }
    case 'boolean':
      return { values: Uint8Array.from([...rows, true, true], (v) => (v === true ? 1 : 0)), present };
    case 'string': {
      const dictionary = [...new Set(rows.filter((v) => v !== null) as string[])];
      const indices = new Int32Array(rows.length + extra).fill(0);
      rows.forEach((v, k) => (indices[k] = v === null ? -7 : dictionary.indexOf(v as string)));
      return { values: { dictionary, indices }, present };
    }
  }
}

let files = 0;

describe('the workbench Parquet writer, read back by DuckDB', () => {
  it('gives back every value of any columns, row groups and metadata', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(table, fc.dictionary(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 30 }), { maxKeys: 3 }), async (t, kv) => {
        const file = path.join(dir, `t${files++}.parquet`);
        const writer = ParquetWriter.create(
          file,
          t.columns.map((c) => c.column),
        );
        for (let from = 0; from < t.rows; from += t.groupRows) {
          const to = Math.min(t.rows, from + t.groupRows);
          writer.writeRowGroup(
            to - from,
            t.columns.map((c) => chunk(c, from, to)),
          );
        }
        writer.finish(kv, 'workbench test');
        const result = await duck.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
        const rows = result.getRowsJS();
        expect(rows.length).toBe(t.rows);
        expect(result.columnNames()).toEqual(t.columns.map((c) => c.column.name));
        t.columns.forEach((c, j) => {
          const got = rows.map((r) => r[j] as Value);
          // Object.is: NaN equals NaN, −0 is not 0.
          got.forEach((v, k) => {
            if (!Object.is(v, c.values[k])) expect({ column: c.column.name, row: k, value: v }).toEqual({ column: c.column.name, row: k, value: c.values[k] });
          });
        });
        const meta = (await duck.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${file}')`)).getRowObjectsJS();
        expect(Object.fromEntries(meta.map((m) => [m.key, m.value]))).toEqual(kv);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses what it cannot write faithfully, and a file abandoned or refused leaves nothing behind', () => {
    const dir = tempDir();
    const columns: ParquetColumn[] = [
      { name: 'x', type: 'double', optional: false },
      { name: 's', type: 'string', optional: true },
    ];
    const w = ParquetWriter.create(path.join(dir, 'a.parquet'), columns);
    const s = { dictionary: ['a'], indices: new Int32Array([0, 0]) };
    expect(() => w.writeRowGroup(2, [{ values: new Float64Array(2), present: new Uint8Array([1, 0]) }, { values: s }])).toThrow('required');
    expect(() => w.writeRowGroup(2, [{ values: new Int32Array(2) }, { values: s }])).toThrow('Float64Array');
    expect(() => w.writeRowGroup(2, [{ values: new Float64Array(2) }, { values: { dictionary: ['a'], indices: new Int32Array([0, 1]) } }])).toThrow('outside its dictionary');
    expect(() => w.writeRowGroup(3, [{ values: new Float64Array(2) }, { values: s }])).toThrow('2 values for 3 rows');
    // int64 as doubles: only safe integers.
    const counts = ParquetWriter.create(path.join(dir, 'n.parquet'), [{ name: 'n', type: 'int64', optional: false }]);
    for (const bad of [1.5, Number.NaN, Infinity, 2 ** 53]) expect(() => counts.writeRowGroup(2, [{ values: Float64Array.of(0, bad) }])).toThrow(`${bad} at 1 is not a safe integer`);
    expect(() => counts.writeRowGroup(1, [{ values: new Int32Array(1) }])).toThrow('needs a BigInt64Array or a Float64Array of safe integers');
    counts.abort();
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
    // A target that appears while the file is written is never replaced.
    writeFileSync(path.join(dir, 'b.parquet'), 'theirs');
    const late = ParquetWriter.create(path.join(dir, 'b.parquet'), columns);
    late.writeRowGroup(2, [{ values: new Float64Array(2) }, { values: s }]);
    expect(() => late.finish({}, 'test')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readdirSync(dir)).toEqual(['b.parquet']);
    expect(() => ParquetWriter.create(path.join(dir, 'no such folder', 'c.parquet'), columns)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
