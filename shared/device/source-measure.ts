import type { DeviceModel } from './model';

/** What a source–measure step reads at its end: the current, limited to ±compliance. */
export interface StepMeasurement {
  current: number;
  inCompliance: boolean;
}

/**
 * The current a source–measure unit reports at the end of a step at `voltage` under `compliance`
 * (A): the model's measured current (read noise included; the model's own nonlinear I–V when it
 * has one), clamped to ±compliance, as the source limits it. A simulated run and the run engine's
 * simulated device both measure a sweep step with this, so their samples agree.
 */
export function measureStep(model: DeviceModel, voltage: number, compliance: number): StepMeasurement {
  const current = model.readCurrent !== undefined ? model.readCurrent(voltage) : model.read(voltage).current;
  return { current: limitedCurrent(current, compliance), inCompliance: inCompliance(current, compliance) };
}

/** Whether a source limited to ±compliance is in compliance when the device draws `current` (NaN counts as beyond). */
export function inCompliance(current: number, compliance: number): boolean {
  return !(Math.abs(current) < compliance);
}

/** The current the source reports when the device draws `current`: itself within ±compliance, else the limit. */
export function limitedCurrent(current: number, compliance: number): number {
  return Math.abs(current) < compliance ? current : current < 0 ? -compliance : compliance;
}
