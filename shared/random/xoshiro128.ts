/**
 * xoshiro128** (Blackman & Vigna, 2018): 128 bits of state, 32-bit outputs, period 2^128 − 1.
 * Chosen because it is small, fast in JavaScript (only 32-bit integer operations via Math.imul)
 * and well tested (passes BigCrush); the reference C implementation is reproduced bit for bit.
 */
export interface Xoshiro128State {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
}

/** Advance the state in place and return the next 32-bit unsigned output. */
export function xoshiro128Next(st: Xoshiro128State): number {
  const s1 = st.s1;
  const m = Math.imul(s1, 5);
  const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
  const t = s1 << 9;
  st.s2 ^= st.s0;
  st.s3 ^= st.s1;
  st.s1 ^= st.s2;
  st.s0 ^= st.s3;
  st.s2 ^= t;
  st.s3 = (st.s3 << 11) | (st.s3 >>> 21);
  return result;
}
