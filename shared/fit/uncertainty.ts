import { clampToBound, UNBOUNDED, type Bound } from './bounds';
import { invertSymmetric, normalEquations, type Matrix } from './linalg';

export type ResidualFunction = (params: readonly number[]) => ArrayLike<number>;

export interface Uncertainty {
  /** s²·(JᵀJ)⁻¹ with s² = Σr²/(n − p); null when JᵀJ is singular or n ≤ p. */
  covariance: Matrix | null;
  /** √diag(covariance); NaN where it is not defined. */
  standardErrors: number[];
}

/**
 * Standard errors from the Jacobian at the optimum, in the caller's own parameter units
 * (central differences with a relative step, one-sided next to a bound).
 */
export function leastSquaresUncertainty(
  residuals: ResidualFunction,
  values: readonly number[],
  r: ArrayLike<number>,
  bounds: readonly Bound[] = [],
): Uncertainty {
  const n = r.length;
  const p = values.length;
  const nan = new Array<number>(p).fill(NaN);
  if (n <= p) return { covariance: null, standardErrors: nan };
  const columns: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const bound = bounds[j] ?? UNBOUNDED;
    const x = values[j]!;
    const span = Number.isFinite(bound[1] - bound[0]) ? bound[1] - bound[0] : 1;
    const h = 1e-6 * (x !== 0 ? Math.abs(x) : span);
    const up = clampToBound(x + h, bound);
    const down = clampToBound(x - h, bound);
    if (up === down) return { covariance: null, standardErrors: nan };
    const rUp = residuals(withValue(values, j, up));
    const rDown = residuals(withValue(values, j, down));
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = (rUp[i]! - rDown[i]!) / (up - down);
    columns.push(col);
  }
  let ssr = 0;
  for (let i = 0; i < n; i++) ssr += r[i]! * r[i]!;
  const { a } = normalEquations(columns, r);
  const inv = invertSymmetric(a);
  if (!inv) return { covariance: null, standardErrors: nan };
  const s2 = ssr / (n - p);
  const covariance = inv.map((row) => row.map((v) => v * s2));
  const standardErrors = covariance.map((row, i) => {
    const v = row[i]!;
    return v >= 0 ? Math.sqrt(v) : NaN;
  });
  return { covariance, standardErrors };
}

function withValue(values: readonly number[], j: number, x: number): number[] {
  const copy = values.slice();
  copy[j] = x;
  return copy;
}
