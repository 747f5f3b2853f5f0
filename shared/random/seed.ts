/**
 * Turning seeds and labels into generator states. A stream's identity is a 128-bit hash of its
 * root seed and the labels on the path to it, so a child stream depends only on *where* it sits
 * in the tree, not on how many numbers its parent has drawn: adding a consumer never shifts the
 * numbers another consumer sees.
 */
export type Seed = number | string;

export type Identity = readonly [number, number, number, number];

const NUMBER_TAG = 0x6e756d62;
const STRING_TAG = 0x73747267;
const LABEL_TAG = 0x6c61626c;

/** cyrb128-style absorption of 32-bit words into four lanes, then a final avalanche. */
function hashWords(words: readonly number[]): Identity {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (const w of words) {
    h1 = h2 ^ Math.imul(h1 ^ w, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ w, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ w, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ w, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

function stringWords(text: string): number[] {
  const words: number[] = [text.length];
  for (let i = 0; i < text.length; i++) words.push(text.charCodeAt(i));
  return words;
}

/** The identity of a root stream. Numbers are hashed by their IEEE-754 bits, so 1 and 1.5 differ. */
export function rootIdentity(seed: Seed): Identity {
  if (typeof seed === 'string') return hashWords([STRING_TAG, ...stringWords(seed)]);
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`A seed must be a finite number or a string (got ${String(seed)})`);
  }
  const bits = new DataView(new ArrayBuffer(8));
  bits.setFloat64(0, seed === 0 ? 0 : seed); // -0 and 0 are the same seed
  return hashWords([NUMBER_TAG, bits.getUint32(0), bits.getUint32(4)]);
}

export function childIdentity(parent: Identity, label: string): Identity {
  return hashWords([LABEL_TAG, ...parent, ...stringWords(label)]);
}

/** splitmix32 finaliser: spreads an identity into a generator state that is never all zero. */
export function stateFromIdentity(id: Identity): [number, number, number, number] {
  let x = (id[0] ^ id[1] ^ id[2] ^ id[3]) >>> 0;
  const next = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const out: [number, number, number, number] = [
    (id[0] ^ next()) >>> 0,
    (id[1] ^ next()) >>> 0,
    (id[2] ^ next()) >>> 0,
    (id[3] ^ next()) >>> 0,
  ];
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return out;
}
