import { transformFor, UNBOUNDED } from './bounds';
import type { FitStatus, LeastSquaresOptions, LeastSquaresResult } from './result';
import { leastSquaresUncertainty, type ResidualFunction } from './uncertainty';

export interface NelderMeadOptions {
  bounds?: readonly (readonly [number, number])[];
  maxIterations?: number;
  /** Stop when the simplex's objective values agree to this relative spread. Default 1e-12. */
  tolerance?: number;
  /** Initial simplex size in the internal (bounded-transformed) variables. Default 0.1. */
  initialStep?: number;
}

export interface MinimizeResult {
  values: number[];
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  status: FitStatus;
  reason: string;
}

/**
 * Nelder–Mead downhill simplex (standard coefficients 1, 2, ½, ½) on the bounded-transformed
 * variables. Derivative-free: a fallback when the residuals are not smooth enough for
 * Levenberg–Marquardt's Jacobian.
 */
export function nelderMead(
  objective: (params: readonly number[]) => number,
  initial: readonly number[],
  options: NelderMeadOptions = {},
): MinimizeResult {
  const p = initial.length;
  const transforms = initial.map((_, j) => transformFor(options.bounds?.[j] ?? UNBOUNDED));
  const maxIterations = options.maxIterations ?? 2000 * Math.max(1, p);
  const tol = options.tolerance ?? 1e-12;
  const step = options.initialStep ?? 0.1;
  let evaluations = 0;
  const toExternal = (u: readonly number[]): number[] => u.map((v, j) => transforms[j]!.toExternal(v));
  const f = (u: readonly number[]): number => {
    evaluations++;
    const v = objective(toExternal(u));
    return Number.isFinite(v) ? v : Infinity;
  };

  const u0 = initial.map((x, j) => transforms[j]!.toInternal(x));
  let simplex: { u: number[]; v: number }[] = [{ u: u0, v: f(u0) }];
  for (let j = 0; j < p; j++) {
    const u = u0.slice();
    u[j] = u[j]! + step * Math.max(1, Math.abs(u[j]!));
    simplex.push({ u, v: f(u) });
  }

  let iterations = 0;
  let status: FitStatus = 'max-iterations';
  let reason = `stopped after ${maxIterations} iterations`;
  if (!Number.isFinite(simplex[0]!.v)) {
    status = 'failed';
    reason = 'the objective is not finite at the starting values';
  }
  while (status !== 'failed' && iterations < maxIterations) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0]!;
    const worst = simplex[p]!;
    const spread = Math.abs(worst.v - best.v);
    if (spread <= tol * (Math.abs(best.v) + Math.abs(worst.v)) + 1e-300) {
      status = 'converged';
      reason = 'the simplex values agree';
      break;
    }
    iterations++;
    const centroid = new Array<number>(p).fill(0);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) centroid[j] = centroid[j]! + simplex[i]!.u[j]! / p;
    const along = (t: number): number[] => centroid.map((c, j) => c + t * (worst.u[j]! - c));
    const reflected = along(-1);
    const vr = f(reflected);
    const secondWorst = simplex[p - 1]!.v;
    if (vr < best.v) {
      const expanded = along(-2);
      const ve = f(expanded);
      simplex[p] = ve < vr ? { u: expanded, v: ve } : { u: reflected, v: vr };
    } else if (vr < secondWorst) {
      simplex[p] = { u: reflected, v: vr };
    } else {
      const contracted = vr < worst.v ? along(-0.5) : along(0.5);
      const vc = f(contracted);
      if (vc < Math.min(vr, worst.v)) {
        simplex[p] = { u: contracted, v: vc };
      } else {
        simplex = simplex.map((vertex, i) => {
          if (i === 0) return vertex;
          const u = vertex.u.map((x, j) => best.u[j]! + 0.5 * (x - best.u[j]!));
          return { u, v: f(u) };
        });
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  const best = simplex[0]!;
  return {
    values: toExternal(best.u),
    value: best.v,
    iterations,
    evaluations,
    converged: status === 'converged',
    status,
    reason,
  };
}

/** Least squares by Nelder–Mead on Σr², with the same uncertainty report as Levenberg–Marquardt. */
export function nelderMeadLeastSquares(
  residuals: ResidualFunction,
  initial: readonly number[],
  options: LeastSquaresOptions & { initialStep?: number } = {},
): LeastSquaresResult {
  const sumSquares = (x: readonly number[]): number => {
    const r = residuals(x);
    let s = 0;
    for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
    return s;
  };
  const nmOptions: NelderMeadOptions = { tolerance: options.costTolerance ?? 1e-12 };
  if (options.bounds) nmOptions.bounds = options.bounds;
  if (options.maxIterations !== undefined) nmOptions.maxIterations = options.maxIterations;
  if (options.initialStep !== undefined) nmOptions.initialStep = options.initialStep;
  const min = nelderMead(sumSquares, initial, nmOptions);
  const r = Array.from(residuals(min.values));
  const cost = r.reduce((s, v) => s + v * v, 0);
  const bounds = initial.map((_, j) => options.bounds?.[j] ?? UNBOUNDED);
  const { covariance, standardErrors } =
    min.status === 'failed'
      ? { covariance: null, standardErrors: new Array<number>(initial.length).fill(NaN) }
      : leastSquaresUncertainty(residuals, min.values, r, bounds);
  return {
    values: min.values,
    standardErrors,
    covariance,
    residuals: r,
    residualRms: r.length > 0 ? Math.sqrt(cost / r.length) : 0,
    cost,
    iterations: min.iterations,
    evaluations: min.evaluations + 1 + 2 * initial.length,
    converged: min.converged,
    status: min.status,
    reason: min.reason,
  };
}
