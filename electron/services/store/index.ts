/** The workbench store: the public surface. */
export { openStore, Store, type StoreOptions } from './store';
export { StoreError, StoreOpenError, isStoreError, type StoreErrorCode, type StoreOpenErrorCode } from './errors';
export { SampleWriter, type Columns, type SampleRange, type SampleWriterOptions } from './samples';
export type { SampleColumns } from '../../../shared/samples/columns';
export type { Experiments } from './experiments';
export { transitions, type Runs } from './runs';
export type { Experiment, NewRun, RunDetail, RunFilter, RunList, RunStatus, RunSummary, StatusChange } from './types';
export { runStatuses, terminalStatuses, activeStatuses } from './validate';
export { APPLICATION_ID, CHUNK_SIZE, DATABASE_FILE_NAME, INTERRUPTED_EXIT_REASON } from './identity';
export { LATEST_SCHEMA_VERSION } from './migrations/index';
