import { defineParams, nonNegative, positive } from './param-info';

/**
 * Efficacy e(V, w): how strongly one unipolar spike of amplitude V and width w drives the device,
 * normalised so the calibration pulse (2 V, 10 ms) has e = 1. Zero at or below the threshold,
 * growing like sinh above it (drift under a field grows faster than linearly) and as a power of
 * the width. Pulses of the opposite polarity are outside the calibrated range of these unipolar
 * models and count as sub-threshold.
 *
 *   e(V, w) = sinh((V − vTh)/vScale) / sinh((2 V − vTh)/vScale) · (w / 10 ms)^widthExponent
 */
export const CALIBRATION_PULSE = { amplitude: 2, width: 0.01 } as const;

export type EfficacyParams = {
  vTh: number;
  vScale: number;
  widthExponent: number;
};

export const efficacyParamInfo = defineParams({
  vTh: {
    label: 'Threshold voltage V_th',
    unit: 'V',
    description: 'Spikes at or below this amplitude leave the state unchanged (reads are far below it).',
    range: { min: 0, max: CALIBRATION_PULSE.amplitude, minInclusive: true, maxInclusive: false },
  },
  vScale: {
    label: 'Voltage scale V₀',
    unit: 'V',
    description: 'How fast the efficacy grows above threshold: e ∝ sinh((V − V_th)/V₀).',
    range: positive,
  },
  widthExponent: {
    label: 'Width exponent γ',
    unit: '',
    description: 'Efficacy grows with pulse width as (w / 10 ms)^γ; 0 makes width irrelevant.',
    range: nonNegative,
  },
});

/** Precomputes the normalisation once; the returned function is the per-spike hot path. */
export function efficacyFunction(p: EfficacyParams): (amplitude: number, width: number) => number {
  const invScale = 1 / p.vScale;
  const norm = 1 / Math.sinh((CALIBRATION_PULSE.amplitude - p.vTh) * invScale);
  const invWidth = 1 / CALIBRATION_PULSE.width;
  const { vTh, widthExponent } = p;
  return (amplitude, width) => {
    // Written so NaN inputs also land here: a NaN pulse never corrupts the state.
    if (!(amplitude > vTh) || !(width > 0)) return 0;
    return Math.sinh((amplitude - vTh) * invScale) * norm * Math.pow(width * invWidth, widthExponent);
  };
}

export function efficacy(p: EfficacyParams, amplitude: number, width: number): number {
  return efficacyFunction(p)(amplitude, width);
}
