/**
 * A Parquet file written row group by row group straight from typed arrays, so a selection of any
 * size needs only one row group in memory. Each column chunk is one v1 data page, uncompressed
 * (encodeValues says which encoding each type gets: PLAIN, a dictionary, or DELTA_BINARY_PACKED),
 * after a dictionary page when it has one; nullable columns carry RLE/bit-packed definition levels.
 * A double column without nulls is written from the caller's memory, no copy made.
 *
 * The file grows under a hidden name next to the target (`.<name>.<random>.partial`) and takes the
 * target's name only when complete, by a hard link that fails rather than replace an existing
 * file; so a failed or abandoned write leaves nothing behind and nothing is ever overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { bitWidthOf, encodeHybrid, encodeRepeat } from './rle-hybrid';
import { encodeDeltas } from './delta-binary-packed';
import { doubleDictionary } from './dictionary';
import { WorkBuffers } from './work-buffers';
import { Encoding, MAGIC, PhysicalType, dataPageHeader, dictionaryPageHeader, fileMetaData, type ChunkMeta, type LeafSchema, type RowGroupMeta } from './format';

export type ParquetColumnType = 'boolean' | 'int32' | 'int64' | 'double' | 'string';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  /** May hold nulls (OPTIONAL); else every row has a value (REQUIRED). */
  optional: boolean;
}

/** Strings as a dictionary and, per row, an index into it (how they are written, too). */
export interface StringValues {
  dictionary: readonly string[];
  indices: Uint8Array | Uint16Array | Int32Array | Uint32Array;
}

/**
 * One column's values for a row group: Float64Array (double), Int32Array (int32), BigInt64Array
 * or a Float64Array of safe integers (int64: a counter kept as a double is written without a
 * BigInt per value), Uint8Array of 0/1 (boolean) or StringValues (string); at least `rows` long,
 * the rest ignored. `present`, for an optional column, says which rows have a value (0: null; the value at
 * a null row is ignored); without it every row has one.
 */
export interface ColumnData {
  values: Float64Array | Int32Array | BigInt64Array | Uint8Array | StringValues;
  present?: Uint8Array;
}

const PHYSICAL: Record<ParquetColumnType, number> = {
  boolean: PhysicalType.BOOLEAN,
  int32: PhysicalType.INT32,
  int64: PhysicalType.INT64,
  double: PhysicalType.DOUBLE,
  string: PhysicalType.BYTE_ARRAY,
};

const utf8 = new TextEncoder();


export class ParquetWriter {
  private readonly leaves: LeafSchema[];
  private readonly groups: RowGroupMeta[] = [];
  private offset = 0;
  private fd: number | undefined;
  /** Bytes put but not yet written: a row group goes to the file in one writev, not a write per page part. */
  private pending: Uint8Array[] = [];

  private constructor(
    readonly target: string,
    private readonly partial: string,
    private readonly columns: readonly ParquetColumn[],
    fd: number,
    private readonly work: WorkBuffers,
  ) {
    this.fd = fd;
    this.leaves = columns.map((c) => ({ name: c.name, physicalType: PHYSICAL[c.type], optional: c.optional, utf8: c.type === 'string' }));
  }

