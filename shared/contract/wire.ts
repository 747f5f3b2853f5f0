/**
 * The WebSocket wire format. JSON cannot carry typed arrays, and sample columns are typed arrays,
 * so a message that holds any is sent as one binary frame:
 *
 *   [u32 little-endian: byte length of the JSON header][JSON header][padding to 8][array bytes…]
 *
 * Inside the header each typed array is replaced by {"$ta": kind, "o": byteOffset, "n": length}.
 * Messages without typed arrays travel as plain text frames. Electron IPC does not need this: its
 * structured clone carries typed arrays as they are.
 */
type TypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array | Int16Array | Uint16Array;
const kinds = {
  f64: Float64Array,
  f32: Float32Array,
  i32: Int32Array,
  u32: Uint32Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
} as const;
type Kind = keyof typeof kinds;

function kindOf(x: unknown): Kind | null {
  for (const k of Object.keys(kinds) as Kind[]) if (x instanceof kinds[k]) return k;
  return null;
}

export function encodeMessage(message: unknown): string | Uint8Array {
  const arrays: TypedArray[] = [];
  let offset = 0;
  const header = JSON.stringify(message, (_key, value: unknown) => {
    const kind = kindOf(value);
    if (kind === null) return value;
    const arr = value as TypedArray;
    offset = align8(offset);
    const ref = { $ta: kind, o: offset, n: arr.length };
    arrays.push(arr);
    offset += arr.byteLength;
    return ref;
  });
  if (arrays.length === 0) return header;
  const headerBytes = new TextEncoder().encode(header);
  const bodyStart = align8(4 + headerBytes.byteLength);
  const out = new Uint8Array(bodyStart + offset);
  new DataView(out.buffer).setUint32(0, headerBytes.byteLength, true);
  out.set(headerBytes, 4);
  let at = 0;
  for (const arr of arrays) {
    at = align8(at);
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), bodyStart + at);
    at += arr.byteLength;
  }
  return out;
}

export class WireError extends Error {}

export function decodeMessage(frame: string | Uint8Array): unknown {
  if (typeof frame === 'string') return parseJson(frame);
  if (frame.byteLength < 4) throw new WireError('binary frame shorter than its header length');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(0, true);
  if (4 + headerLength > frame.byteLength) throw new WireError('binary frame header runs past the frame');
  const header = new TextDecoder().decode(frame.subarray(4, 4 + headerLength));
  const bodyStart = align8(4 + headerLength);
  return parseJson(header, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || !('$ta' in value)) return value;
    const ref = value as { $ta: unknown; o: unknown; n: unknown };
    // Own keys only: "toString" or "constructor" are in every object, and are no kind of array.
    if (typeof ref.$ta !== 'string' || !Object.prototype.hasOwnProperty.call(kinds, ref.$ta)) {
      throw new WireError(`unknown typed-array kind ${typeof ref.$ta === 'string' ? `'${ref.$ta.slice(0, 40)}'` : String(ref.$ta)}; expected one of ${Object.keys(kinds).join(', ')}`);
    }
    const Ctor = kinds[ref.$ta as Kind];
    const o = ref.o;
    const n = ref.n;
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(n) || (o as number) < 0 || (n as number) < 0) {
      throw new WireError('typed-array reference with a bad offset or length');
    }
    const start = bodyStart + (o as number);
    const bytes = (n as number) * Ctor.BYTES_PER_ELEMENT;
    if (start + bytes > frame.byteLength) throw new WireError('typed-array reference runs past the frame');
    // Copy: the frame's buffer may be unaligned for this element size, and it is not ours to keep.
    const copy = new Uint8Array(bytes);
    copy.set(frame.subarray(start, start + bytes));
    return new Ctor(copy.buffer);
  });
}

function parseJson(text: string, reviver?: (key: string, value: unknown) => unknown): unknown {
  try {
    return JSON.parse(text, reviver);
  } catch (e) {
    if (e instanceof WireError) throw e;
    throw new WireError(`not valid JSON: ${(e as Error).message}`);
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

/** The messages of the WebSocket protocol. */
export interface WireRequest {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
}
export interface WireResponse {
  type: 'response';
  id: number;
  result: unknown;
}
export interface WireEvent {
  type: 'event';
  name: string;
  payload: unknown;
}
