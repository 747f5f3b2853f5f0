/**
 * Lab schema 3: simulation sweeps (#16). A simulation sweep's jobs are runs, stored as every
 * published run is (lab_runs + lab_samples), so the Lab view and `workbench runs --source lab` show
 * them; lab_sweep_runs tags each with its sweep, job key and grid point. Its primary key (sweep,
 * job key) and the run id derived from it make a retried job write nothing twice. A job run on
 * an instrument (a device-driven strategy on the PC that owns it) records the instrument's *IDN?.
 */
export const version = 3;
export const name = 'simulation-and-instrument-sweeps';

export const sql = /* sql */ `
ALTER TABLE lab_sweeps DROP CONSTRAINT lab_sweeps_kind_check;
ALTER TABLE lab_sweeps ADD CONSTRAINT lab_sweeps_kind_check CHECK (kind IN ('rl-comparison', 'simulation'));

CREATE TABLE lab_sweep_runs (
  sweep_id    uuid NOT NULL REFERENCES lab_sweeps(sweep_id) ON DELETE CASCADE,
  job_key     text NOT NULL,
  run_id      uuid NOT NULL UNIQUE REFERENCES lab_runs(run_id) ON DELETE CASCADE,
  point       jsonb NOT NULL,
  seed        integer NOT NULL CHECK (seed >= 0),
  worker      text NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, job_key)
);

ALTER TABLE lab_sweep_results ADD COLUMN instrument_idn text;
`;
