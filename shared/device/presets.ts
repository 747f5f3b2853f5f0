import type { DevicePreset, DevicePresetOf } from './preset';

/**
 * The presets shipped with the workbench (mirrored in resources/devices/*.json; a test keeps the
 * two identical). All values are the workbench's own calibration: the paper's full text, with its
 * fitted parameters, is not available. Calibration targets, for the intrinsic-gradient model:
 * 100 spikes of 2 V, 10 ms at 1 Hz from pristine give ΔG = −98.1 % (measured: −98.17 % right
 * after the last spike), recovery is partial and still under way hundreds of seconds later, no
 * spike moves G by more than 10 % of G₀, and the response depends on the recent spike history.
 */
const OURS_NOTE =
  'All parameter values are the Memristor Workbench’s own calibration to the figures reported by Ming et al., ' +
  'Nat. Commun. 17, 3367 (2026); they are not the paper’s fitted values, which are not available to us.';

export const intrinsicGradientPreset: DevicePresetOf<'intrinsic-gradient'> = {
  schema: 1,
  name: 'intrinsic-gradient',
  title: 'Second-order intrinsic-gradient memristor (workbench calibration)',
  model: 'intrinsic-gradient',
  description:
    'Zn-porphyrin/AlOx memristor with an intrinsic oxygen gradient: gradual depression under unipolar spikes, ' +
    'partial recovery over hundreds of seconds and a slow barrier that makes the response depend on spike history. ' +
    '100 spikes of 2 V, 10 ms at 1 Hz give ΔG ≈ −98.1 %.',
  source: 'ours',
  readVoltage: 0.1,
  params: {
    g0: 10e-6,
    kD: 0.06,
    kS: 0.03,
    beta: 1,
    rho: 0.9,
    gMin: 0.01,
    tauG: 150,
    tauS: 1000,
    vTh: 1,
    vScale: 0.5,
    widthExponent: 0.5,
  },
  variation: { c2c: 0.03, d2d: 0.05, read: 0.01 },
  provenance: {
    g0: 'ours',
    kD: 'ours',
    kS: 'ours',
    beta: 'ours',
    rho: 'ours',
    gMin: 'ours',
    tauG: 'ours',
    tauS: 'ours',
    vTh: 'ours',
    vScale: 'ours',
    widthExponent: 'ours',
  },
  notes: OURS_NOTE,
};

export const filamentaryPreset: DevicePresetOf<'filamentary'> = {
  schema: 1,
  name: 'filamentary',
  title: 'Conventional filamentary memristor (workbench model)',
  model: 'filamentary',
  description:
    'Comparison device: fast volatile relaxation (τ ≈ 1 s) and stochastic, abrupt filament rupture — ' +
    'some spikes drop the conductance by 30–60 % at once; cycle-to-cycle spread 10 %.',
  source: 'ours',
  readVoltage: 0.1,
  params: {
    g0: 10e-6,
    kD: 0.06,
    retention: 0.3,
    tau: 1,
    pAbrupt: 0.15,
    dropMin: 0.3,
    dropMax: 0.6,
    gMin: 0.01,
    vTh: 1,
    vScale: 0.5,
    widthExponent: 0.5,
  },
  variation: { c2c: 0.1, d2d: 0.05, read: 0.01 },
  provenance: {
    g0: 'ours',
    kD: 'ours',
    retention: 'ours',
    tau: 'ours',
    pAbrupt: 'ours',
    dropMin: 'ours',
    dropMax: 'ours',
    gMin: 'ours',
    vTh: 'ours',
    vScale: 'ours',
    widthExponent: 'ours',
  },
  notes: 'A generic model of a conventional filamentary device, written by the workbench for comparison.',
};

export const idealPreset: DevicePresetOf<'ideal'> = {
  schema: 1,
  name: 'ideal',
  title: 'Ideal first-order device',
  model: 'ideal',
  description:
    'Reference device: every spike removes the same fraction of the remaining conductance, nothing relaxes. ' +
    'Its step is chosen so that 100 calibration spikes also give ΔG ≈ −98.1 %.',
  source: 'ours',
  readVoltage: 0.1,
  params: {
    g0: 10e-6,
    kD: 0.0459,
    gMin: 0.01,
    vTh: 1,
    vScale: 0.5,
    widthExponent: 0.5,
  },
  variation: { c2c: 0, d2d: 0, read: 0.01 },
  provenance: { g0: 'ours', kD: 'ours', gMin: 'ours', vTh: 'ours', vScale: 'ours', widthExponent: 'ours' },
  notes: 'A noise-free idealisation for comparison; only reads are noisy.',
};

export const builtInPresets: readonly DevicePreset[] = [intrinsicGradientPreset, filamentaryPreset, idealPreset];

export const DEFAULT_PRESET_NAME = 'intrinsic-gradient';
