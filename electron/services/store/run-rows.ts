/** How a run is read back from its row: the columns selected, and the row as a RunSummary or RunDetail. */
import type { RunStatus } from '../../../shared/contract';
import { parseOwner } from './owner';
import type { RunDetail, RunLogEntry, RunSummary } from './types';

export interface SummaryRow {
  id: string;
  experiment_id: string;
  experiment_name: string;
  name: string;
  status: RunStatus;
  exit_reason: string | null;
  device_kind: string | null;
  device_name: string | null;
  protocol_name: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  ended_at: string | null;
  tags: string;
  notes: string;
  sample_count: number;
  initial_g: number | null;
  final_g: number | null;
  min_g: number | null;
  max_g: number | null;
}

export interface DetailRow extends SummaryRow {
  protocol_json: string | null;
  protocol_hash: string | null;
  device_json: string | null;
  instrument_idn: string | null;
  app_version: string;
  host: string;
  owner_json: string | null;
  events_json: string;
}

export const SUMMARY_COLUMNS = `r.id, r.experiment_id, e.name AS experiment_name, r.name, r.status, r.exit_reason, r.device_kind, r.device_name,
  r.protocol_name, r.created_at, r.updated_at, r.started_at, r.ended_at, r.tags, r.notes, r.sample_count,
  r.initial_g, r.final_g, r.min_g, r.max_g`;
export const DETAIL_COLUMNS = `${SUMMARY_COLUMNS}, r.protocol_json, r.protocol_hash, r.device_json, r.instrument_idn, r.app_version, r.host,
  r.owner_json, r.events_json`;
export const FROM = 'FROM runs r JOIN experiments e ON e.id = r.experiment_id';

export function toSummary(r: SummaryRow): RunSummary {
  return {
    id: r.id,
    experimentId: r.experiment_id,
    experimentName: r.experiment_name,
    name: r.name,
    status: r.status,
    exitReason: r.exit_reason,
    deviceKind: r.device_kind ?? '',
    deviceName: r.device_name,
    protocolName: r.protocol_name ?? '',
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    tags: JSON.parse(r.tags) as string[],
    notes: r.notes,
    sampleCount: r.sample_count,
    initialG: r.initial_g,
    finalG: r.final_g,
    minG: r.min_g,
    maxG: r.max_g,
  };
}

export function toDetail(r: DetailRow): RunDetail {
  return {
    ...toSummary(r),
    protocol: r.protocol_json === null ? null : (JSON.parse(r.protocol_json) as unknown),
    protocolHash: r.protocol_hash,
    device: r.device_json === null ? null : (JSON.parse(r.device_json) as unknown),
    instrumentIdn: r.instrument_idn,
    appVersion: r.app_version,
    host: r.host,
    owner: parseOwner(r.owner_json),
    events: JSON.parse(r.events_json) as RunLogEntry[],
  };
}
