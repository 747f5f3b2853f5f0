/**
 * Migration 4: who drives an active run, and what happened during it.
 *
 * owner_json: the process running (or queueing) the run — pid, host, process start time — so a
 * store opened by another process (the desktop app beside a `workbench run`) marks a run
 * 'interrupted' only when its owner is gone, never while it is alive.
 * events_json: the run's log (pauses, resumes, compliance trips, the reason it ended), oldest first,
 * each {at, kind, message}; part of its provenance.
 */
export const version = 4;
export const name = 'run-owner';

export const sql = /* sql */ `
ALTER TABLE runs ADD COLUMN owner_json TEXT CHECK (owner_json IS NULL OR json_valid(owner_json));
ALTER TABLE runs ADD COLUMN events_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(events_json) AND json_type(events_json) = 'array');
`;
