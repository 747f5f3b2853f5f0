/**
 * Bounds by change of variables: the optimiser works on an unbounded internal u and the model
 * sees x(u), which can never leave [lower, upper]. Two-sided bounds use a logistic map, one-sided
 * bounds an exponential (so a time constant or a conductance is searched on a log scale).
 */
export type Bound = readonly [lower: number, upper: number];

export const UNBOUNDED: Bound = [-Infinity, Infinity];

export interface ParamTransform {
  toInternal(x: number): number;
  toExternal(u: number): number;
}

/** How far inside a bound a starting value is moved so the internal variable stays finite. */
const INSIDE = 1e-9;

export function transformFor([lower, upper]: Bound): ParamTransform {
  if (!(lower <= upper)) throw new RangeError(`A bound needs lower ≤ upper (got [${lower}, ${upper}])`);
  const hasLower = Number.isFinite(lower);
  const hasUpper = Number.isFinite(upper);
  if (hasLower && hasUpper) {
    const width = upper - lower;
    if (width === 0) return { toInternal: () => 0, toExternal: () => lower };
    return {
      toInternal: (x) => {
        const f = Math.min(1 - INSIDE, Math.max(INSIDE, (x - lower) / width));
        return Math.log(f / (1 - f));
      },
      toExternal: (u) => lower + width / (1 + Math.exp(-u)),
    };
  }
  if (hasLower) {
    return {
      toInternal: (x) => Math.log(Math.max(x - lower, INSIDE * Math.max(1, Math.abs(lower)))),
      toExternal: (u) => lower + Math.exp(u),
    };
  }
  if (hasUpper) {
    return {
      toInternal: (x) => Math.log(Math.max(upper - x, INSIDE * Math.max(1, Math.abs(upper)))),
      toExternal: (u) => upper - Math.exp(u),
    };
  }
  return { toInternal: (x) => x, toExternal: (u) => u };
}

export function clampToBound(x: number, [lower, upper]: Bound): number {
  return x < lower ? lower : x > upper ? upper : x;
}
