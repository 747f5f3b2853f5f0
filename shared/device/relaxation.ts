/**
 * Exact relaxation of the intrinsic-gradient model between spikes. With no stimulus the barrier
 * decays as s(t) = s₀·e^(−t/τ_s), and g follows the linear ODE
 *
 *   dg/dt = (1 − ρ·s(t) − g) / τ_g,
 *
 * whose exact solution is a sum of exponentials:
 *
 *   g(t) = 1 + (g₀ − 1)·e^(−t/τ_g) − (ρ·s₀/τ_g) · (e^(−t/τ_s) − e^(−t/τ_g)) / δ,   δ = 1/τ_g − 1/τ_s
 *
 * and, in the limit τ_g = τ_s, the last factor becomes t·e^(−t/τ_g). So a 600 s wait costs the
 * same as 1 ms and no step size is involved.
 */

/** (e^(−t/τ_s) − e^(−t/τ_g)) / δ with δ = 1/τ_g − 1/τ_s, accurate for δ → 0 and for huge t. */
export function exponentialDifferenceRatio(t: number, tauG: number, tauS: number, expMinusTOverTauG: number): number {
  const delta = 1 / tauG - 1 / tauS;
  const x = t * delta;
  if (x === 0) return t * expMinusTOverTauG;
  // Factoring out e^(−t/τ_g) and using expm1 avoids cancellation when τ_g ≈ τ_s; for |x| ≥ 1 the
  // plain difference has no cancellation and cannot overflow.
  if (Math.abs(x) < 1) return (expMinusTOverTauG * Math.expm1(x)) / delta;
  return (Math.exp(-t / tauS) - expMinusTOverTauG) / delta;
}

export interface RelaxationParams {
  rho: number;
  tauG: number;
  tauS: number;
}

/** g after a stimulus-free interval t, starting from (g, s). */
export function relaxedG(g: number, s: number, t: number, p: RelaxationParams): number {
  const eg = Math.exp(-t / p.tauG);
  return 1 + (g - 1) * eg - ((p.rho * s) / p.tauG) * exponentialDifferenceRatio(t, p.tauG, p.tauS, eg);
}

export function relaxedS(s: number, t: number, tauS: number): number {
  return s * Math.exp(-t / tauS);
}