  /**
   * Starts a file that will be `target`. Throws the file system's error (ENOENT, ENOTDIR, EACCES…)
   * when its folder cannot take a new file. `work`: the encoders' work arrays, which a caller
   * writing file after file keeps (each call is done with them when it returns), so that their
   * memory is not faulted in afresh for every file.
   */
  static create(target: string, columns: readonly ParquetColumn[], work = new WorkBuffers()): ParquetWriter {
    const names = new Set(columns.map((c) => c.name));
    if (names.size !== columns.length || columns.some((c) => c.name === '')) throw new Error('Parquet columns need distinct, non-empty names');
    const partial = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID().slice(0, 8)}.partial`);
    const writer = new ParquetWriter(target, partial, columns, fs.openSync(partial, 'wx'), work);
    try {
      writer.put(MAGIC);
      writer.flush();
    } catch (e) {
      writer.abort();
      throw e;
    }
    return writer;
  }

  /** Appends a row group of `rows` rows (none: nothing is written); `data` in the columns' order. */
  writeRowGroup(rows: number, data: readonly ColumnData[]): void {
    if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`a row group of ${rows} rows`);
    if (data.length !== this.columns.length) throw new Error(`a row group needs ${this.columns.length} columns, got ${data.length}`);
    if (rows === 0) return;
    const start = this.offset;
    const chunks = this.columns.map((column, k) => this.writeChunk(column, this.leaves[k]!, rows, data[k]!));
    // Before returning: the pending parts include views of the caller's arrays and the work buffers' copies.
    this.flush();
    this.groups.push({ rows, offset: start, size: this.offset - start, chunks });
  }

  /** Writes the footer and gives the file its name; fails (EEXIST) rather than replace a file. */
  finish(keyValue: Readonly<Record<string, string>>, createdBy: string): void {
    try {
      const meta = fileMetaData(this.leaves, this.groups, keyValue, createdBy);
      const tail = Buffer.alloc(8);
      tail.writeUInt32LE(meta.length, 0);
      MAGIC.copy(tail, 4);
      this.put(meta);
      this.put(tail);
      this.flush();
      fs.closeSync(this.fd!);
      this.fd = undefined;
      fs.linkSync(this.partial, this.target);
    } finally {
      this.abort();
    }
  }

  /** Drops the file being written (nothing stays); safe to call more than once, and after finish. */
  abort(): void {
    this.pending = [];
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        // already unusable; the unlink below is what matters
      }
      this.fd = undefined;
    }
    fs.rmSync(this.partial, { force: true });
  }

  private writeChunk(column: ParquetColumn, leaf: LeafSchema, rows: number, data: ColumnData): ChunkMeta {
    const start = this.offset;
    const present = column.optional ? data.present : undefined;
    if (present !== undefined && present.length < rows) throw new Error(`column ${column.name}: ${present.length} presence flags for ${rows} rows`);
    if (!column.optional && data.present !== undefined && countNulls(data.present, rows) > 0) throw new Error(`column ${column.name} is required: it cannot hold nulls`);
    const nulls = present === undefined ? 0 : countNulls(present, rows);
    // v1 data page: the definition levels (length-prefixed), then the values of the non-null rows.
    // Definition levels: 1 a value, 0 a null; a column all values or all nulls is one run.
    const levels = !column.optional
      ? []
      : withLength(nulls === 0 ? encodeRepeat(1, rows, 1) : nulls === rows ? encodeRepeat(0, rows, 1) : encodeHybrid(widened(present!, rows, this.work), rows, 1, this.work));
    const encoded = encodeValues(column, rows, data.values, present, nulls, this.work);
    let dictionaryPageOffset: number | undefined;
    if (encoded.dictionary !== undefined) {
      dictionaryPageOffset = this.offset;
      this.put(dictionaryPageHeader(encoded.dictionary.bytes.length, encoded.dictionary.entries));
      this.put(encoded.dictionary.bytes);
    }
    const size = [...levels, ...encoded.body].reduce((n, b) => n + b.length, 0);
    const dataPageOffset = this.offset;
    this.put(dataPageHeader(size, rows, nulls, encoded.encoding));
    for (const b of levels) this.put(b);
    for (const b of encoded.body) this.put(b);
    const encodings = [...(column.optional ? [Encoding.RLE] : []), ...(encoded.dictionary ? [Encoding.PLAIN] : []), encoded.encoding].filter((e, k, all) => all.indexOf(e) === k);
    return { leaf, encodings, values: rows, nulls, size: this.offset - start, dataPageOffset, dictionaryPageOffset };
  }

  private put(bytes: Uint8Array): void {
    if (this.fd === undefined) throw new Error('the Parquet file is closed');
    if (bytes.length > 0) this.pending.push(bytes);
    this.offset += bytes.length;
  }

  /** Writes the pending parts in one writev; a short write (a full disk, a signal) continues part by part. */
  private flush(): void {
    const parts = this.pending;
    this.pending = [];
    if (this.fd === undefined) throw new Error('the Parquet file is closed');
    let written = parts.length === 0 ? 0 : fs.writevSync(this.fd, parts);
    for (const bytes of parts) {
      const skip = Math.min(written, bytes.length);
      written -= skip;
      for (let done = skip; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    }
  }
}

function countNulls(present: Uint8Array, rows: number): number {
  let nulls = 0;
  for (let k = 0; k < rows; k++) if (present[k] === 0) nulls++;
  return nulls;
}

function withLength(levels: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(levels.length, 0);
  return [length, levels];
}

type Values = Float64Array | Int32Array | Uint32Array | BigInt64Array | Uint8Array | Uint16Array;

/**
 * The first `rows` values without the null rows', in a new `make`; when there are no nulls, a view
 * of the caller's memory (of `values`' own type: the string path widens it after).
 */
function presentValues<T extends Values>(values: Values, rows: number, present: Uint8Array | undefined, nulls: number, make: { new (n: number): T }): T {
  if (values.length < rows) throw new Error(`${values.length} values for ${rows} rows`);
  if (nulls === rows) return new make(0);
  if (present === undefined || nulls === 0) return values.subarray(0, rows) as T;
  const out = new make(rows - nulls) as unknown as { [k: number]: number | bigint };
  let m = 0;
  for (let k = 0; k < rows; k++) if (present[k] !== 0) out[m++] = values[k]!;
  return out as unknown as T;
}

interface EncodedValues {
  /** A dictionary page's PLAIN values, when the data page holds indices into it. */
  dictionary?: { bytes: Buffer; entries: number };
  encoding: number;
  body: Buffer[];
}

/**
 * A chunk's non-null values as a data page body, each type in the encoding that suits it: strings
 * through their dictionary; doubles PLAIN, or through a dictionary when they are a few values
 * repeated; integers DELTA_BINARY_PACKED (their differences, bit-packed), PLAIN when too wide for
 * it; booleans PLAIN (a bit each).
 */
function encodeValues(column: ParquetColumn, rows: number, values: ColumnData['values'], present: Uint8Array | undefined, nulls: number, work: WorkBuffers): EncodedValues {
  if (column.type === 'string') {
    if (!('dictionary' in values)) throw new Error(`column ${column.name}: strings are given as { dictionary, indices }`);
    const kept = widened(presentValues(values.indices, rows, present, nulls, Uint32Array), rows - nulls, work);
    try {
      return dictionaryEncoded(plainStrings(values.dictionary), values.dictionary.length, kept, work);
    } catch (e) {
      throw e instanceof RangeError ? new RangeError(`column ${column.name}: an index is outside its dictionary of ${values.dictionary.length} (${e.message})`) : e;
    }
  }
  const expect = { double: Float64Array, int32: Int32Array, int64: BigInt64Array, boolean: Uint8Array } as const;
  const kind = expect[column.type];
  if (column.type === 'int64' && values instanceof Float64Array) return int64FromDoubles(column, presentValues(values, rows, present, nulls, Float64Array), work);
  if (!(values instanceof kind)) throw new Error(`column ${column.name} (${column.type}) needs a ${kind.name}${column.type === 'int64' ? ' or a Float64Array of safe integers' : ''}`);
  switch (column.type) {
    case 'boolean':
      return { encoding: Encoding.PLAIN, body: [packBooleans(presentValues(values as Uint8Array, rows, present, nulls, Uint8Array))] };
    case 'double': {
      const kept = presentValues(values as Float64Array, rows, present, nulls, Float64Array);
      const dict = doubleDictionary(kept, work);
      if (dict === null) return plain(kept);
      return dictionaryEncoded(Buffer.from(dict.entries.buffer), dict.entries.length, dict.indices, work);
    }
    case 'int32': {
      const kept = presentValues(values as Int32Array, rows, present, nulls, Int32Array);
      const numbers = work.f64(kept.length);
      numbers.set(kept);
      return deltasOrPlain(numbers, kept, work);
    }
    case 'int64': {
      const kept = presentValues(values as BigInt64Array, rows, present, nulls, BigInt64Array);
      // As doubles, exact up to 2^53: no BigInt per value; larger values are written PLAIN.
      const words = new Int32Array(kept.buffer, kept.byteOffset, kept.length * 2);
      const numbers = work.f64(kept.length);
      let exact = true;
      for (let k = 0; k < kept.length; k++) {
        const hi = words[2 * k + 1] as number;
        numbers[k] = hi * 0x1_0000_0000 + ((words[2 * k] as number) >>> 0);
        if (hi >= 0x10_0000 || hi < -0x10_0000) exact = false; // |value| ≥ 2^52
      }
      return exact ? deltasOrPlain(numbers, kept, work) : plain(kept);
    }
  }
}

/** int64 values given as doubles: each must be a safe integer (|x| ≤ 2^53 − 1), else a RangeError names it. */
function int64FromDoubles(column: ParquetColumn, kept: Float64Array, work: WorkBuffers): EncodedValues {
  for (let k = 0; k < kept.length; k++) {
    const x = kept[k] as number;
    // Math.trunc(NaN) and ±∞ − ±∞ are NaN: the comparison fails for them too.
    if (!(x - Math.trunc(x) === 0 && x <= Number.MAX_SAFE_INTEGER && x >= -Number.MAX_SAFE_INTEGER)) throw new RangeError(`column ${column.name}: ${x} at ${k} is not a safe integer`);
  }
  const deltas = encodeDeltas(kept, kept.length, work);
  return deltas !== null ? { encoding: Encoding.DELTA_BINARY_PACKED, body: [deltas] } : plain(BigInt64Array.from(kept, (x) => BigInt(x)));
}

/** The integers (`numbers`, exact doubles of `kept`) DELTA_BINARY_PACKED, or `kept` PLAIN when their steps are too wide for it. */
function deltasOrPlain(numbers: Float64Array, kept: Int32Array | BigInt64Array, work: WorkBuffers): EncodedValues {
  const deltas = encodeDeltas(numbers, numbers.length, work);
  return deltas === null ? plain(kept) : { encoding: Encoding.DELTA_BINARY_PACKED, body: [deltas] };
}

/**
 * The first `n` of `source` as a Uint32Array: a view of its memory when its elements are 32-bit
 * (a negative Int32 becomes too large for any dictionary, and is refused as such), else a work
 * array filled by a native copy.
 */
function widened(source: Uint8Array | Uint16Array | Int32Array | Uint32Array, n: number, work: WorkBuffers): Uint32Array {
  if (source instanceof Uint32Array || source instanceof Int32Array) return new Uint32Array(source.buffer, source.byteOffset, n);
  const out = work.u32(n);
  out.set(source.subarray(0, n));
  return out;
}

/** A dictionary page of `entries` values and a data page of `indices` into it: RLE_DICTIONARY (a RangeError for an index outside). */
function dictionaryEncoded(dictionary: Buffer, entries: number, indices: Uint32Array, work: WorkBuffers): EncodedValues {
  const width = bitWidthOf(entries - 1);
  return { dictionary: { bytes: dictionary, entries }, encoding: Encoding.RLE_DICTIONARY, body: [Buffer.of(width), encodeHybrid(indices, indices.length, width, work, entries)] };
}

function plain(kept: Float64Array | Int32Array | BigInt64Array): EncodedValues {
  return { encoding: Encoding.PLAIN, body: [Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength)] };
}

/** PLAIN booleans: one bit each, least significant first. */
function packBooleans(values: Uint8Array): Buffer {
  const out = Buffer.alloc(Math.ceil(values.length / 8));
  for (let k = 0; k < values.length; k++) if (values[k] !== 0) out[k >> 3]! |= 1 << (k & 7);
  return out;
}

/** PLAIN byte arrays: each a 4-byte little-endian length, then its UTF-8 bytes. */
function plainStrings(strings: readonly string[]): Buffer {
  const encoded = strings.map((s) => utf8.encode(s));
  const out = Buffer.allocUnsafe(encoded.reduce((n, b) => n + 4 + b.length, 0));
  let pos = 0;
  for (const b of encoded) {
    out.writeUInt32LE(b.length, pos);
    out.set(b, pos + 4);
    pos += 4 + b.length;
  }
  return out;
}
