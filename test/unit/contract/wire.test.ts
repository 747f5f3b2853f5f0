import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, WireError } from '../../../shared/contract/wire';

describe('wire codec', () => {
  it('sends messages without typed arrays as plain JSON text', () => {
    const frame = encodeMessage({ type: 'request', id: 1, method: 'app.info', params: {} });
    expect(typeof frame).toBe('string');
    expect(decodeMessage(frame)).toEqual({ type: 'request', id: 1, method: 'app.info', params: {} });
  });

  it('round-trips typed arrays bit for bit inside nested messages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double(), { maxLength: 300 }),
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 50 }),
        fc.uint8Array({ maxLength: 37 }),
        fc.string(),
        (doubles, ints, bytes, label) => {
          const msg = { label, columns: { g: Float64Array.from(doubles), block: Int32Array.from(ints), kind: bytes }, list: [Float64Array.from(doubles.slice(0, 3))] };
          const frame = encodeMessage(msg);
          expect(frame).toBeInstanceOf(Uint8Array);
          const back = decodeMessage(frame) as typeof msg;
          expect(back.label).toBe(label);
          expect(back.columns.g).toBeInstanceOf(Float64Array);
          expect(Array.from(back.columns.g)).toEqual(Array.from(msg.columns.g));
          expect(Array.from(back.columns.block)).toEqual(ints);
          expect(Array.from(back.columns.kind)).toEqual(Array.from(bytes));
          expect(Array.from(back.list[0]!)).toEqual(Array.from(msg.list[0]!));
        },
      ),
    );
  });

  it('decodes frames that arrive at an unaligned offset', () => {
    const frame = encodeMessage({ g: Float64Array.of(1.5, -2, Math.PI) }) as Uint8Array;
    const shifted = new Uint8Array(frame.byteLength + 3);
    shifted.set(frame, 3);
    const back = decodeMessage(shifted.subarray(3)) as { g: Float64Array };
    expect(Array.from(back.g)).toEqual([1.5, -2, Math.PI]);
  });

  it('rejects garbage with a WireError and never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })), (frame) => {
        try {
          decodeMessage(frame);
        } catch (e) {
          expect(e).toBeInstanceOf(WireError);
        }
      }),
    );
  });

  it('refuses typed-array references that point past the frame', () => {
    const header = new TextEncoder().encode(JSON.stringify({ g: { $ta: 'f64', o: 0, n: 1000 } }));
    const frame = new Uint8Array(8 + header.byteLength + 8);
    new DataView(frame.buffer).setUint32(0, header.byteLength, true);
    frame.set(header, 4);
    expect(() => decodeMessage(frame)).toThrow(/past the frame/);
  });

  it('refuses a typed-array kind that is an inherited name ("toString", "constructor"), naming it', () => {
    for (const kind of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const header = new TextEncoder().encode(JSON.stringify({ x: { $ta: kind, o: 0, n: 0 } }));
      const frame = new Uint8Array(8 + header.byteLength);
      new DataView(frame.buffer).setUint32(0, header.byteLength, true);
      frame.set(header, 4);
      expect(() => decodeMessage(frame), kind).toThrow(WireError);
      expect(() => decodeMessage(frame), kind).toThrow(`unknown typed-array kind '${kind}'; expected one of f64, f32, i32, u32, u8, i16, u16`);
    }
  });
});
