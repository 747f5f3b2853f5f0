/**
 * Work arrays one ParquetWriter reuses from column chunk to column chunk, instead of allocating
 * (and the machine faulting in) fresh memory for every one: the encoders' output before it is
 * copied out at its real size, and their inputs widened to the one element type their loops take.
 * Each is used and done with before it is asked for again.
 */
export class WorkBuffers {
  private byteBuf = Buffer.allocUnsafe(1 << 16);
  private u32Buf = new Uint32Array(0);
  private indexBuf = new Uint32Array(0);
  private f64Buf = new Float64Array(0);

  /** Bytes for an encoder's output (copied out before the next call). */
  bytes(n: number): Buffer {
    if (this.byteBuf.length < n) this.byteBuf = Buffer.allocUnsafe(Math.max(n, this.byteBuf.length * 2));
    return this.byteBuf;
  }

  /** An encoder's input widened to 32 bits (definition levels, dictionary indices). */
  u32(n: number): Uint32Array {
    if (this.u32Buf.length < n) this.u32Buf = new Uint32Array(n);
    return this.u32Buf.subarray(0, n);
  }

  /** A dictionary's indices, as it builds them. */
  indices(n: number): Uint32Array {
    if (this.indexBuf.length < n) this.indexBuf = new Uint32Array(n);
    return this.indexBuf.subarray(0, n);
  }

  /** Integers as doubles, for the delta encoder. */
  f64(n: number): Float64Array {
    if (this.f64Buf.length < n) this.f64Buf = new Float64Array(n);
    return this.f64Buf.subarray(0, n);
  }
}
