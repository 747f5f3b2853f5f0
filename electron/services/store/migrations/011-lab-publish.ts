/**
 * Migration 11: what this PC has published to the lab archive (#16), and what it still owes it.
 *
 * lab_publish: one row per item the publisher has tried — kind ('run', 'rl-run', 'protocol',
 * 'device-preset', 'device'), the item's id (a preset's name), its state, the item's updated_at
 * when it was last published (an item whose updated_at moved on is pending again), the content
 * hash sent, and the reason of the last failure. An ended item with no row, or a stale one, is
 * pending. No foreign keys: a deleted item's row stays until its tombstone is published.
 *
 * lab_tombstones: items deleted here, filled by triggers (so every path that deletes is covered),
 * emptied when the tombstone reached the lab.
 *
 * lab_identity: this data folder's id in the lab (a UUID made at first publish), one row.
 * The lab's URL and password are never stored here (see electron/services/lab/config.ts).
 */
export const version = 11;
export const name = 'lab-publish';

export const sql = /* sql */ `
CREATE TABLE lab_publish (
  kind           TEXT NOT NULL CHECK (kind IN ('run', 'rl-run', 'protocol', 'device-preset', 'device')),
  item_id        TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('published', 'failed')),
  source_updated TEXT NOT NULL,
  content_hash   TEXT,
  reason         TEXT,
  attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  updated_at     TEXT NOT NULL,
  PRIMARY KEY (kind, item_id)
) STRICT;

CREATE TABLE lab_tombstones (
  kind       TEXT NOT NULL CHECK (kind IN ('run', 'rl-run', 'protocol', 'device-preset', 'device')),
  item_id    TEXT NOT NULL,
  deleted_at TEXT NOT NULL,
  PRIMARY KEY (kind, item_id)
) STRICT;

CREATE TABLE lab_identity (
  one        INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
  pc_id      TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER lab_tombstone_run AFTER DELETE ON runs BEGIN
  INSERT OR REPLACE INTO lab_tombstones (kind, item_id, deleted_at)
    VALUES ('run', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER lab_tombstone_rl_run AFTER DELETE ON rl_runs BEGIN
  INSERT OR REPLACE INTO lab_tombstones (kind, item_id, deleted_at)
    VALUES ('rl-run', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER lab_tombstone_protocol AFTER DELETE ON protocols BEGIN
  INSERT OR REPLACE INTO lab_tombstones (kind, item_id, deleted_at)
    VALUES ('protocol', OLD.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER lab_tombstone_device_preset AFTER DELETE ON device_presets BEGIN
  INSERT OR REPLACE INTO lab_tombstones (kind, item_id, deleted_at)
    VALUES ('device-preset', OLD.name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
`;
