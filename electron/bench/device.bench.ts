import { performance } from 'node:perf_hooks';
import { createDevice, intrinsicGradientPreset } from '../../shared/device';
import type { BenchFigure, Benchmark } from './types';

/**
 * How much the DeviceModel abstraction costs: spike+relax updates per second of the
 * intrinsic-gradient model with noise on, against a bare loop doing the same arithmetic inline
 * (the same Math.sinh/pow/exp/expm1/log/sqrt/cos calls, an inlined xoshiro128** for the noise,
 * no objects). Target from issue #3: ratio ≥ 0.5.
 */
const SPIKE_V = 2;
const SPIKE_W = 0.01;
const PERIOD = 1;

/** Keeps the results alive so the JIT cannot drop the loops. */
let sink = 0;

function modelLoop(n: number): number {
  const device = createDevice(intrinsicGradientPreset, { seed: 1 });
  for (let k = 0; k < n; k++) {
    device.pulse(SPIKE_V, SPIKE_W);
    device.relax(PERIOD);
  }
  return device.conductance();
}

function bareLoop(n: number): number {
  const p = intrinsicGradientPreset.params;
  const sigma = intrinsicGradientPreset.variation.c2c;
  const { kD, kS, beta, rho, gMin, tauG, tauS, vTh, widthExponent } = p;
  const invScale = 1 / p.vScale;
  const norm = 1 / Math.sinh((2 - vTh) * invScale);
  let s0 = 0x9e3779b9 | 0;
  let s1 = 0x243f6a88 | 0;
  let s2 = 0xb7e15162 | 0;
  let s3 = 0x13198a2e | 0;
  const uniform = (): number => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result / 4294967296;
  };
  let spare = 0;
  let hasSpare = false;
  let g = 1;
  let s = 0;
  for (let k = 0; k < n; k++) {
    const e = SPIKE_V > vTh && SPIKE_W > 0 ? Math.sinh((SPIKE_V - vTh) * invScale) * norm * Math.pow(SPIKE_W * 100, widthExponent) : 0;
    if (e > 0) {
      let z: number;
      if (hasSpare) {
        hasSpare = false;
        z = spare;
      } else {
        const r = Math.sqrt(-2 * Math.log(1 - uniform()));
        const theta = 2 * Math.PI * uniform();
        spare = r * Math.sin(theta);
        hasSpare = true;
        z = r * Math.cos(theta);
      }
      let step = kD * e * (1 + beta * s) * Math.exp(sigma * z - 0.5 * sigma * sigma);
      step = step > 0 ? (step < 1 ? step : 1) : 0;
      g = gMin + (1 - step) * (g - gMin);
      const ds = kS * e;
      s += (ds > 0 ? (ds < 1 ? ds : 1) : 0) * (1 - s);
    }
    const eg = Math.exp(-PERIOD / tauG);
    const delta = 1 / tauG - 1 / tauS;
    const x = PERIOD * delta;
    const ratio = Math.abs(x) < 1 ? (eg * Math.expm1(x)) / delta : (Math.exp(-PERIOD / tauS) - eg) / delta;
    g = 1 + (g - 1) * eg - ((rho * s) / tauG) * ratio;
    s = s * Math.exp(-PERIOD / tauS);
    g = g < gMin ? gMin : g > 1 ? 1 : g;
  }
  return g * p.g0;
}

function rate(loop: (n: number) => number, n: number): number {
  const start = performance.now();
  sink += loop(n);
  const seconds = (performance.now() - start) / 1000;
  return n / Math.max(seconds, 1e-9);
}

export const deviceBenchmarks: Benchmark[] = [
  {
    id: 'device.updates',
    title: 'Device model: spike+relax updates per second',
    async run(ctx) {
      const n = Math.max(2000, Math.round(2_000_000 * ctx.scale));
      // Warm both loops up, then alternate and keep the best of each, so a busy moment on a
      // shared machine does not land on one side only.
      modelLoop(Math.min(n, 20_000));
      bareLoop(Math.min(n, 20_000));
      let model = 0;
      let bare = 0;
      for (let round = 0; round < 3; round++) {
        model = Math.max(model, rate(modelLoop, n));
        bare = Math.max(bare, rate(bareLoop, n));
      }
      const ratio = model / bare;
      const figure: BenchFigure = {
        id: 'device.updates',
        title: 'intrinsic-gradient spike+relax updates per second (noise on), higher is better',
        value: model,
        unit: 'updates/s',
        baseline: { title: 'the same arithmetic inline in a bare loop', value: bare, unit: 'updates/s' },
        ratio,
        target: { description: 'ratio ≥ 0.5 of the bare loop', met: ratio >= 0.5 && Number.isFinite(sink) },
      };
      return [figure];
    },
  },
];
