/**
 * Parquet's RLE / bit-packing hybrid (Encodings.md, "RLE"): the encoding of definition levels and
 * of dictionary indices. A run of one value repeated is written as `varint(count << 1)` and the
 * value in ceil(width / 8) little-endian bytes; anything else as bit-packed groups of 8 values,
 * `varint(groups << 1 | 1)` then the values `width` bits each, least significant bit first. The
 * last group is padded with zeros: a reader takes the value count from the page header.
 *
 * Repeats long enough to be worth it become a run (a column of one run id, a column without nulls:
 * a few bytes for a whole row group); shorter ones stay in the bit-packed section around them.
 *
 * The loops take Uint32Array only: one element type keeps V8's element access monomorphic, which
 * is most of their speed (callers widen bytes with a native `set`).
 */
import type { WorkBuffers } from './work-buffers';

/** Bits needed to write every value in 0…max (at least 1: some readers mishandle width 0). */
export function bitWidthOf(max: number): number {
  let w = 1;
  while (w < 32 && max >= 2 ** w) w++;
  return w;
}

/**
 * The first `count` values, hybrid-encoded; each must be below `limit` (a dictionary's size; by
 * default 2^width), else a RangeError says which is not — checked as the values are encoded.
 */
export function encodeHybrid(values: Uint32Array, count: number, width: number, work: WorkBuffers, limit = 2 ** width): Buffer {
  if (!(width >= 1 && width <= 32)) throw new RangeError(`RLE bit width ${width} is outside 1…32`);
  if (values.length < count) throw new RangeError(`${values.length} values to encode ${count}`);
  const valueBytes = (width + 7) >> 3;
  // A repeat is worth a run of its own when its bit-packed bytes (run × width / 8) outweigh the
  // run's header and value and the new bit-packed header after it (about 4 bytes): at width 1
  // (the levels, a two-entry dictionary) a sample-by-sample pattern stays one bit-packed stretch.
  const minRun = Math.max(8, Math.ceil(32 / width));
  // Worst case: everything bit-packed, a header before every 8 values, plus the padding.
  const out = work.bytes(Math.ceil(count / 8) * (width + 5 + valueBytes) + 16);
  let pos = 0;
  let i = 0;
  while (i < count) {
    const v = values[i] as number;
    if (v >= limit) throw new RangeError(`value ${v} at ${i} is not below ${limit}`);
    let run = 1;
    while (i + run < count && values[i + run] === v) run++;
    if (run >= minRun || (run >= 8 && i + run === count)) {
      pos = writeRepeat(v, run, valueBytes, out, pos);
      i += run;
      continue;
    }
    // Bit-pack groups of 8 until a group would start a repeat worth a run of its own.
    let end = i + 8;
    while (end < count) {
      const w = values[end] as number;
      let r = 1;
      while (r < minRun && end + r < count && values[end + r] === w) r++;
      if (r >= minRun || (r >= 8 && end + r === count)) break;
      end += 8;
    }
    const groups = (end - i) >> 3;
    pos = writeVarint(groups * 2 + 1, out, pos);
    const to = Math.min(end, count);
    for (let k = i + 1; k < to; k++) if ((values[k] as number) >= limit) throw new RangeError(`value ${values[k]} at ${k} is not below ${limit}`);
    pos = width === 1 ? packBits(values, i, to, groups * 8, out, pos) : bitPack(values, i, to, groups * 8, width, out, pos);
    i = end;
  }
  return Buffer.from(out.subarray(0, pos));
}

/**
 * bitPack for width 1 (definition levels, a two-entry dictionary's indices): eight values a byte,
 * the first in the lowest bit; values are 0 or 1 (checked by the caller).
 */
export function packBits(values: Uint32Array, from: number, to: number, slots: number, out: Buffer, pos: number): number {
  const end = pos + (slots >> 3);
  const whole = from + ((to - from) & ~7);
  pos = packWholeBytes(values, from, whole, out, pos);
  let last = 0;
  for (let k = whole, b = 0; k < to; k++, b++) last |= (values[k] as number) << b;
  while (pos < end) {
    out[pos++] = last;
    last = 0;
  }
  return pos;
}

/**
 * Values [from, to) (a multiple of 8 of them) eight to a byte. The long loop is alone in its
 * function, its return the only code after it: V8 compiles such a loop in the middle of a call,
 * and code after it that had not yet run deoptimized it again and again (see nan-as-null.ts).
 */
function packWholeBytes(values: Uint32Array, from: number, to: number, out: Buffer, pos: number): number {
  for (let k = from; k < to; k += 8) {
    out[pos++] =
      (values[k] as number) |
      ((values[k + 1] as number) << 1) |
      ((values[k + 2] as number) << 2) |
      ((values[k + 3] as number) << 3) |
      ((values[k + 4] as number) << 4) |
      ((values[k + 5] as number) << 5) |
      ((values[k + 6] as number) << 6) |
      ((values[k + 7] as number) << 7);
  }
  return pos;
}

/** `count` times `value`, as one run (definition levels of a column without nulls). */
export function encodeRepeat(value: number, count: number, width: number): Buffer {
  const out = Buffer.allocUnsafe(16);
  return out.subarray(0, count === 0 ? 0 : writeRepeat(value, count, (width + 7) >> 3, out, 0));
}

function writeRepeat(value: number, count: number, valueBytes: number, out: Buffer, pos: number): number {
  pos = writeVarint(count * 2, out, pos);
  for (let b = 0; b < valueBytes; b++) {
    out[pos++] = value % 256;
    value = Math.floor(value / 256);
  }
  return pos;
}

/** An unsigned varint (7 bits a byte, low first); returns the new position. */
export function writeVarint(u: number, out: Buffer, pos: number): number {
  while (u >= 0x80) {
    out[pos++] = (u % 0x80) | 0x80;
    u = Math.floor(u / 0x80);
  }
  out[pos++] = u;
  return pos;
}

/**
 * Packs values [from, to), zero-padded to `slots` values (a multiple of 8), `width` bits each,
 * least significant bit first; returns the new position.
 */
export function bitPack(values: Uint32Array, from: number, to: number, slots: number, width: number, out: Buffer, pos: number): number {
  const end = pos + ((slots * width) >> 3);
  if (width <= 24) {
    // acc never holds more than 7 + 24 bits: 32-bit integer operations are exact.
    let acc = 0;
    let bits = 0;
    for (let k = from; k < to; k++) {
      acc |= (values[k] as number) << bits;
      bits += width;
      while (bits >= 8) {
        out[pos++] = acc & 0xff;
        acc >>>= 8;
        bits -= 8;
      }
    }
    // The padding: zeros, after what is left of the last value.
    while (pos < end) {
      out[pos++] = acc & 0xff;
      acc >>>= 8;
    }
    return pos;
  }
  let acc = 0;
  let scale = 1; // 2^bits held in acc
  for (let k = from; k < to; k++) {
    acc += (values[k] as number) * scale;
    scale *= 2 ** width;
    while (scale >= 256) {
      out[pos++] = acc % 256;
      acc = Math.floor(acc / 256);
      scale /= 256;
    }
  }
  while (pos < end) {
    out[pos++] = acc % 256;
    acc = Math.floor(acc / 256);
  }
  return pos;
}
