/**
 * Just enough of Thrift's compact protocol to serialise the structs a Parquet file carries
 * (PageHeader, FileMetaData and what they hold): the writer side only, fields written in
 * increasing id order as the caller lists them.
 *
 * Compact protocol, as Apache Thrift defines it: a field is a header byte (the id's delta from the
 * previous field of the same struct in the high nibble when 1…15, else 0 and the id as a zigzag
 * varint after it; the type in the low nibble), then its value. Integers are zigzag varints, binary
 * and strings a varint length then the bytes, a bool field's value is its type (1 true, 2 false),
 * a list a header (size in the high nibble below 15, else 0xF then a varint size; the element type
 * in the low nibble) then its elements, and a struct ends with a 0 byte.
 */

/** Compact-protocol type codes. */
export const CT = { true: 1, false: 2, i32: 5, i64: 6, binary: 8, list: 9, struct: 12 } as const;

const utf8 = new TextEncoder();

export class CompactWriter {
  private buf = Buffer.allocUnsafe(512);
  private pos = 0;
  /** The last field id written in each open struct (innermost last). */
  private lastIds: number[] = [0];

  /** The bytes written so far (a view: valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  i32(id: number, value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`thrift i32 field ${id}: ${value} is not a 32-bit integer`);
    this.field(id, CT.i32);
    this.varint(zigzag(value));
    return this;
  }

  i64(id: number, value: number): this {
    if (!Number.isSafeInteger(value)) throw new RangeError(`thrift i64 field ${id}: ${value} is not a safe integer`);
    this.field(id, CT.i64);
    this.varint(zigzag(value));
    return this;
  }

  bool(id: number, value: boolean): this {
    this.field(id, value ? CT.true : CT.false);
    return this;
  }

  string(id: number, value: string): this {
    this.field(id, CT.binary);
    this.binaryValue(utf8.encode(value));
    return this;
  }

  /** A nested struct: `body` writes its fields. */
  struct(id: number, body: (w: this) => void): this {
    this.field(id, CT.struct);
    this.structValue(body);
    return this;
  }

  listI32(id: number, values: readonly number[]): this {
    this.listHeader(id, CT.i32, values.length);
    for (const v of values) this.varint(zigzag(v));
    return this;
  }

  listString(id: number, values: readonly string[]): this {
    this.listHeader(id, CT.binary, values.length);
    for (const v of values) this.binaryValue(utf8.encode(v));
    return this;
  }

  listStruct<T>(id: number, items: readonly T[], body: (w: this, item: T) => void): this {
    this.listHeader(id, CT.struct, items.length);
    for (const item of items) this.structValue((w) => body(w, item));
    return this;
  }

  /** Ends the top-level struct; the writer's bytes are then one serialised struct. */
  end(): Buffer {
    if (this.lastIds.length !== 1) throw new Error('thrift: a nested struct is still open');
    this.byte(0);
    return this.bytes();
  }

  private structValue(body: (w: this) => void): void {
    this.lastIds.push(0);
    body(this);
    this.lastIds.pop();
    this.byte(0);
  }

  private listHeader(id: number, elementType: number, size: number): void {
    this.field(id, CT.list);
    if (size < 15) this.byte((size << 4) | elementType);
    else {
      this.byte(0xf0 | elementType);
      this.varint(size);
    }
  }

  private field(id: number, type: number): void {
    const top = this.lastIds.length - 1;
    const delta = id - (this.lastIds[top] as number);
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.varint(zigzag(id));
    }
    this.lastIds[top] = id;
  }

  private binaryValue(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.room(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** An unsigned varint of a non-negative safe integer (7 bits a byte, low first). */
  private varint(u: number): void {
    this.room(10);
    while (u >= 0x80) {
      this.buf[this.pos++] = (u % 0x80) | 0x80;
      u = Math.floor(u / 0x80);
    }
    this.buf[this.pos++] = u;
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

/** Zigzag of a safe integer, as a number (arithmetic, not bit operations: i64 values pass 2^31). */
export function zigzag(v: number): number {
  return v >= 0 ? 2 * v : -2 * v - 1;
}
