/** What the store's RL runs take and give (rl-runs.ts). */
import type { RlRunStatus } from '../../../shared/contract/areas/rl';
import type { EpisodeTrace, Experiment, PhaseResult } from '../../../shared/rl';
import type { RunOwner } from './owner';

export type { RlRunStatus };

export interface RlRunRecord {
  id: string;
  /** The archive experiment it belongs to (the one chosen at the top of the app), if any. */
  experimentId: string | null;
  name: string;
  /** The experiment definition's own name and title ('paper', "Device-driven learning rate vs …"). */
  definitionName: string;
  title: string;
  status: RlRunStatus;
  /** Why it failed, was cancelled or interrupted; null otherwise. */
  message: string | null;
  seeds: number[];
  jobsTotal: number;
  jobsDone: number;
  environments: { id: string; title: string; episodes: number }[];
  strategies: { id: string; name: string; kind: string }[];
  /** The comparison per environment as stored when the run ended (JSON; NaN became null); null while running. */
  comparison: unknown[] | null;
  /** A physical device in the loop: which strategy and the instrument's snapshot; null for simulated runs. */
  hardware: unknown;
  appVersion: string;
  host: string;
  /** Wall time of the run (s), once it ended. */
  wallSeconds: number | null;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export interface RlRunDetail extends RlRunRecord {
  /** The experiment exactly as it ran (parsed, defaults filled in). */
  config: Experiment;
  owner: RunOwner | null;
}

export interface NewRlRun {
  id?: string;
  name: string;
  experimentId?: string | null;
  config: Experiment;
  seeds: readonly number[];
  jobsTotal: number;
  hardware?: unknown;
  /** The device (lab_devices) the run is on; its virtual device (per preset or instrument identity) when absent. */
  deviceId?: string | null;
}

export interface RlJobSummary {
  environmentId: string;
  strategyId: string;
  seed: number;
  episodes: number;
  trainingIterations: number;
  converged: boolean;
  phases: PhaseResult[];
}

export interface RlJobTrace {
  seed: number;
  trace: EpisodeTrace;
}

export interface RlRunFilter {
  experimentId?: string;
  status?: RlRunStatus;
  /** Case-insensitive substring of the run's name, or its definition's name or title. */
  search?: string;
  /** Page size (1…10 000, default all) and how many to skip. Newest first. */
  limit?: number;
  offset?: number;
}

/** An rl_runs row. */
export interface RunRow {
  id: string;
  experiment_id: string | null;
  name: string;
  definition_name: string;
  title: string;
  status: RlRunStatus;
  message: string | null;
  config_json: string;
  seeds_json: string;
  jobs_total: number;
  jobs_done: number;
  comparison_json: string | null;
  hardware_json: string | null;
  owner_json: string | null;
  app_version: string;
  host: string;
  wall_seconds: number | null;
  created_at: string;
  updated_at: string;
  ended_at: string | null;
}
