/**
 * Lab schema 5: the instruments the lab's workers serve (#16), so the app can offer them when a
 * sweep is routed to an instrument. A worker started with `--instrument NAME[=DEVICE]` records, per
 * (instrument, PC), its name, what it opened (null: software only), the instrument's *IDN? and when
 * it was last seen (on start, and every half minute while it runs). Nothing here steers the queue:
 * the queue of an instrument is served by whichever worker subscribes to it.
 */
export const version = 5;
export const name = 'instrument-workers';

export const sql = /* sql */ `
CREATE TABLE lab_instrument_workers (
  instrument    text NOT NULL,
  pc_name       text NOT NULL,
  worker        text NOT NULL,
  device        text,
  identity      text,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instrument, pc_name)
);
CREATE INDEX lab_sweeps_instrument ON lab_sweeps (instrument) WHERE instrument IS NOT NULL;
`;
