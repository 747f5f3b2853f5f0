export type { DeviceModel, ReadResult } from './model';
export type { SimulatedDevice } from './simulated';
export { ablations, canAblate, createDevice, createModel, type Ablation, type DeviceOptions } from './create';
export {
  characterize,
  pairedPulseIndex,
  trainDeltaPercent,
  PAIRED_PULSE_INTERVALS_S,
  PAPER_SPIKE,
  PAPER_TRAIN,
  RATE_PERIODS_S,
  type Characterization,
  type CharacterizeOptions,
  type Spike,
} from './characterize';
export { CALIBRATION_PULSE, efficacy, efficacyFunction, efficacyParamInfo, type EfficacyParams } from './efficacy';
export {
  bipolarParamInfo,
  deviceKinds,
  filamentaryParamInfo,
  idealParamInfo,
  intrinsicGradientParamInfo,
  isDeviceKind,
  modelTitles,
  paramInfoByKind,
  paramInfoList,
  variationInfo,
  type BipolarParams,
  type DeviceKind,
  type FilamentaryParams,
  type IdealParams,
  type IntrinsicGradientParams,
  type ParamsByKind,
  type Variation,
} from './params';
export { inRange, requirementText, type ParamInfo, type ParamRange } from './param-info';
export {
  bipolarParamsSchema,
  devicePresetSchema,
  filamentaryParamsSchema,
  idealParamsSchema,
  intrinsicGradientParamsSchema,
  parameterSources,
  PRESET_SCHEMA_VERSION,
  variationSchema,
  type ParameterSource,
} from './schema';
export {
  ourParameters,
  parseDevicePreset,
  parseDevicePresetText,
  type DevicePreset,
  type DevicePresetOf,
  type PresetParseResult,
  type PresetProblem,
} from './preset';
export { bipolarOxidePreset, builtInPresets, DEFAULT_PRESET_NAME, filamentaryPreset, idealPreset, intrinsicGradientPreset } from './presets';
export { exponentialDifferenceRatio, relaxedG, relaxedS } from './relaxation';
export { BipolarDevice } from './bipolar';
export { measureStep, type StepMeasurement } from './source-measure';
export { FilamentaryDevice } from './filamentary';
export { IdealDevice } from './ideal';
export { IntrinsicGradientDevice } from './intrinsic-gradient';
export { deviceStreams, logNormalFactor, NO_VARIATION, type DeviceStreams } from './noise';
export { createSimulatedDevice, ModelDevice, type ModelDeviceOptions, type Pace, type SimulatedDeviceOptions } from './simulated-device';
export { DeviceError, deviceErrorKind, isComplianceTrip, type DeviceErrorKind } from './device-errors';
export { MIN_DEPRESSION_READS, MIN_RELAXATION_READS, monotone, TraceDevice, TraceDeviceError, type TraceDeviceSource, type TracePoint } from './trace-device';
