/**
 * A running worker keeps telling the lab which instruments it serves (#16): it refreshes
 * lab_instrument_workers.last_seen_at on its announce interval (30 s by default; injected short
 * here), not more often, and again at once after it reconnects to a lab that dropped it. Real
 * PostgreSQL; the reconnect is the server terminating the worker's own connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { connectLab } from '../../../electron/services/lab/connect';
import { runLabWorker } from '../../../electron/services/lab-queue/worker';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { until, withClient } from '../../fixtures/pg-query';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab worker announce tests skipped: ${unavailable}`);

/** Every last_seen_at (µs since the epoch, the server's clock) of this worker's rows, by instrument. */
async function lastSeen(url: string): Promise<Map<string, string>> {
  return withClient(url, async (c) => {
    const r = await c.query<{ instrument: string; seen: string }>(
      `SELECT instrument, (extract(epoch FROM last_seen_at) * 1000000)::bigint::text AS seen FROM lab_instrument_workers WHERE pc_name = 'pc-announce'`,
    );
    return new Map(r.rows.map((x) => [x.instrument, x.seen]));
  });
}

/** A new lab database with its schema (the worker would make it too, but the test reads it first). */
async function labDatabase(cluster: PgCluster, name: string): Promise<string> {
  const url = await cluster.createDatabase(name);
  await (await connectLab(labConfigFromUrl(url, 'env'))).close();
  return url;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unavailable !== null)('a worker re-announces its instruments', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55670 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('refreshes last_seen_at of every instrument it serves on its interval', async () => {
    const url = await labDatabase(cluster, 'announce_interval');
    const controller = new AbortController();
    const done = runLabWorker(labConfigFromUrl(url, 'env'), {
      instruments: ['k2400', 'k2401'],
      general: false,
      name: 'w-interval',
      pcName: 'pc-announce',
      pollMs: 50,
      announceMs: 300,
      signal: controller.signal,
    });
    try {
      const seen = new Map<string, Set<string>>([['k2400', new Set()], ['k2401', new Set()]]);
      // With the 30 s default this would see one value each and give up after 10 s.
      await until(
        'three announcements of each instrument',
        async () => {
          for (const [instrument, at] of await lastSeen(url)) seen.get(instrument)?.add(at);
          return [...seen.values()].every((s) => s.size >= 3);
        },
        100,
      );
      const rows = await withClient(url, async (c) => (await c.query<{ worker: string }>(`SELECT worker FROM lab_instrument_workers WHERE pc_name = 'pc-announce'`)).rows);
      expect(rows.map((r) => r.worker)).toEqual(['w-interval', 'w-interval']);
    } finally {
      controller.abort();
      await done;
    }
  }, 60_000);

  it('does not refresh before its interval, and refreshes at once after reconnecting', async () => {
    const url = await labDatabase(cluster, 'announce_reconnect');
    const controller = new AbortController();
    const logs: string[] = [];
    const done = runLabWorker(labConfigFromUrl(url, 'env'), {
      instruments: ['k2400'],
      general: false,
      name: 'w-reconnect',
      pcName: 'pc-announce',
      pollMs: 50,
      announceMs: 3_600_000, // an hour: within this test only a reconnection can announce again
      log: (_l, m) => logs.push(m),
      signal: controller.signal,
    });
    try {
      await until('the first announcement', async () => (await lastSeen(url)).has('k2400'), 100);
      const first = (await lastSeen(url)).get('k2400');
      await pause(1000); // some twenty polls of the empty queue
      expect((await lastSeen(url)).get('k2400')).toBe(first);

      // The server drops the worker's connection (not pg-boss's): its next query fails, it reconnects.
      const killed = await withClient(url, async (c) =>
        (await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'memristor-workbench-worker'`)).rowCount,
      );
      expect(killed).toBe(1);
      await until('the worker to reconnect', async () => logs.some((m) => /is reachable again; taking jobs/.test(m)), 100);
      await until('the announcement after reconnecting', async () => (await lastSeen(url)).get('k2400') !== first, 50);
      expect(BigInt((await lastSeen(url)).get('k2400')!)).toBeGreaterThan(BigInt(first!));
      expect(logs.some((m) => /the lab database is unreachable/.test(m))).toBe(true);
    } finally {
      controller.abort();
      await done;
    }
  }, 60_000);
});
