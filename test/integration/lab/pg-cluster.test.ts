import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster.js';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab tests skipped: ${unavailable}`);

describe.skipIf(unavailable !== null)('the throwaway PostgreSQL cluster for tests', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55470 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('accepts the password over loopback TCP and refuses a wrong one', async () => {
    const url = await cluster.createDatabase('fixture_check');
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query<{ n: number }>('SELECT 1 + 1 AS n');
    expect(r.rows[0]!.n).toBe(2);
    await c.end();
    const bad = new pg.Client({ connectionString: url.replace(cluster.password, 'wrong') });
    await expect(bad.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('stops and starts again on the same port', async () => {
    await cluster.stop();
    const c = new pg.Client({ connectionString: cluster.url() });
    await expect(c.connect()).rejects.toThrow(/ECONNREFUSED/);
    await cluster.start();
    expect((await cluster.psql('SELECT 42')).trim()).toBe('42');
  });
});
