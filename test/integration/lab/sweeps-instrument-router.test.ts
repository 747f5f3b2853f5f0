/**
 * An app's lab sweep routed to an instrument (#16), through the router against a real PostgreSQL:
 * lab.instruments lists what workers announced (their PC, software or the device they opened, when
 * last seen) and what past sweeps named; lab.submitRl with `instrument` puts every job on that
 * instrument's queue, which the general worker leaves alone and the owner's worker drains; a bad
 * name is refused with the CLI's sentence and nothing submitted.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppServices } from '../../../electron/app/app-services';
import { resolveDevicePreset } from '../../../electron/cli/simulate';
import { labConfigFromUrl } from '../../../electron/services/lab/config';
import { openInstrumentHost } from '../../../electron/services/lab-queue/instrument-host';
import { GENERAL_QUEUE, instrumentQueue } from '../../../electron/services/lab-queue/payload';
import { runLabWorker } from '../../../electron/services/lab-queue/worker';
import { pgUnavailableReason, startPgCluster, type PgCluster } from '../../fixtures/pg-cluster';
import { count } from '../../fixtures/pg-query';
import { callOk as ok, callRefused as refused, smallPaper, withLabApp } from './lab-app';

const unavailable = pgUnavailableReason();
if (unavailable) console.warn(`lab instrument-routing tests skipped: ${unavailable}`);

interface Instrument {
  name: string;
  queue: string;
  workers: { pcName: string; worker: string; device: string | null; identity: string | null; lastSeenAt: string }[];
  sweeps: number;
  lastSweepAt: string | null;
}

describe.skipIf(unavailable !== null)('lab sweeps routed to an instrument, through the router', () => {
  let cluster: PgCluster;
  const dirs: string[] = [];
  beforeAll(async () => {
    cluster = await startPgCluster({ port: 55620 });
  }, 60_000);
  afterAll(async () => {
    await cluster?.destroy();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const withApp = (url: string | undefined, fn: (app: AppServices) => Promise<void>) => withLabApp(dirs, url, fn);

  it('workers announce their instruments; a sweep submitted for one waits on its queue until its owner drains it', async () => {
    const url = await cluster.createDatabase('instrument_router');
    const config = labConfigFromUrl(url, 'env');
    await withApp(url, async (app) => {
      expect(await ok(app, 'lab.instruments', {})).toEqual({ instruments: [] });

      // PC lab2 serves k2400 in software; PC lab3 opens k2401 (a simulated device standing in for one).
      await runLabWorker(config, { instruments: ['k2400'], general: false, drain: true, name: 'lab2-worker', pcName: 'pc-lab2', pollMs: 100 });
      const host = await openInstrumentHost({ store: app.store, name: 'k2401', spec: 'sim:intrinsic-gradient', driver: null, limits: app.settings.currentLimits(), resolvePreset: (n) => resolveDevicePreset(n) });
      try {
        await runLabWorker(config, { hosts: [host], general: false, drain: true, name: 'lab3-worker', pcName: 'pc-lab3', pollMs: 100 });
      } finally {
        await host.close();
      }
      const announced = (await ok<{ instruments: Instrument[] }>(app, 'lab.instruments', {})).instruments;
      expect(announced).toEqual([
        { name: 'k2401', queue: instrumentQueue('k2401'), workers: [{ pcName: 'pc-lab3', worker: 'lab3-worker', device: 'sim:intrinsic-gradient', identity: null, lastSeenAt: expect.any(String) }], sweeps: 0, lastSweepAt: null },
        { name: 'k2400', queue: instrumentQueue('k2400'), workers: [{ pcName: 'pc-lab2', worker: 'lab2-worker', device: null, identity: null, lastSeenAt: expect.any(String) }], sweeps: 0, lastSweepAt: null },
      ]);

      const sub = await ok<{ sweepId: string; jobs: number; queue: string; instrument: string | null }>(app, 'lab.submitRl', { experiment: smallPaper(), seeds: 1, instrument: 'k2400' });
      expect(sub).toMatchObject({ jobs: 4, queue: instrumentQueue('k2400'), instrument: 'k2400' });
      expect(await count(url, 'SELECT count(*) AS n FROM pgboss.job WHERE name = $1', [instrumentQueue('k2400')])).toBe(4);
      expect(await count(url, 'SELECT count(*) AS n FROM pgboss.job WHERE name <> $1', [instrumentQueue('k2400')])).toBe(0);
      expect((await ok<{ sweeps: { id: string; instrument: string | null }[] }>(app, 'lab.sweeps', {})).sweeps).toEqual([expect.objectContaining({ id: sub.sweepId, instrument: 'k2400', total: 4, done: 0 })]);

      // An instrument no worker has announced yet is taken too: its jobs wait for one.
      const later = await ok<{ queue: string; instrument: string }>(app, 'lab.submitRl', { experiment: smallPaper(), seeds: 1, instrument: 'k2450-new' });
      expect(later).toMatchObject({ queue: instrumentQueue('k2450-new'), instrument: 'k2450-new' });
      const listed = (await ok<{ instruments: Instrument[] }>(app, 'lab.instruments', {})).instruments;
      expect(listed.map((i) => [i.name, i.sweeps, i.workers.map((w) => w.pcName)])).toEqual([
        ['k2401', 0, ['pc-lab3']],
        ['k2400', 1, ['pc-lab2']],
        ['k2450-new', 1, []],
      ]);
      expect(listed.find((i) => i.name === 'k2450-new')!.lastSweepAt).toEqual(expect.any(String));

      // Another PC's worker (the general queue) takes none of them; the owner's takes every one.
      expect(await runLabWorker(config, { drain: true, name: 'pc-other', pollMs: 100 })).toMatchObject({ queues: [GENERAL_QUEUE], written: 0 });
      expect(await runLabWorker(config, { instruments: ['k2400'], general: false, drain: true, name: 'lab2-worker-again', pcName: 'pc-lab2', pollMs: 100 })).toMatchObject({ written: 4 });
      expect(await ok(app, 'lab.sweep', { id: sub.sweepId })).toMatchObject({ summary: { instrument: 'k2400', done: 4, total: 4 }, queue: instrumentQueue('k2400'), byWorker: [{ worker: 'lab2-worker-again', jobs: 4 }] });
      // Seen again, by its newer worker, on the same PC: still one row for (k2400, pc-lab2).
      const again = (await ok<{ instruments: Instrument[] }>(app, 'lab.instruments', {})).instruments.find((i) => i.name === 'k2400')!;
      expect(again.workers).toEqual([expect.objectContaining({ pcName: 'pc-lab2', worker: 'lab2-worker-again' })]);
      expect(Date.parse(again.workers[0]!.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(announced[1]!.workers[0]!.lastSeenAt));
    });
  }, 300_000);

  it('a bad instrument name is refused with a sentence and submits nothing', async () => {
    const url = await cluster.createDatabase('instrument_router_bad');
    await withApp(url, async (app) => {
      for (const [name, says] of [
        ['', /an instrument's name is empty/],
        ['serial:/dev/ttyUSB0', /may hold only letters, digits, '_' and '-' \(1 to 60 of them\); "serial:\/dev\/ttyUSB0" has ":", "\/"/],
        ['k 2400', /has a space/],
        ['k2400ü', /has "ü"/],
        ['k'.repeat(61), /at most 60 characters long; this one has 61/],
      ] as const) {
        const e = await refused(app, 'lab.submitRl', { experiment: smallPaper(), seeds: 1, instrument: name });
        expect(e.code).toBe('invalid_request');
        expect(e.message).toMatch(/^lab\.submitRl: instrument: /);
        expect(e.message).toMatch(says);
      }
      expect((await refused(app, 'lab.submitRl', { experiment: smallPaper(), instrument: 7 })).code).toBe('invalid_request');
      expect(await ok(app, 'lab.sweeps', {})).toEqual({ sweeps: [], total: 0 });
      expect(await ok(app, 'lab.instruments', {})).toEqual({ instruments: [] });
      expect(await count(url, "SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'pgboss'")).toBe(0);
    });
  }, 120_000);

  it('no lab configured: the instrument list says so', async () => {
    await withApp(undefined, async (app) => {
      expect(await refused(app, 'lab.instruments', {})).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^No lab archive is configured/) });
    });
  }, 60_000);
});
