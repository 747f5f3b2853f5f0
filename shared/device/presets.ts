import type { DevicePreset, DevicePresetOf } from './preset';

/**
 * The presets shipped with the workbench (mirrored in resources/devices/*.json; a test keeps the
 * two identical). All values are the workbench's own calibration: the paper's full text, with its
 * fitted parameters, is not available. Calibration targets, for the intrinsic-gradient model:
 * 100 spikes of 2 V, 10 ms at 1 Hz from pristine give ΔG = −98.1 % (measured: −98.10 % right
 * after the last spike), recovery is partial and still under way hundreds of seconds later
 * (G/G₀ = 0.30 at 100 s, 0.83 at 600 s; a single spike recovers too, since k_d > ρ·k_s), no spike moves G by more than 10 % of G₀, and the second
 * state is visible: a calibration spike 0.1 s after another removes 1.25× the fraction of
 * (G − G_min) the first did, decaying back to 1 with a half-decay interval of 277 s
 * (`workbench characterize`). β·k_s sets that 0.25 and τ_s·ln 2 the half-decay interval.
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
    kD: 0.0475,
    kS: 0.05,
    beta: 5,
    rho: 0.5,
    gMin: 0.01,
    tauG: 150,
    tauS: 400,
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

/**
 * A generic bipolar oxide device (HfOx/TaOx-like figures), the workbench's own choice: HRS 50 kΩ,
 * LRS 200 Ω without compliance (a 500 µA compliance at V_set ≈ 0.9 V gives about 1.8 kΩ), a virgin
 * 100 MΩ that forms above 2.5 V, an abrupt SET and a RESET spread over about 0.1 V.
 */
export const bipolarOxidePreset: DevicePresetOf<'bipolar'> = {
  schema: 1,
  name: 'bipolar-oxide',
  title: 'Bipolar oxide memristor (workbench model)',
  model: 'bipolar',
  description:
    'Threshold-type bipolar device for I–V sweeps, forming and SET/RESET cycling: a virgin state that forms above 2.5 V, ' +
    'SET above +0.9 V (abrupt, limited by the current compliance), RESET below −0.8 V (gradual), a nonlinear HRS and an ohmic LRS; ' +
    'V_set, V_reset, HRS and LRS vary from cycle to cycle (8 %) and from device to device (5 %).',
  source: 'ours',
  readVoltage: 0.1,
  params: {
    gVirgin: 1e-8,
    gHrs: 2e-5,
    gLrs: 5e-3,
    vForm: 2.5,
    vSet: 0.9,
    vReset: 0.8,
    kOn: 100000,
    kOff: 10000,
    alphaOn: 2,
    alphaOff: 3,
    vNl: 0.5,
  },
  variation: { c2c: 0.08, d2d: 0.05, read: 0.01 },
  provenance: {
    gVirgin: 'ours',
    gHrs: 'ours',
    gLrs: 'ours',
    vForm: 'ours',
    vSet: 'ours',
    vReset: 'ours',
    kOn: 'ours',
    kOff: 'ours',
    alphaOn: 'ours',
    alphaOff: 'ours',
    vNl: 'ours',
  },
  notes:
    'A generic bipolar oxide device written by the workbench (not fitted to any one device): figures typical of HfOx or TaOx cells, ' +
    'chosen so that I–V sweeps, forming and SET/RESET cycling look as they do on a lab bench.',
};

export const builtInPresets: readonly DevicePreset[] = [intrinsicGradientPreset, filamentaryPreset, idealPreset, bipolarOxidePreset];

export const DEFAULT_PRESET_NAME = 'intrinsic-gradient';
