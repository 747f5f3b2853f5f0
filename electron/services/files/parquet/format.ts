/**
 * The Parquet structs this writer emits, serialised with the compact protocol. Field ids and enum
 * values are those of apache/parquet-format's parquet.thrift; only the fields the writer fills are
 * here (every required one, and the optional offsets, statistics and logical types readers use).
 */
import { CompactWriter } from './thrift-compact';

export const MAGIC = Buffer.from('PAR1', 'ascii');

/** parquet.thrift `Type`. */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, DOUBLE: 5, BYTE_ARRAY: 6 } as const;
/** `FieldRepetitionType`. */
const Repetition = { REQUIRED: 0, OPTIONAL: 1 } as const;
/** `Encoding`. */
export const Encoding = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8 } as const;
/** `PageType`. */
const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;
/** `CompressionCodec`: pages are written as they are (the values are doubles, which compress little). */
const UNCOMPRESSED = 0;
/** `ConvertedType.UTF8`, the pre-LogicalType annotation of a string, still read by older readers. */
const CONVERTED_UTF8 = 0;

export interface LeafSchema {
  name: string;
  physicalType: number;
  optional: boolean;
  utf8: boolean;
}

/** A data page (v1) header: `rows` values including nulls, of which `nulls` are null. */
export function dataPageHeader(size: number, rows: number, nulls: number, encoding: number): Buffer {
  return new CompactWriter()
    .i32(1, PageType.DATA_PAGE)
    .i32(2, size)
    .i32(3, size)
    .struct(5, (w) => {
      w.i32(1, rows).i32(2, encoding).i32(3, Encoding.RLE).i32(4, Encoding.RLE);
      w.struct(5, (s) => s.i64(3, nulls));
    })
    .end();
}

/** A dictionary page header: `entries` PLAIN-encoded values. */
export function dictionaryPageHeader(size: number, entries: number): Buffer {
  return new CompactWriter()
    .i32(1, PageType.DICTIONARY_PAGE)
    .i32(2, size)
    .i32(3, size)
    .struct(7, (w) => w.i32(1, entries).i32(2, Encoding.PLAIN))
    .end();
}

/** Where one column's chunk of one row group lies, and how it is written. */
export interface ChunkMeta {
  leaf: LeafSchema;
  encodings: number[];
  values: number;
  nulls: number;
  /** Bytes of the chunk's pages, headers included. */
  size: number;
  dataPageOffset: number;
  dictionaryPageOffset: number | undefined;
}

export interface RowGroupMeta {
  rows: number;
  offset: number;
  size: number;
  chunks: ChunkMeta[];
}

/** The footer's FileMetaData. */
export function fileMetaData(leaves: readonly LeafSchema[], groups: readonly RowGroupMeta[], keyValue: Readonly<Record<string, string>>, createdBy: string): Buffer {
  const w = new CompactWriter();
  w.i32(1, 1);
  w.listStruct(2, [undefined, ...leaves], (s, leaf) => {
    if (leaf === undefined) {
      s.string(4, 'schema').i32(5, leaves.length);
      return;
    }
    s.i32(1, leaf.physicalType).i32(3, leaf.optional ? Repetition.OPTIONAL : Repetition.REQUIRED).string(4, leaf.name);
    if (leaf.utf8) s.i32(6, CONVERTED_UTF8).struct(10, (l) => l.struct(1, () => {}));
  });
  w.i64(3, groups.reduce((n, g) => n + g.rows, 0));
  w.listStruct(4, groups, (g, group) => {
    g.listStruct(1, group.chunks, (c, chunk) => {
      c.i64(2, 0); // file_offset: deprecated, 0 when no ColumnMetaData is written outside the footer
      c.struct(3, (m) => {
        m.i32(1, chunk.leaf.physicalType)
          .listI32(2, chunk.encodings)
          .listString(3, [chunk.leaf.name])
          .i32(4, UNCOMPRESSED)
          .i64(5, chunk.values)
          .i64(6, chunk.size)
          .i64(7, chunk.size)
          .i64(9, chunk.dataPageOffset);
        if (chunk.dictionaryPageOffset !== undefined) m.i64(11, chunk.dictionaryPageOffset);
        m.struct(12, (s) => s.i64(3, chunk.nulls));
      });
    });
    g.i64(2, group.size).i64(3, group.rows).i64(5, group.offset).i64(6, group.size);
  });
  w.listStruct(5, Object.entries(keyValue), (kv, [key, value]) => kv.string(1, key).string(2, value));
  w.string(6, createdBy);
  return w.end();
}
