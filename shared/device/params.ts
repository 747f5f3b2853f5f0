import { bipolarParamInfo, type BipolarParams } from './bipolar-params';
import { efficacyParamInfo, type EfficacyParams } from './efficacy';
import { defineParams, positive, unitClosed, unitHalfOpen, unitPositive, type ParamInfo } from './param-info';

/**
 * The parameters of each model, in SI units, with the metadata the UI renders. Every default the
 * workbench ships is its own calibration (the paper's full text is not available): see presets.ts.
 */
export const deviceKinds = ['intrinsic-gradient', 'filamentary', 'ideal', 'bipolar'] as const;
export type DeviceKind = (typeof deviceKinds)[number];

const g0Info = {
  label: 'Pristine conductance G₀',
  unit: 'S',
  description: 'Conductance of the pristine device; g = G/G₀ starts at 1.',
  range: positive,
};

const gMinInfo = {
  label: 'Conductance floor g_min',
  unit: '',
  description: 'Lowest normalised conductance G/G₀ that depression can reach.',
  range: unitHalfOpen,
};

export const intrinsicGradientParamInfo = defineParams({
  g0: g0Info,
  kD: {
    label: 'Depression rate k_d',
    unit: '',
    description: 'Fraction of (g − g_min) one calibration spike removes from a pristine device.',
    range: unitPositive,
  },
  kS: {
    label: 'Barrier build-up k_s',
    unit: '',
    description: 'Fraction of the remaining barrier headroom (1 − s) one calibration spike adds.',
    range: unitClosed,
  },
  beta: {
    label: 'History gain β',
    unit: '',
    description: 'Depression is multiplied by (1 + β·s): the barrier makes later spikes stronger.',
    range: { min: 0, max: 100, minInclusive: true, maxInclusive: true },
  },
  rho: {
    label: 'Recovery deficit ρ',
    unit: '',
    description: 'Between spikes g relaxes toward 1 − ρ·s, so a built-up barrier blocks full recovery.',
    range: unitClosed,
  },
  gMin: gMinInfo,
  tauG: {
    label: 'Conductance relaxation τ_g',
    unit: 's',
    description: 'Time constant of the partial recovery of g toward 1 − ρ·s.',
    range: positive,
  },
  tauS: {
    label: 'Barrier relaxation τ_s',
    unit: 's',
    description: 'Time constant of the slow barrier decay s → 0 (the second-order memory).',
    range: positive,
  },
  ...efficacyParamInfo,
});

export const filamentaryParamInfo = defineParams({
  g0: g0Info,
  kD: {
    label: 'Gradual step k_d',
    unit: '',
    description: 'Fraction of (g − g_min) a calibration spike removes when it does not switch abruptly.',
    range: unitPositive,
  },
  retention: {
    label: 'Retained fraction',
    unit: '',
    description: 'Part of each gradual step that persists; the rest relaxes away with τ.',
    range: unitClosed,
  },
  tau: {
    label: 'Relaxation τ',
    unit: 's',
    description: 'Fast relaxation of the volatile part of the conductance change.',
    range: positive,
  },
  pAbrupt: {
    label: 'Abrupt-switch probability',
    unit: '',
    description: 'Chance that a calibration spike ruptures the filament instead of a gradual step (scales with efficacy).',
    range: unitClosed,
  },
  dropMin: {
    label: 'Smallest abrupt drop',
    unit: '',
    description: 'Lower end of the fractional conductance drop of an abrupt switch.',
    range: unitHalfOpen,
  },
  dropMax: {
    label: 'Largest abrupt drop',
    unit: '',
    description: 'Upper end of the fractional conductance drop of an abrupt switch.',
    range: unitHalfOpen,
  },
  gMin: gMinInfo,
  ...efficacyParamInfo,
});

export const idealParamInfo = defineParams({
  g0: g0Info,
  kD: {
    label: 'Step per spike k_d',
    unit: '',
    description: 'Fixed fraction of (g − g_min) removed by each calibration spike; no relaxation, no history.',
    range: unitPositive,
  },
  gMin: gMinInfo,
  ...efficacyParamInfo,
});

export const variationInfo = defineParams({
  c2c: {
    label: 'Cycle-to-cycle spread',
    unit: '',
    description: 'Relative standard deviation of each spike’s conductance step (log-normal, mean 1); bipolar model: of each cycle’s V_set, V_reset, HRS and LRS.',
    range: unitClosed,
  },
  d2d: {
    label: 'Device-to-device spread',
    unit: '',
    description: 'Relative standard deviation of G₀, the main relaxation time and k_d across devices; bipolar model: of its thresholds and conductances.',
    range: unitClosed,
  },
  read: {
    label: 'Read noise',
    unit: '',
    description: 'Relative standard deviation of a read (Gaussian, as a fraction of the true G).',
    range: unitClosed,
  },
});

export type IntrinsicGradientParams = EfficacyParams & {
  g0: number;
  kD: number;
  kS: number;
  beta: number;
  rho: number;
  gMin: number;
  tauG: number;
  tauS: number;
};

export type FilamentaryParams = EfficacyParams & {
  g0: number;
  kD: number;
  retention: number;
  tau: number;
  pAbrupt: number;
  dropMin: number;
  dropMax: number;
  gMin: number;
};

export type IdealParams = EfficacyParams & {
  g0: number;
  kD: number;
  gMin: number;
};

export interface ParamsByKind {
  'intrinsic-gradient': IntrinsicGradientParams;
  filamentary: FilamentaryParams;
  ideal: IdealParams;
  bipolar: BipolarParams;
}

export { bipolarParamInfo, type BipolarParams };

export type Variation = {
  c2c: number;
  d2d: number;
  read: number;
};

export const paramInfoByKind: { readonly [K in DeviceKind]: Readonly<Record<keyof ParamsByKind[K], ParamInfo>> } = {
  'intrinsic-gradient': intrinsicGradientParamInfo,
  filamentary: filamentaryParamInfo,
  ideal: idealParamInfo,
  bipolar: bipolarParamInfo,
};

/** The parameters of a model, in display order, for tables and forms. */
export function paramInfoList(kind: DeviceKind): readonly ParamInfo[] {
  return Object.values(paramInfoByKind[kind]);
}

export function isDeviceKind(value: unknown): value is DeviceKind {
  return typeof value === 'string' && (deviceKinds as readonly string[]).includes(value);
}

export const modelTitles: Readonly<Record<DeviceKind, string>> = {
  'intrinsic-gradient': 'Second-order intrinsic-gradient memristor',
  filamentary: 'Conventional filamentary memristor',
  ideal: 'Ideal first-order device',
  bipolar: 'Threshold-type bipolar memristor',
};
