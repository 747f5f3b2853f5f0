/** Small dense linear algebra for least squares: matrices are arrays of rows. */
export type Matrix = number[][];

export function zeros(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
}

/** JᵀJ and Jᵀr for a Jacobian stored as columns (one Float64Array per parameter). */
export function normalEquations(columns: readonly Float64Array[], r: ArrayLike<number>): { a: Matrix; g: number[] } {
  const p = columns.length;
  const a = zeros(p, p);
  const g = new Array<number>(p).fill(0);
  for (let j = 0; j < p; j++) {
    const cj = columns[j]!;
    let gj = 0;
    for (let i = 0; i < cj.length; i++) gj += cj[i]! * r[i]!;
    g[j] = gj;
    for (let k = 0; k <= j; k++) {
      const ck = columns[k]!;
      let sum = 0;
      for (let i = 0; i < cj.length; i++) sum += cj[i]! * ck[i]!;
      a[j]![k] = sum;
      a[k]![j] = sum;
    }
  }
  return { a, g };
}

/** Solves A x = b for symmetric positive definite A by Cholesky; null when A is not SPD. */
export function choleskySolve(a: Matrix, b: readonly number[]): number[] | null {
  const n = b.length;
  const l = zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}

/**
 * Inverse by Gauss–Jordan elimination with partial pivoting, after symmetric diagonal scaling so
 * parameters of very different magnitude (siemens next to seconds) do not look singular.
 * Returns null when the matrix is singular to working precision.
 */
export function invertSymmetric(a: Matrix): Matrix | null {
  const n = a.length;
  const scale = a.map((row, i) => {
    const d = row[i]!;
    return d > 0 ? 1 / Math.sqrt(d) : 1;
  });
  const m = a.map((row, i) => row.map((v, j) => v * scale[i]! * scale[j]!));
  const inv = zeros(n, n);
  for (let i = 0; i < n; i++) inv[i]![i] = 1;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    const pv = m[pivot]![col]!;
    if (!(Math.abs(pv) > 1e-13)) return null;
    if (pivot !== col) {
      [m[pivot], m[col]] = [m[col]!, m[pivot]!];
      [inv[pivot], inv[col]] = [inv[col]!, inv[pivot]!];
    }
    const mr = m[col]!;
    const ir = inv[col]!;
    for (let k = 0; k < n; k++) {
      mr[k] = mr[k]! / pv;
      ir[k] = ir[k]! / pv;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = m[r]![col]!;
      if (f === 0) continue;
      const rowM = m[r]!;
      const rowI = inv[r]!;
      for (let k = 0; k < n; k++) {
        rowM[k] = rowM[k]! - f * mr[k]!;
        rowI[k] = rowI[k]! - f * ir[k]!;
      }
    }
  }
  return inv.map((row, i) => row.map((v, j) => v * scale[i]! * scale[j]!));
}
