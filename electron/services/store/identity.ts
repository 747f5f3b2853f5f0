/** Constants that identify a workbench database and shape its sample storage. */

/** `PRAGMA application_id` of every workbench database: 'MWB1'. */
export const APPLICATION_ID = 0x4d574231;

/** The database file inside the data folder. */
export const DATABASE_FILE_NAME = 'workbench.sqlite';

/** Samples per full chunk (one `sample_chunks` row). Chunks may hold fewer (a flushed tail). */
export const CHUNK_SIZE = 4096;

/** What a run crashed in the middle of is marked with. */
export const INTERRUPTED_EXIT_REASON = 'the workbench stopped while the run was active';

/** Page size given to new databases (samples are large BLOBs; bigger pages mean fewer overflow pages). */
export const NEW_DATABASE_PAGE_SIZE = 8192;
