export { levenbergMarquardt } from './levenberg-marquardt';
export { nelderMead, nelderMeadLeastSquares, type MinimizeResult, type NelderMeadOptions } from './nelder-mead';
export type { FitStatus, LeastSquaresOptions, LeastSquaresResult } from './result';
export { leastSquaresUncertainty, type ResidualFunction, type Uncertainty } from './uncertainty';
export { transformFor, type Bound, type ParamTransform } from './bounds';
export { choleskySolve, invertSymmetric, type Matrix } from './linalg';
export { readConductance, type MeasuredTrace, type PulseEvent, type ReadEvent } from './trace';
export {
  formatTraceCsv,
  formatTraceCsvError,
  parseTraceCsv,
  traceFileLayout,
  TRACE_COLUMNS,
  type TraceColumn,
  type TraceCsvError,
  type TraceCsvOptions,
  type TraceCsvResult,
  type TraceFileLayout,
} from './trace-csv';
export {
  fitDeviceModel,
  fittableKinds,
  simulateReads,
  type DeviceFitInput,
  type DeviceFitResult,
  type DeviceFitSuccess,
  type FittableKind,
  type ParameterEstimate,
} from './device-fit';
