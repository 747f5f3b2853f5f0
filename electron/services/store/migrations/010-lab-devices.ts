/**
 * Migration 10: the device-centric archive (#14). A lab thinks in devices: a sample (a wafer or a
 * piece), its chips, the devices on each chip — on a crossbar, addressed by word line and bit line
 * — and each device's life, its runs in order.
 *
 * lab_samples → lab_chips → lab_devices, each with free metadata. A chip with rows × cols is a
 * crossbar: its devices carry (word_line, bit_line) inside it, one device per crossing
 * (UNIQUE, and the store checks the bounds). A device without runs can be deleted; one with runs is
 * refused — it can be archived (archived_at) instead, so no run ever loses its device.
 *
 * Virtual devices: every run is attached to a device. Runs on a simulated preset go to a named
 * virtual device per preset ('sim:<preset>'), runs on an instrument to one per instrument identity
 * ('idn:<*IDN? reply>', or 'instrument:<driver> on <port>' before the instrument answered); they
 * live on the fixed sample "Virtual devices" and its two chips. This migration gives every existing
 * run and RL run such a device.
 *
 * run_figures / run_cycles: each ended run's figures for the timeline, the chip map and the
 * variability statistics (pulses, stress in V·s, per switching cycle HRS/LRS/V_set/V_reset and
 * whether it switched), computed once from its samples (shared/lab/run-figures.ts) and kept, and
 * device_figures, each device's summarised, so a device's timeline is one indexed query.
 */
import { terminalRunStatuses } from '../../../../shared/contract/domain';

export const version = 10;

/** The run statuses in which a run has ended, as an SQL list. */
const TERMINAL = `(${terminalRunStatuses.map((x) => `'${x}'`).join(', ')})`;
export const name = 'lab-devices';

/** Fixed ids of the sample and chips that hold the virtual devices. */
export const VIRTUAL_SAMPLE_ID = '00000000-0000-4000-8000-00000000a001';
export const SIMULATED_CHIP_ID = '00000000-0000-4000-8000-00000000c001';
export const INSTRUMENT_CHIP_ID = '00000000-0000-4000-8000-00000000c002';

/** A random version-4 UUID in SQL (the migration runs in SQL only). */
const UUID_SQL = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
  substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))`;

/** The virtual-device key of a stored run (the same rule as deviceKeyForRun in virtual-device-keys.ts). */
const RUN_KEY_SQL = `CASE
    WHEN device_kind = 'instrument' AND instrument_idn IS NOT NULL AND trim(instrument_idn) != '' THEN 'idn:' || trim(instrument_idn)
    WHEN device_kind = 'instrument' THEN 'instrument:' || coalesce(json_extract(device_json, '$.driver'), '?') || ' on ' || coalesce(json_extract(device_json, '$.port'), '?')
    WHEN device_kind = 'simulated' THEN 'sim:' || coalesce(json_extract(device_json, '$.preset'), json_extract(device_json, '$.model'), 'unnamed')
    ELSE 'sim:unknown'
  END`;

/** The virtual-device key of a stored RL run. */
const RL_KEY_SQL = `CASE
    WHEN hardware_json IS NOT NULL AND json_type(hardware_json, '$.identity') = 'text' THEN 'idn:' || trim(json_extract(hardware_json, '$.identity'))
    WHEN hardware_json IS NOT NULL THEN 'instrument:RL device'
    WHEN json_type(config_json, '$.strategies[0].device') = 'text' THEN 'sim:' || json_extract(config_json, '$.strategies[0].device')
    ELSE 'sim:rl'
  END`;

const keyName = (key: string) => `CASE
    WHEN ${key} LIKE 'sim:%' THEN 'Simulated ' || substr(${key}, 5)
    WHEN ${key} LIKE 'idn:%' THEN substr(${key}, 5, 200)
    ELSE substr(${key}, 12, 200)
  END`;

export const sql = /* sql */ `
CREATE TABLE lab_samples (
  id            TEXT NOT NULL PRIMARY KEY,
  name          TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(trim(name)) > 0),
  kind          TEXT NOT NULL CHECK (kind IN ('wafer', 'piece', 'virtual')),
  material_stack TEXT NOT NULL DEFAULT '',
  fabricated_on TEXT,
  notes         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE lab_chips (
  id            TEXT NOT NULL PRIMARY KEY,
  sample_id     TEXT NOT NULL REFERENCES lab_samples(id) ON DELETE RESTRICT,
  name          TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
  rows          INTEGER CHECK (rows IS NULL OR rows > 0),
  cols          INTEGER CHECK (cols IS NULL OR cols > 0),
  material_stack TEXT NOT NULL DEFAULT '',
  notes         TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  CHECK ((rows IS NULL) = (cols IS NULL)),
  UNIQUE (sample_id, name)
) STRICT;
CREATE INDEX lab_chips_by_sample ON lab_chips (sample_id, name);

