/**
 * Parquet's DELTA_BINARY_PACKED encoding of integers (Encodings.md): the differences between
 * consecutive values, in blocks of 128 with the block's smallest difference subtracted, bit-packed
 * in 4 miniblocks of 32 at the width the miniblock needs. The export's integer columns — pulse
 * numbers that step by 0 or 1, cycles and blocks constant for thousands of samples, compliance
 * flags — shrink from 4 or 8 bytes a value to a few bits, mostly 0.
 *
 * Layout: header varint(block size 128), varint(miniblocks 4), varint(count), zigzag(first);
 * then per block zigzag(min delta), 4 bit-width bytes, the miniblocks (LSB-first, as RLE's
 * bit-packing; a last miniblock zero-padded to 32 values; none after the last needed one). This
 * writer gives a block's miniblocks one width, the block's widest: a few bits more where their
 * spreads differ, one pass less.
 */
import { bitPack, bitWidthOf, packBits, writeVarint } from './rle-hybrid';
import { zigzag } from './thrift-compact';
import type { WorkBuffers } from './work-buffers';

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINI = BLOCK / MINIBLOCKS;

/** Deltas this far apart or more are not encoded (ours): a decoder of 32-bit columns holds them in 32 bits. */
const MAX_DELTA = 2 ** 31;

/**
 * The first `count` values, integers of magnitude at most 2^52 (exact in doubles, and so are their
 * differences), DELTA_BINARY_PACKED; null when two consecutive ones are 2^31 or more apart — such
 * data is written PLAIN.
 */
export function encodeDeltas(values: Float64Array, count: number, work: WorkBuffers): Buffer | null {
  const blocks = Math.ceil(Math.max(0, count - 1) / BLOCK);
  const out = work.bytes(32 + blocks * (10 + MINIBLOCKS + BLOCK * 4));
  const packed = new Uint32Array(BLOCK);
  let pos = writeVarint(BLOCK, out, 0);
  pos = writeVarint(MINIBLOCKS, out, pos);
  pos = writeVarint(count, out, pos);
  pos = writeVarint(zigzag(count === 0 ? 0 : (values[0] as number)), out, pos);
  for (let first = 1; first < count; first += BLOCK) {
    const end = Math.min(first + BLOCK, count);
    // First pass: the block's smallest and largest step, nothing stored (most blocks are one step).
    let prev = values[first - 1] as number;
    let minDelta = (values[first] as number) - prev;
    let maxDelta = minDelta;
    for (let k = first; k < end; k++) {
      const x = values[k] as number;
      const d = x - prev;
      prev = x;
      if (d < minDelta) minDelta = d;
      else if (d > maxDelta) maxDelta = d;
    }
    if (minDelta <= -MAX_DELTA || maxDelta >= MAX_DELTA) return null;
    pos = writeVarint(zigzag(minDelta), out, pos);
    const widthsAt = pos;
    pos += MINIBLOCKS;
    if (maxDelta === minDelta) {
      // One step throughout (a constant, a counter): every miniblock width 0, no bytes.
      for (let m = 0; m < MINIBLOCKS; m++) out[widthsAt + m] = 0;
      continue;
    }
    // One width for the block's miniblocks (each then 4 × width bytes, so they pack as one run);
    // those past the last value have width 0 and no bytes.
    const n = end - first;
    const width = bitWidthOf(maxDelta - minDelta);
    const needed = Math.ceil(n / MINI);
    for (let m = 0; m < MINIBLOCKS; m++) out[widthsAt + m] = m < needed ? width : 0;
    prev = values[first - 1] as number;
    for (let j = 0; j < n; j++) {
      const x = values[first + j] as number;
      packed[j] = x - prev - minDelta;
      prev = x;
    }
    pos = width === 1 ? packBits(packed, 0, n, needed * MINI, out, pos) : bitPack(packed, 0, n, needed * MINI, width, out, pos);
  }
  return Buffer.from(out.subarray(0, pos));
}
