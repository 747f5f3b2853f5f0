/**
 * Migration 3: device presets the user saved or fitted (the shipped ones stay files in
 * resources/devices). One row per preset, keyed by its name; the whole preset document is kept as
 * JSON — it is validated by shared/device's parseDevicePreset on the way in and on the way out —
 * and its model, title and source are copied into columns for listing.
 */
export const version = 3;
export const name = 'device-presets';

export const sql = /* sql */ `
CREATE TABLE device_presets (
  name        TEXT NOT NULL PRIMARY KEY
                CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^a-z0-9-]*' AND substr(name, 1, 1) != '-'),
  model       TEXT NOT NULL CHECK (model IN ('intrinsic-gradient', 'filamentary', 'ideal')),
  title       TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('ours', 'fitted', 'measured', 'literature')),
  preset_json TEXT NOT NULL CHECK (json_valid(preset_json) AND json_type(preset_json) = 'object'),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
`;
