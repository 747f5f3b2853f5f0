/**
 * Dictionary encoding of a double column chunk with few distinct values — applied voltages, pulse
 * widths: a handful of values repeated over a whole run — so it is written as those values once
 * and a few bits a row. Values are told apart by their bits (−0 and 0, NaN payloads stay distinct),
 * through a small open-addressing hash of the two 32-bit words. A chunk found to hold more than
 * MAX_ENTRIES distinct values is given up on at once (measured currents, times) and written PLAIN.
 */
import type { WorkBuffers } from './work-buffers';

/** Most distinct values worth a dictionary (ours): 8-bit indices at most. */
export const MAX_ENTRIES = 256;
const SLOTS = 1024; // a power of two, 4 × MAX_ENTRIES: short probes

export interface DoubleDictionary {
  /** The distinct values, in order of first appearance. */
  entries: Float64Array;
  /** Per value, its entry (a work buffer: valid until the next call). */
  indices: Uint32Array;
}

/** The dictionary of `values`, or null when they hold more than MAX_ENTRIES distinct values. */
export function doubleDictionary(values: Float64Array, work: WorkBuffers): DoubleDictionary | null {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const slots = new Int32Array(SLOTS).fill(-1);
  const lo = new Uint32Array(MAX_ENTRIES);
  const hi = new Uint32Array(MAX_ENTRIES);
  const indices = work.indices(values.length);
  let entries = 0;
  let lastLo = -1;
  let lastHi = -1;
  let last = -1;
  let lastValue = Number.NaN;
  for (let k = 0; k < values.length; k++) {
    // The same double as the one before (most rows): no need to look at its bits — unless it is
    // 0, which equals −0 (NaN never equals itself, so it always takes the bitwise path).
    const x = values[k] as number;
    if (x === lastValue && x !== 0) {
      indices[k] = last;
      continue;
    }
    lastValue = x;
    const a = words[2 * k] as number;
    const b = words[2 * k + 1] as number;
    if (a !== lastLo || b !== lastHi) {
      let slot = (Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b) >>> 22) & (SLOTS - 1);
      for (;;) {
        const e = slots[slot] as number;
        if (e === -1) {
          if (entries === MAX_ENTRIES) return null;
          lo[entries] = a;
          hi[entries] = b;
          slots[slot] = entries;
          last = entries++;
          break;
        }
        if (lo[e] === a && hi[e] === b) {
          last = e;
          break;
        }
        slot = (slot + 1) & (SLOTS - 1);
      }
      lastLo = a;
      lastHi = b;
    }
    indices[k] = last;
  }
  const out = new Uint32Array(entries * 2);
  for (let e = 0; e < entries; e++) {
    out[2 * e] = lo[e] as number;
    out[2 * e + 1] = hi[e] as number;
  }
  return { entries: new Float64Array(out.buffer), indices };
}
