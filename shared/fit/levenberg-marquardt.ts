import { transformFor, UNBOUNDED, type ParamTransform } from './bounds';
import { choleskySolve, normalEquations } from './linalg';
import type { FitStatus, LeastSquaresOptions, LeastSquaresResult } from './result';
import { leastSquaresUncertainty, type ResidualFunction } from './uncertainty';

/**
 * Levenberg–Marquardt with Marquardt's diagonal scaling, a central-difference Jacobian and bounds
 * by change of variables (bounds.ts). The diagonal scaling makes the search indifferent to the
 * parameters' units, which matters when siemens (1e-5) sit next to seconds (1e2).
 */
/** Below this gradient cosine a stall counts as convergence. */
const STALL_GRADIENT = 1e-6;

export function levenbergMarquardt(
  residuals: ResidualFunction,
  initial: readonly number[],
  options: LeastSquaresOptions = {},
): LeastSquaresResult {
  const p = initial.length;
  const bounds = initial.map((_, j) => options.bounds?.[j] ?? UNBOUNDED);
  const transforms: ParamTransform[] = bounds.map((b) => transformFor(b));
  const maxIterations = options.maxIterations ?? 200;
  const costTol = options.costTolerance ?? 1e-12;
  const stepTol = options.stepTolerance ?? 1e-10;
  const gradTol = options.gradientTolerance ?? 1e-10;

  let evaluations = 0;
  const toExternal = (u: readonly number[]): number[] => u.map((v, j) => transforms[j]!.toExternal(v));
  const evaluate = (u: readonly number[]): { r: Float64Array; cost: number } => {
    evaluations++;
    const raw = residuals(toExternal(u));
    const r = Float64Array.from(raw);
    let cost = 0;
    for (let i = 0; i < r.length; i++) cost += r[i]! * r[i]!;
    return { r, cost: Number.isFinite(cost) ? cost : Infinity };
  };

  let u = initial.map((x, j) => transforms[j]!.toInternal(x));
  let current = evaluate(u);
  let iterations = 0;
  let status: FitStatus = 'max-iterations';
  let reason = `stopped after ${maxIterations} iterations`;

  if (!Number.isFinite(current.cost)) {
    status = 'failed';
    reason = 'the residuals are not finite at the starting values';
  } else if (current.cost === 0) {
    status = 'converged';
    reason = 'the residuals are exactly zero';
  } else {
    let lambda = 1e-3;
    outer: while (iterations < maxIterations) {
      iterations++;
      const columns = jacobianColumns(evaluate, u, current.r.length);
      const { a, g } = normalEquations(columns, current.r);
      const diag = a.map((row, j) => row[j]!);
      const maxDiag = Math.max(...diag, 0);
      const cosine = gradientCosine(g, diag, current.cost);
      if (cosine <= gradTol) {
        status = 'converged';
        reason = 'the gradient vanished';
        break;
      }
      for (;;) {
        const damped = a.map((row, j) => row.map((v, k) => (j === k ? v + lambda * Math.max(diag[j]!, 1e-12 * maxDiag, 1e-300) : v)));
        const step = choleskySolve(damped, g.map((v) => -v));
        if (step) {
          const trial = u.map((v, j) => v + step[j]!);
          const next = evaluate(trial);
          if (next.cost < current.cost) {
            const reduction = (current.cost - next.cost) / current.cost;
            const stepNorm = Math.hypot(...step);
            const size = Math.hypot(...u);
            u = trial;
            current = next;
            lambda = Math.max(lambda / 3, 1e-12);
            if (current.cost === 0) {
              status = 'converged';
              reason = 'the residuals are exactly zero';
              break outer;
            }
            if (reduction < costTol) {
              status = 'converged';
              reason = 'the cost stopped decreasing';
              break outer;
            }
            if (stepNorm <= stepTol * (size + stepTol)) {
              status = 'converged';
              reason = 'the step became negligible';
              break outer;
            }
            break;
          }
        }
        lambda *= 4;
        if (lambda > 1e16) {
          // Rounding, not the landscape, stops progress when the gradient is already tiny.
          if (cosine <= STALL_GRADIENT) {
            status = 'converged';
            reason = 'at the minimum to rounding precision';
          } else {
            status = 'stalled';
            reason = 'no step lowers the cost any further';
          }
          break outer;
        }
      }
    }
  }

  const values = toExternal(u);
  const r = Array.from(current.r);
  const cost = current.cost;
  const rms = r.length > 0 ? Math.sqrt(cost / r.length) : 0;
  const counted: ResidualFunction = (x) => {
    evaluations++;
    return residuals(x);
  };
  const { covariance, standardErrors } =
    status === 'failed'
      ? { covariance: null, standardErrors: new Array<number>(p).fill(NaN) }
      : leastSquaresUncertainty(counted, values, r, bounds);
  return {
    values,
    standardErrors,
    covariance,
    residuals: r,
    residualRms: rms,
    cost,
    iterations,
    evaluations,
    converged: status === 'converged',
    status,
    reason,
  };
}

function jacobianColumns(
  evaluate: (u: readonly number[]) => { r: Float64Array },
  u: readonly number[],
  n: number,
): Float64Array[] {
  return u.map((uj, j) => {
    const h = 1e-6 * Math.max(1, Math.abs(uj));
    const up = u.slice();
    const down = u.slice();
    up[j] = uj + h;
    down[j] = uj - h;
    const rUp = evaluate(up).r;
    const rDown = evaluate(down).r;
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = (rUp[i]! - rDown[i]!) / (2 * h);
      col[i] = Number.isFinite(d) ? d : 0;
    }
    return col;
  });
}

/** max_j |gⱼ| / (‖Jⱼ‖·‖r‖): the largest cosine between the residual and a Jacobian column. */
function gradientCosine(g: readonly number[], diag: readonly number[], cost: number): number {
  const rNorm = Math.sqrt(cost);
  let worst = 0;
  for (let j = 0; j < g.length; j++) {
    const colNorm = Math.sqrt(diag[j]!);
    if (colNorm > 0) worst = Math.max(worst, Math.abs(g[j]!) / (colNorm * rNorm));
  }
  return worst;
}
