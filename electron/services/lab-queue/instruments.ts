/**
 * The lab's instruments (#16): which PCs' workers serve an instrument's queue (each worker says so
 * in lab_instrument_workers when it starts and every ANNOUNCE_SECONDS while it runs), and which
 * instruments past sweeps were submitted for. The app offers them when a sweep is routed to an
 * instrument; a name no worker has announced stays valid — its jobs wait until one serves it.
 */
import type pg from 'pg';
import type { LabInstrument } from '../../../shared/contract/areas/lab';
import { instrumentNameProblem } from '../../../shared/lab/instrument-name';
import { instrumentQueue } from './payload';

/** How often a running worker says again that it serves its instruments (s, ours). */
export const ANNOUNCE_SECONDS = 30;

/** An instrument a worker serves: what it opened (null: in software only) and its *IDN? (null: none read). */
export interface ServedInstrument {
  name: string;
  device: string | null;
  identity: string | null;
}

/** Records (or refreshes) that this PC's worker serves these instruments now. */
export async function announceInstruments(client: pg.ClientBase, who: { pcName: string; worker: string }, served: readonly ServedInstrument[]): Promise<void> {
  if (served.length === 0) return;
  await client.query(
    `INSERT INTO lab_instrument_workers (instrument, pc_name, worker, device, identity)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (instrument, pc_name) DO UPDATE
       SET worker = EXCLUDED.worker, device = EXCLUDED.device, identity = EXCLUDED.identity, last_seen_at = now()`,
    [served.map((s) => s.name), served.map(() => who.pcName), served.map(() => who.worker), served.map((s) => s.device), served.map((s) => s.identity)],
  );
}

/** Instruments listed at most (ours: a lab has a handful; the bound keeps a reply small). */
const MAX_INSTRUMENTS = 500;

/** Every instrument workers served or sweeps named: most recently seen first, then most recently swept, then by name. */
export async function listLabInstruments(client: pg.ClientBase): Promise<LabInstrument[]> {
  const named = await client.query<{ instrument: string; sweeps: string; last_sweep_at: Date | null }>(
    `WITH names AS (
       SELECT instrument FROM lab_instrument_workers
       UNION SELECT instrument FROM lab_sweeps WHERE instrument IS NOT NULL
     )
     SELECT n.instrument,
            (SELECT count(*) FROM lab_sweeps s WHERE s.instrument = n.instrument) AS sweeps,
            (SELECT max(s.submitted_at) FROM lab_sweeps s WHERE s.instrument = n.instrument) AS last_sweep_at,
            (SELECT max(w.last_seen_at) FROM lab_instrument_workers w WHERE w.instrument = n.instrument) AS last_seen_at
       FROM names n
      ORDER BY last_seen_at DESC NULLS LAST, last_sweep_at DESC NULLS LAST, n.instrument
      LIMIT $1`,
    [MAX_INSTRUMENTS],
  );
  const workers = await client.query<{ instrument: string; pc_name: string; worker: string; device: string | null; identity: string | null; last_seen_at: Date }>(
    `SELECT instrument, pc_name, worker, device, identity, last_seen_at FROM lab_instrument_workers
      WHERE instrument = ANY($1::text[]) ORDER BY last_seen_at DESC, pc_name`,
    [named.rows.map((r) => r.instrument)],
  );
  // A name that does not pass the check (only written by hand into the database) cannot be chosen: left out.
  return named.rows.filter((r) => instrumentNameProblem(r.instrument) === null).map((r) => ({
    name: r.instrument,
    queue: instrumentQueue(r.instrument),
    workers: workers.rows
      .filter((w) => w.instrument === r.instrument)
      .map((w) => ({ pcName: w.pc_name, worker: w.worker, device: w.device, identity: w.identity, lastSeenAt: w.last_seen_at.toISOString() })),
    sweeps: Number(r.sweeps),
    lastSweepAt: r.last_sweep_at?.toISOString() ?? null,
  }));
}

