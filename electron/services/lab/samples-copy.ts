/**
 * A run's samples to and from the lab: the COPY text stream that loads them, the hash that proves
 * two copies identical, and the columns rebuilt from rows read back.
 *
 * Numbers travel as text: JavaScript's shortest round-trip decimal, read by PostgreSQL's float8
 * input exactly, and printed back by PostgreSQL 12+ (extra_float_digits = 1) as the shortest
 * exact decimal again — so a sample crosses the lab unchanged, bit for bit (-0 and NaN included).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { allocColumns, type SampleColumns } from '../../../shared/samples/columns';

/** Rows per piece of COPY text handed to the socket (ours: ~0.5–1 MB pieces). */
const ROWS_PER_PIECE = 8192;

const num = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * SHA-256 over the run's columns, each as its little-endian bytes, in the order t, v, i, g, kind,
 * block, compliance (each column hashed on its own, then the seven digests): the same samples give the same hash
 * wherever they are read from.
 */
export function samplesHash(c: SampleColumns): string {
  const h = new SamplesHasher();
  h.add(c);
  return h.digest();
}

/**
 * samplesHash taken piece by piece (each column's hash is fed as its pieces come), so a run
 * streamed in slices (`workbench simulate --json`) is hashed without holding all of it.
 */
export class SamplesHasher {
  private length = 0;
  private readonly columns = Array.from({ length: 7 }, () => createHash('sha256'));

  add(c: SampleColumns): void {
    [c.t, c.v, c.i, c.g, c.kind, c.block, c.compliance].forEach((col, k) => this.columns[k]!.update(bytes(col.subarray(0, c.length))));
    this.length += c.length;
  }

  digest(): string {
    const outer = createHash('sha256');
    outer.update(`samples:v1:${this.length}:`);
    for (const h of this.columns) outer.update(h.digest());
    return outer.digest('hex');
  }
}

/** The COPY text (tab-separated, one line per sample) for `lab_samples (run_id, idx, t, v, i, g, kind, block, compliance)`. */
export function copyRows(runId: string, c: SampleColumns): Readable {
  let at = 0;
  return new Readable({
    read() {
      if (at >= c.length) {
        this.push(null);
        return;
      }
      const end = Math.min(c.length, at + ROWS_PER_PIECE);
      let s = '';
      for (let k = at; k < end; k++) {
        s += `${runId}\t${k}\t${num(c.t[k]!)}\t${num(c.v[k]!)}\t${num(c.i[k]!)}\t${num(c.g[k]!)}\t${c.kind[k]!}\t${c.block[k]!}\t${c.compliance[k]!}\n`;
      }
      at = end;
      this.push(s);
    },
  });
}

/** Rows of `SELECT t, v, i, g, kind, block, compliance … ORDER BY idx` (pg returns float8 as numbers) → columns. */
export function columnsFromRows(rows: readonly { t: number; v: number; i: number; g: number; kind: number; block: number; compliance: number }[]): SampleColumns {
  const n = rows.length;
  const c = allocColumns(n);
  for (let k = 0; k < n; k++) {
    const r = rows[k]!;
    c.t[k] = r.t;
    c.v[k] = r.v;
    c.i[k] = r.i;
    c.g[k] = r.g;
    c.kind[k] = r.kind;
    c.block[k] = r.block;
    c.compliance[k] = r.compliance;
  }
  return c;
}
