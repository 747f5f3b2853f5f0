/**
 * Lab schema 2: sweeps spread over the lab's PCs (#16). A sweep is submitted once (its experiment
 * kept verbatim, so every worker runs exactly what was submitted); its jobs live in pg-boss's own
 * schema (`pgboss`); each finished job writes one row here keyed by (sweep, job key), so a job
 * retried after a killed worker can never count twice. A job that cannot be run (a malformed
 * payload) leaves its reason in lab_sweep_failures.
 */
export const version = 2;
export const name = 'sweeps';

export const sql = /* sql */ `
CREATE TABLE lab_sweeps (
  sweep_id     uuid PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('rl-comparison')),
  title        text NOT NULL,
  spec         text NOT NULL,
  spec_hash    text NOT NULL,
  seeds        integer NOT NULL CHECK (seeds >= 1),
  job_count    integer NOT NULL CHECK (job_count >= 1),
  queue        text NOT NULL,
  instrument   text,
  pc_name      text NOT NULL,
  user_name    text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE lab_sweep_results (
  sweep_id       uuid NOT NULL REFERENCES lab_sweeps(sweep_id) ON DELETE CASCADE,
  job_key        text NOT NULL,
  environment_id text NOT NULL,
  strategy_id    text NOT NULL,
  seed           integer NOT NULL,
  settle_iterations double precision,
  result         text NOT NULL,
  worker         text NOT NULL,
  finished_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_id, job_key)
);

CREATE TABLE lab_sweep_failures (
  job_id    text PRIMARY KEY,
  queue     text NOT NULL,
  sweep_id  uuid,
  reason    text NOT NULL,
  worker    text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lab_sweep_failures_sweep ON lab_sweep_failures (sweep_id);
`;
