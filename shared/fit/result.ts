import type { Matrix } from './linalg';

export type FitStatus =
  /** A convergence criterion was met. */
  | 'converged'
  /** The iteration limit was reached first. */
  | 'max-iterations'
  /** No step reduced the cost any further, though no criterion was met (often: already at the minimum to rounding). */
  | 'stalled'
  /** The residuals were not finite at the starting point. */
  | 'failed';

export interface LeastSquaresResult {
  values: number[];
  /** Standard errors, √diag(s²·(JᵀJ)⁻¹) at the optimum; NaN where not identifiable. */
  standardErrors: number[];
  covariance: Matrix | null;
  residuals: number[];
  /** √(Σr²/n). */
  residualRms: number;
  /** Σr². */
  cost: number;
  iterations: number;
  /** Residual-function evaluations, including those of the numeric Jacobians. */
  evaluations: number;
  converged: boolean;
  status: FitStatus;
  /** Which criterion stopped the search, in words. */
  reason: string;
}

export interface LeastSquaresOptions {
  /** [lower, upper] per parameter (±Infinity for none); starting values are moved inside. */
  bounds?: readonly (readonly [number, number])[];
  maxIterations?: number;
  /** Stop when an accepted step lowers the cost by less than this fraction. Default 1e-12. */
  costTolerance?: number;
  /** Stop when the step in the internal variables is this small relative to their size. Default 1e-10. */
  stepTolerance?: number;
  /** Stop when the scaled gradient (cosine between r and every Jacobian column) is below this. Default 1e-10. */
  gradientTolerance?: number;
}
