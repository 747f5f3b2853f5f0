/**
 * Migration 7: the archive's filters run in SQL over every run, not over a page of them.
 *
 * device_name: which device a run used, beside device_kind — the preset's name for a simulated
 * device, the driver for an instrument (from the device snapshot; null when the snapshot has none).
 * A VIRTUAL generated column (ALTER TABLE can add those), so nothing is rewritten.
 * Indexes for the filters the Archive offers: device, protocol name (case-insensitive, as the
 * filter compares it) and protocol hash, each with created_at so a filtered page comes out in
 * order.
 */
export const version = 7;
export const name = 'run-filters';

export const sql = /* sql */ `
ALTER TABLE runs ADD COLUMN device_name TEXT GENERATED ALWAYS AS (
  CASE device_kind
    WHEN 'simulated'  THEN CASE json_type(device_json, '$.preset') WHEN 'text' THEN json_extract(device_json, '$.preset') END
    WHEN 'instrument' THEN CASE json_type(device_json, '$.driver') WHEN 'text' THEN json_extract(device_json, '$.driver') END
  END
) VIRTUAL;

CREATE INDEX runs_by_device ON runs (device_kind, device_name, created_at);
CREATE INDEX runs_by_protocol_name ON runs (protocol_name COLLATE NOCASE, created_at);
CREATE INDEX runs_by_protocol_hash ON runs (protocol_hash);
`;
