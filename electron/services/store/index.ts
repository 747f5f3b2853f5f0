/** The workbench store: the public surface. */
export { openStore, Store, type StoreOptions } from './store';
export { StoreError, StoreOpenError, isStoreError, type StoreErrorCode, type StoreOpenErrorCode } from './errors';
export { SampleWriter, type Columns, type SampleRange, type SampleWriterOptions } from './samples';
export type { SampleColumns } from '../../../shared/samples/columns';
export type { Experiments } from './experiments';
export { transitions, type Runs } from './runs';
export type { Protocols, ProtocolFilter, ProtocolRecord, ProtocolSummary, ProtocolVersionInfo, SaveProtocol, InvalidProtocolDetails } from './protocols';
export { reservedPresetNames, type DevicePresets, type DevicePresetSummary, type SavedDevicePreset } from './device-presets';
export { RL_INTERRUPTED_MESSAGE, type RlRuns } from './rl-runs';
export type { DeviceEpisode, RlCheckpoints, StoredCheckpoint } from './rl-checkpoints';
export type { NewRlRun, RlJobSummary, RlJobTrace, RlRunDetail, RlRunFilter, RlRunRecord, RlRunStatus } from './rl-run-types';
export type { Experiment, NewRun, RunDetail, RunFilter, RunList, RunLogEntry, RunOwner, RunStatus, RunSummary, StatusChange } from './types';
export { currentOwner, ownerLiveness, type OwnerLiveness } from './owner';
export { ABANDONED_EXIT_REASON } from './runs';
export { BUNDLE_APPLICATION_ID, BUNDLE_EXTENSION, BUNDLE_FORMAT, BUNDLE_VERSION, BundleError, readBundle, type BundleExport, type BundleImport, type Bundles } from './bundle';
export { APPLICATION_ID, CHUNK_SIZE, DATABASE_FILE_NAME, INTERRUPTED_EXIT_REASON } from './identity';
export { LATEST_SCHEMA_VERSION } from './migrations/index';
export { LabPublishLedger, labItemKinds, type LabItemKind, type LabItemState, type LabPendingItem, type LabPublishCounts, type LabPublishState } from './lab-publish';
