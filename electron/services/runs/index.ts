/** The run engine and what goes with it: device specs, protocol preparation, export, the sample experiment. */
export { DEFAULT_EXPERIMENT, RunEngine, RunEngineError, type RunAction, type RunEngineOptions, type SubmitRun } from './engine';
export {
  DeviceOpener,
  DeviceUnavailableError,
  describeDeviceSnapshot,
  parseDeviceArg,
  randomSeed,
  specSnapshot,
  type DeviceOpenContext,
  type InstrumentDeviceFactory,
  type InstrumentOpeners,
  type InstrumentDeviceSpec,
  type OpenedDevice,
  type RunDeviceSpec,
  type SimulatedDeviceSpec,
} from './devices';
export { canonicalJson, prepareProtocol, protocolHash, type PreparedProtocol, type PrepareResult } from './protocol';
export { RUN_JSON_FORMAT, exportFilename, exportRun, isoWithOffset, runToJson, sidecarFilename, type ExportedRun, type ExportedText, type ExportOptions } from './export';
export { CSV_HEADER, DECIMALS, SIDECAR_FORMAT, TIDY_COLUMNS, exactDecimal, runToTidyCsv, type TidyColumn, type TidyCsv } from './export-csv';
export { SAMPLE_EXPERIMENT_ID, SAMPLE_EXPERIMENT_NAME, SAMPLE_RUNS, buildSampleBundle, sampleBundleFile } from './sample-experiment';
export { ANALYSIS_VERSION, analyzeRun, type RunAnalysis } from './analysis';
