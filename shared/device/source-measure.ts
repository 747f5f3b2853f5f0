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
  if (Math.abs(current) < compliance) return { current, inCompliance: false };
  return { current: current < 0 ? -compliance : compliance, inCompliance: true };
}
