/**
 * Lab schema 4: the device hierarchy (#14) in the lab archive (#16) — each PC's samples (a wafer or
 * a piece; named lab_wafer_samples because lab_samples holds a run's measured samples), their chips
 * and devices with crossbar coordinates, and the device each run and RL run was on.
 *
 * Keyed by (PC, id): every PC has the same fixed ids for its "Virtual devices" sample and chips,
 * and one PC's records are its own (two PCs measuring one wafer each describe it). A device deleted
 * on its PC keeps its row with deleted_at set (its tombstone); samples and chips are never deleted
 * locally. Runs point at their device without a foreign key: a run may reach the lab before its
 * device (the device's publish failed), and the Lab view joins what is there.
 */
export const version = 4;
export const name = 'devices';

export const sql = /* sql */ `
CREATE TABLE lab_wafer_samples (
  pc_id          uuid NOT NULL REFERENCES lab_pcs(pc_id),
  sample_id      uuid NOT NULL,
  name           text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('wafer', 'piece', 'virtual')),
  material_stack text NOT NULL DEFAULT '',
  fabricated_on  date,
  notes          text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  content_hash   text NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  PRIMARY KEY (pc_id, sample_id)
);

CREATE TABLE lab_chips (
  pc_id          uuid NOT NULL,
  chip_id        uuid NOT NULL,
  sample_id      uuid NOT NULL,
  name           text NOT NULL,
  rows           integer CHECK (rows IS NULL OR rows > 0),
  cols           integer CHECK (cols IS NULL OR cols > 0),
  material_stack text NOT NULL DEFAULT '',
  notes          text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  content_hash   text NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  PRIMARY KEY (pc_id, chip_id),
  FOREIGN KEY (pc_id, sample_id) REFERENCES lab_wafer_samples (pc_id, sample_id)
);

CREATE TABLE lab_devices (
  pc_id          uuid NOT NULL,
  device_id      uuid NOT NULL,
  chip_id        uuid NOT NULL,
  name           text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('physical', 'virtual')),
  virtual_key    text,
  word_line      integer CHECK (word_line IS NULL OR word_line >= 0),
  bit_line       integer CHECK (bit_line IS NULL OR bit_line >= 0),
  material_stack text NOT NULL DEFAULT '',
  area_m2        float8,
  fabricated_on  date,
  notes          text NOT NULL DEFAULT '',
  archived_at    timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  content_hash   text NOT NULL,
  published_at   timestamptz NOT NULL DEFAULT now(),
  deleted_at     timestamptz,
  PRIMARY KEY (pc_id, device_id),
  FOREIGN KEY (pc_id, chip_id) REFERENCES lab_chips (pc_id, chip_id)
);

ALTER TABLE lab_runs ADD COLUMN device_id uuid;
ALTER TABLE lab_rl_runs ADD COLUMN device_id uuid;
`;