CREATE TABLE lab_devices (
  id            TEXT NOT NULL PRIMARY KEY,
  chip_id       TEXT NOT NULL REFERENCES lab_chips(id) ON DELETE RESTRICT,
  name          TEXT NOT NULL COLLATE NOCASE CHECK (length(trim(name)) > 0),
  kind          TEXT NOT NULL CHECK (kind IN ('physical', 'virtual')),
  virtual_key   TEXT UNIQUE CHECK ((kind = 'virtual') = (virtual_key IS NOT NULL)),
  word_line     INTEGER CHECK (word_line IS NULL OR word_line >= 0),
  bit_line      INTEGER CHECK (bit_line IS NULL OR bit_line >= 0),
  material_stack TEXT NOT NULL DEFAULT '',
  area_m2       REAL CHECK (area_m2 IS NULL OR area_m2 > 0),
  fabricated_on TEXT,
  notes         TEXT NOT NULL DEFAULT '',
  archived_at   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  CHECK ((word_line IS NULL) = (bit_line IS NULL)),
  UNIQUE (chip_id, name),
  UNIQUE (chip_id, word_line, bit_line)
) STRICT;

ALTER TABLE runs ADD COLUMN device_id TEXT REFERENCES lab_devices(id) ON DELETE RESTRICT;
ALTER TABLE rl_runs ADD COLUMN device_id TEXT REFERENCES lab_devices(id) ON DELETE RESTRICT;
CREATE INDEX runs_by_lab_device ON runs (device_id, created_at);
CREATE INDEX rl_runs_by_lab_device ON rl_runs (device_id, created_at);

CREATE TABLE run_figures (
  run_id        TEXT NOT NULL PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  device_id     TEXT NOT NULL REFERENCES lab_devices(id) ON DELETE RESTRICT,
  pulses        INTEGER NOT NULL CHECK (pulses >= 0),
  stress_vs     REAL    NOT NULL CHECK (stress_vs >= 0),
  cycles        INTEGER NOT NULL CHECK (cycles >= 0),
  hrs           REAL,
  lrs           REAL,
  v_set         REAL,
  v_reset       REAL
) STRICT;
CREATE INDEX run_figures_by_device ON run_figures (device_id);

-- Ended runs whose figures are not computed yet (a view computes them): kept by triggers, so a
-- view finds them without looking at every run.
CREATE TABLE pending_figures (
  run_id TEXT NOT NULL PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE
) STRICT;
CREATE TRIGGER runs_ended AFTER UPDATE OF status ON runs
  WHEN new.status IN ${TERMINAL} AND old.status NOT IN ${TERMINAL}
  BEGIN INSERT OR IGNORE INTO pending_figures (run_id) VALUES (new.id); END;
CREATE TRIGGER runs_added_ended AFTER INSERT ON runs
  WHEN new.status IN ${TERMINAL}
  BEGIN INSERT OR IGNORE INTO pending_figures (run_id) VALUES (new.id); END;
INSERT INTO pending_figures (run_id) SELECT id FROM runs WHERE status IN ${TERMINAL};

