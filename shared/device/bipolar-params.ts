import { defineParams, positive, type ParamRange } from './param-info';

/**
 * The parameters of the threshold-type bipolar model (bipolar.ts), in SI units, with what the UI
 * shows for each. Every default the workbench ships for it is its own choice ("ours"): presets.ts.
 */
export type BipolarParams = {
  /** Conductance of the pristine, unformed device (S). */
  gVirgin: number;
  /** High-resistance state: where a RESET ends (S). */
  gHrs: number;
  /** Low-resistance state a SET reaches when no compliance stops it earlier (S). */
  gLrs: number;
  /** Forming threshold of the virgin device (V). */
  vForm: number;
  /** SET threshold after forming (V). */
  vSet: number;
  /** RESET threshold, as a magnitude: a RESET needs V < −vReset (V). */
  vReset: number;
  /** SET rate at twice the threshold, in log-conductance positions per second (1/s). */
  kOn: number;
  /** RESET rate at twice the threshold (1/s). */
  kOff: number;
  /** How steeply the SET rate grows above threshold: (V/V_set − 1)^α_on. */
  alphaOn: number;
  /** How steeply the RESET rate grows beyond threshold: (|V|/V_reset − 1)^α_off. */
  alphaOff: number;
  /** Voltage scale of the gap's nonlinear conduction V_nl·sinh(V/V_nl) (V). */
  vNl: number;
};

const exponentRange: ParamRange = { min: 0, max: 10, minInclusive: false, maxInclusive: true };

export const bipolarParamInfo = defineParams<keyof BipolarParams>({
  gVirgin: {
    label: 'Virgin conductance G_virgin',
    unit: 'S',
    description: 'Conductance of the pristine device before forming; below G_HRS.',
    range: positive,
  },
  gHrs: {
    label: 'HRS conductance G_HRS',
    unit: 'S',
    description: 'High-resistance state: a complete RESET ends here (small-signal conductance at 0 V).',
    range: positive,
  },
  gLrs: {
    label: 'LRS conductance without compliance G_LRS',
    unit: 'S',
    description: 'Where a SET ends when no current compliance stops it first; under a compliance I_cc the SET ends at I_cc/V_set.',
    range: positive,
  },
  vForm: {
    label: 'Forming voltage V_form',
    unit: 'V',
    description: 'The virgin device only switches above this voltage; once formed, SET needs only V_set.',
    range: positive,
  },
  vSet: {
    label: 'SET voltage V_set',
    unit: 'V',
    description: 'A formed device SETs (conductance up) above this voltage.',
    range: positive,
  },
  vReset: {
    label: 'RESET voltage |V_reset|',
    unit: 'V',
    description: 'The device RESETs (conductance down) below −|V_reset|.',
    range: positive,
  },
  kOn: {
    label: 'SET rate k_on',
    unit: '1/s',
    description: 'Speed of the SET: the log-conductance position moves k_on·(V/V_set − 1)^α_on per second (1 = the whole HRS–LRS span).',
    range: positive,
  },
  kOff: {
    label: 'RESET rate k_off',
    unit: '1/s',
    description: 'Speed of the RESET: k_off·(|V|/V_reset − 1)^α_off per second.',
    range: positive,
  },
  alphaOn: {
    label: 'SET exponent α_on',
    unit: '',
    description: 'How steeply the SET speeds up above threshold (VTEAM-like).',
    range: exponentRange,
  },
  alphaOff: {
    label: 'RESET exponent α_off',
    unit: '',
    description: 'How steeply the RESET speeds up beyond threshold; larger makes the RESET more gradual near threshold.',
    range: exponentRange,
  },
  vNl: {
    label: 'Gap nonlinearity V_nl',
    unit: 'V',
    description: 'The HRS conducts as G·V_nl·sinh(V/V_nl) (strongly nonlinear); the LRS is ohmic; states between mix the two.',
    range: positive,
  },
});
