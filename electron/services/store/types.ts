/** The shapes the store hands out and takes in. Field names match shared/contract's domain schemas. */
import type { RunOwner } from './owner';
import type { RunStatus } from '../../../shared/contract';

export type { RunOwner, RunStatus };

/** One line of a run's log: a pause, a resume, a compliance trip, why it ended. */
export interface RunLogEntry {
  /** ISO-8601 UTC. */
  at: string;
  /** A short word: 'paused', 'resumed', 'compliance', 'stopped', 'failed', … */
  kind: string;
  message: string;
}

export interface Experiment {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
  /** How many runs the experiment holds. */
  runCount: number;
}

/** What a list of runs shows: no protocol or device documents. */
export interface RunSummary {
  id: string;
  experimentId: string;
  experimentName: string;
  name: string;
  status: RunStatus;
  exitReason: string | null;
  /** `device.kind` of the device snapshot ('' when the run has none). */
  deviceKind: string;
  /** The preset (simulated) or the driver (instrument) the snapshot names; null when it names none. */
  deviceName: string | null;
  /** `protocol.name` of the protocol snapshot ('' when the run has none). */
  protocolName: string;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  tags: string[];
  notes: string;
  /** Samples committed to the store. */
  sampleCount: number;
  /** Conductance (S) of the first / last committed sample with a finite g, and the extremes. */
  initialG: number | null;
  finalG: number | null;
  minG: number | null;
  maxG: number | null;
}

/** A run with its full provenance snapshot. */
export interface RunDetail extends RunSummary {
  /** The protocol document as it was when the run was created (parsed JSON), or null. */
  protocol: unknown;
  protocolHash: string | null;
  /** Simulated model + parameters + seed, or instrument identity + settings (parsed JSON), or null. */
  device: unknown;
  instrumentIdn: string | null;
  appVersion: string;
  host: string;
  /** The process driving the run while it is queued, running or paused (null for none). */
  owner: RunOwner | null;
  /** The run's log, oldest first. */
  events: RunLogEntry[];
}

export interface NewRun {
  /** A UUID chosen by the caller (e.g. when importing); a random one when absent. */
  id?: string;
  /** The experiment, by id … */
  experimentId?: string;
  /** … or by name (created when missing). Exactly one of the two. */
  experimentName?: string;
  name: string;
  /** 'queued' (default) or 'running' (then startedAt is now). */
  status?: 'queued' | 'running';
  /** The protocol document (an object; its `name`, when text, is searchable). */
  protocol?: object | null;
  /** Hash of the protocol document; SHA-256 of its stored JSON text when absent. */
  protocolHash?: string | null;
  /** The device snapshot (an object; its `kind`, when text, is filterable). */
  device?: object | null;
  /** The instrument's identification reply (`*IDN?`), for physical devices. */
  instrumentIdn?: string | null;
  /** The device (lab_devices) the run is on; its virtual device (per simulated preset or instrument) when absent. */
  deviceId?: string | null;
  notes?: string;
  tags?: string[];
  /** The process that will drive the run (see owner.ts); runs without one are treated as before owners existed. */
  owner?: RunOwner | null;
}

export interface RunFilter {
  experimentId?: string;
  /** One status or any of several. */
  status?: RunStatus | readonly RunStatus[];
  /** Case-insensitive substring of the run name, its notes or its protocol's name. */
  search?: string;
  /** A tag, or several that must all be present. */
  tag?: string | readonly string[];
  /** created_at ≥ createdFrom and < createdTo (Date, ISO string or epoch ms). */
  createdFrom?: Date | string | number;
  createdTo?: Date | string | number;
  deviceKind?: string;
  /** Page size, 1…1000 (default 100), and how many to skip. Newest first. */
  limit?: number;
  offset?: number;
}

export interface RunList {
  runs: RunSummary[];
  /** How many runs match the filter, over all pages. */
  total: number;
}

export interface StatusChange {
  /** Why the run ended (terminal statuses) or anything worth recording. */
  exitReason?: string | null;
  /** When it happened; now when absent. Sets startedAt (first 'running') or endedAt (terminal statuses). */
  at?: Date | string | number;
  /** Sets (or with null clears) the process driving the run. */
  owner?: RunOwner | null;
}