CREATE TABLE run_cycles (
  run_id        TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  cycle         INTEGER NOT NULL CHECK (cycle >= 1),
  device_id     TEXT NOT NULL REFERENCES lab_devices(id) ON DELETE RESTRICT,
  hrs           REAL,
  lrs           REAL,
  v_set         REAL,
  v_reset       REAL,
  switched      INTEGER NOT NULL CHECK (switched IN (0, 1)),
  PRIMARY KEY (run_id, cycle)
) STRICT;
CREATE INDEX run_cycles_by_device ON run_cycles (device_id, hrs, lrs, v_set, v_reset, switched);

-- Per device, its cycles summarised (medians over its cycles, cycles survived, whether it
-- switches): what a chip's map and its device-to-device statistics read, one row a device. A
-- row goes whenever one of the device's run figures comes or goes (the triggers) and is made
-- again when a view needs it.
CREATE TABLE device_figures (
  device_id     TEXT NOT NULL PRIMARY KEY REFERENCES lab_devices(id) ON DELETE CASCADE,
  pulses        INTEGER NOT NULL CHECK (pulses >= 0),
  cycles        INTEGER NOT NULL CHECK (cycles >= 0),
  survived      INTEGER NOT NULL CHECK (survived >= 0),
  hrs           REAL,
  lrs           REAL,
  v_set         REAL,
  v_reset       REAL,
  switches      INTEGER CHECK (switches IS NULL OR switches IN (0, 1))
) STRICT;
CREATE TRIGGER run_figures_added AFTER INSERT ON run_figures BEGIN
  DELETE FROM device_figures WHERE device_id = new.device_id;
  DELETE FROM pending_figures WHERE run_id = new.run_id;
END;
CREATE TRIGGER run_figures_removed AFTER DELETE ON run_figures BEGIN DELETE FROM device_figures WHERE device_id = old.device_id; END;

INSERT INTO lab_samples (id, name, kind, notes, created_at, updated_at)
  VALUES ('${VIRTUAL_SAMPLE_ID}', 'Virtual devices', 'virtual',
          'Simulated presets and instruments not yet placed on a chip: every run is attached to a device, these hold the runs that name no other.',
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
INSERT INTO lab_chips (id, sample_id, name, created_at, updated_at) VALUES
  ('${SIMULATED_CHIP_ID}', '${VIRTUAL_SAMPLE_ID}', 'Simulated', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  ('${INSTRUMENT_CHIP_ID}', '${VIRTUAL_SAMPLE_ID}', 'Instruments', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

CREATE TEMP TABLE m010_keys (key TEXT NOT NULL PRIMARY KEY);
INSERT OR IGNORE INTO m010_keys SELECT ${RUN_KEY_SQL} FROM runs;
INSERT OR IGNORE INTO m010_keys SELECT ${RL_KEY_SQL} FROM rl_runs;
INSERT INTO lab_devices (id, chip_id, name, kind, virtual_key, created_at, updated_at)
  SELECT ${UUID_SQL},
         CASE WHEN key LIKE 'sim:%' THEN '${SIMULATED_CHIP_ID}' ELSE '${INSTRUMENT_CHIP_ID}' END,
         ${keyName('key')} || CASE WHEN (SELECT count(*) FROM m010_keys k2 WHERE ${keyName('k2.key')} = ${keyName('m010_keys.key')} COLLATE NOCASE AND k2.key < m010_keys.key) > 0
                                   THEN ' (' || (SELECT count(*) FROM m010_keys k2 WHERE ${keyName('k2.key')} = ${keyName('m010_keys.key')} COLLATE NOCASE AND k2.key < m010_keys.key) || ')' ELSE '' END,
         'virtual', key, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
  FROM m010_keys;
UPDATE runs SET device_id = (SELECT id FROM lab_devices WHERE virtual_key = ${RUN_KEY_SQL});
UPDATE rl_runs SET device_id = (SELECT id FROM lab_devices WHERE virtual_key = ${RL_KEY_SQL});
DROP TABLE m010_keys;
`;
