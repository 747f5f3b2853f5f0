/**
 * The workbench's size policy, in one place: how long a text, how many items in a list, how big a
 * JSON document in a request, how big a file the workbench reads, how long and how large a protocol
 * may be. The contract's schemas (every request), the store's checks, protocol validation and the
 * Node side's file reader all take their numbers from here, and README / Help print this table.
 *
 * Every number is ours (chosen for lab use on a desktop PC), not the paper's. This module imports
 * nothing, so any layer may read it.
 */

/** Frozen, and typed as numbers rather than as these literals. */
const table = <T extends Record<string, number>>(values: T): Readonly<{ [K in keyof T]: number }> => Object.freeze(values);

/** Longest texts, in characters (UTF-16 code units, as JavaScript counts them). */
export const TEXT_LIMITS = table({
  /** Names of runs, experiments, protocols, RL runs. */
  name: 200,
  /** One tag. */
  tag: 100,
  /** Descriptions of protocols and experiments. */
  description: 10_000,
  /** A run's notes; also the longest free text the store keeps. */
  notes: 100_000,
  /** Search boxes and filters. */
  search: 200,
  /** File and serial-port paths, file names. */
  path: 500,
  /** Short identifiers: driver names, ids of virtual instruments, keys of a settings object. */
  key: 100,
  /** A seed written as text. */
  seed: 100,
});

/** Most items in a list. */
export const LIST_LIMITS = table({
  /** Tags on one run or protocol. */
  tags: 100,
});

/**
 * A JSON document inside a request (a protocol, a device preset, an RL experiment, an instrument's
 * settings): at most `characters` of JSON and `depth` levels of nesting. The store keeps documents
 * to the same size.
 */
export const DOCUMENT_LIMITS = table({
  characters: 5_000_000,
  depth: 64,
});

/** Text sent for fitting (a measured trace as CSV), in characters. */
export const TRACE_TEXT_LIMIT: number = 64 * 1024 * 1024;

/**
 * Largest file the workbench reads, per kind, in bytes; only regular files are read (never a
 * device such as /dev/zero, a pipe or a folder).
 */
export const FILE_LIMITS = table({
  /** A protocol document (.json). */
  protocol: DOCUMENT_LIMITS.characters,
  /** A device preset (.json). */
  preset: DOCUMENT_LIMITS.characters,
  /** An RL experiment definition (.json). */
  experiment: DOCUMENT_LIMITS.characters,
  /** A measured trace (.csv). */
  csv: TRACE_TEXT_LIMIT,
  /** An experiment bundle (.sqlite). */
  bundle: 2 * 1024 * 1024 * 1024,
});
export type FileKind = keyof typeof FILE_LIMITS;

/**
 * How long and how large one protocol may be, whatever the Settings say: checked when a protocol
 * is validated (so `protocol validate`, saving, the preview, `simulate` and `run` all refuse it)
 * and again by the interpreter. An operation is a pulse, a read or a wait; a wait that reads counts
 * its reads, and every block counts at least one operation each time it runs, so a loop that does
 * nothing still counts. Samples are pulses plus reads (Settings' max pulse and read counts apply
 * too, and are usually lower).
 */
export const PROTOCOL_BOUNDS = table({
  /** 30 days of protocol time. */
  maxDurationS: 30 * 24 * 3600,
  maxOperations: 100_000_000,
  maxSamples: 50_000_000,
});

/** The largest WebSocket message the web host accepts (a CSV trace's text, JSON-escaped, fits). */
export const MAX_WIRE_MESSAGE: number = 80 * 1024 * 1024;

/**
 * The run queue (runs waiting behind the one running). A queued run holds its compiled protocol in
 * memory until it starts — about 600 bytes per compiled step, so ten of the largest protocols
 * queued took 1.8 GB — and a flood of small ones would queue days of instrument time. Past either
 * limit runs.start (and `workbench run`) is refused until queued runs start or are stopped.
 */
export const QUEUE_LIMITS = table({
  /** Runs waiting. */
  runs: 1_000,
  /** Compiled steps (instructions) of the waiting runs' protocols, in all: three of the largest protocols. */
  steps: 1_000_000,
});

/**
 * The most agent steps one RL request may ask for, counted at its worst: Σ over environments and
 * strategies (a tuning's candidates, when `workbench tune` runs) of seeds × episode cap × step cap.
 * Without it the per-field limits (10,000 seeds, 1,000,000 episodes, 100,000 steps) let a file ask
 * for years of CPU. Ours, chosen from measurement (test/unit/rl/work-bound.test.ts keeps it so):
 * the shipped experiment asks for at most 270,000,000 (50 seeds × 15 strategies × (600 + 1,200
 * episodes) × 200 steps) and `workbench tune` with its shipped defaults for 6,451,200,000 (896
 * candidates × 20 seeds × 360,000), so the bound is 7.75 × the largest. One core ran about 430,000
 * agent steps a second (the shipped experiment's first 30 jobs), so a request at the bound is at
 * most ~32 core-hours even if every episode ran to its step cap: an overnight run, not a year.
 */
export const RL_BOUNDS = table({
  /** Agent steps of one experiment run, lab sweep, device run or tuning, worst case. */
  agentSteps: 50_000_000_000,
});
