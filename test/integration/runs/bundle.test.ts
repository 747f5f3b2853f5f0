/**
 * Experiment bundles: a round trip between two archives keeps every run, its provenance and its
 * samples; importing twice adds nothing; a file that is not a sound bundle is refused with a
 * reason and nothing is written. The shipped sample experiment imports in one call.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { SAMPLE_EXPERIMENT_ID, SAMPLE_RUNS, sampleBundleFile } from '../../../electron/services/runs';
import { BUNDLE_APPLICATION_ID, BundleError, type Store } from '../../../electron/services/store';
import { onCleanup, prepared, readsDoc, scripted, scriptedEngine, shipped, sim, tempDir, until } from './helpers';

function services(): AppServices {
  const s = openAppServices({ dataDir: tempDir(), hostKind: 'web' });
  onCleanup(() => s.close());
  return s;
}

function plain(store: Store, id: string) {
  const c = store.readSamples(id);
  return { t: [...c.t], v: [...c.v], i: [...c.i], g: [...c.g], kind: [...c.kind], block: [...c.block] };
}

/** Everything about an archive's file and its contents that an import could change. */
function fingerprint(s: AppServices) {
  const files = [s.store.file, `${s.store.file}-wal`].map((f) => (fs.existsSync(f) ? createHash('sha256').update(fs.readFileSync(f)).digest('hex') : null));
  return { files, experiments: s.store.experiments.list(), runs: s.store.runs.list({ limit: 1000 }) };
}

/** An archive with one experiment of three finished runs (one failed) and one still running. */
async function source(): Promise<{ s: AppServices; experimentId: string; finished: string[]; running: string }> {
  const s = services();
  const exp = s.store.experiments.create({ name: 'Spikes', description: 'to carry over' });
  const a = s.runs.submit({ protocol: shipped('paper-spike-train'), device: sim(1), experimentId: exp.id, tags: ['t1'], notes: 'n1' });
  const b = s.runs.submit({ protocol: shipped('relaxation'), device: sim(2), experimentId: exp.id });
  const { spec } = scripted({ failAt: 30 });
  const failing = scriptedEngine(s.store);
  const c = failing.submit({ protocol: shipped('paper-spike-train'), device: spec, experimentId: exp.id });
  for (const r of [a, b]) await s.runs.whenDone(r.runId);
  await failing.whenDone(c.runId);
  const d = s.runs.submit({ protocol: shipped('paper-spike-train'), device: sim(3), experimentId: exp.id, pace: 'realtime' });
  await until(() => s.store.runs.get(d.runId).sampleCount > 0, 5000, 'the live run');
  s.store.experiments.create({ name: 'Other' });
  s.runs.submit({ protocol: shipped('paper-spike-train'), device: sim(4), experimentName: 'Other' });
  return { s, experimentId: exp.id, finished: [a.runId, b.runId, c.runId], running: d.runId };
}

describe('experiment bundles', () => {
  it('carry an experiment, its runs, their provenance and samples to another archive; a second import adds nothing', async () => {
    const { s: a, experimentId, finished, running } = await source();
    const exported = await a.router.call('experiments.exportBundle', { id: experimentId });
    if (!exported.ok) throw new Error(exported.error.message);
    const { filename, bytes, runs, samples } = exported.value as { filename: string; bytes: Uint8Array; runs: number; samples: number };
    expect(filename).toMatch(/^spikes-[0-9a-f]{8}\.wbexp\.sqlite$/);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype); // not a Buffer: the wire sends it as binary
    expect(runs).toBe(4);
    expect(Buffer.from(bytes).readUInt32BE(68)).toBe(BUNDLE_APPLICATION_ID);
    const liveCount = a.store.runs.get(running).sampleCount;
    expect(samples).toBeGreaterThanOrEqual(200 + 260 + 29 + liveCount);

    const b = services();
    const first = await b.router.call('experiments.importBundle', { bytes });
    expect(first.ok && first.value).toEqual({ imported: 4, skipped: 0, experimentId, experimentName: 'Spikes', checksums: true });
    expect(b.store.experiments.get(experimentId)).toMatchObject({ name: 'Spikes', description: 'to carry over', runCount: 4 });
    for (const id of finished) {
      const want = a.store.runs.get(id);
      const got = b.store.runs.get(id);
      expect(got).toEqual({ ...want, owner: null, updatedAt: got.updatedAt });
      expect(plain(b.store, id)).toEqual(plain(a.store, id));
    }
    // The run that was still going arrives as interrupted, with the samples committed by then.
    const live = b.store.runs.get(running);
    expect(live.status).toBe('interrupted');
    expect(live.exitReason).toContain('exported while it was still running');
    expect(live.sampleCount).toBeGreaterThanOrEqual(liveCount);
    expect(b.store.readSamples(running).length).toBe(live.sampleCount);
    expect(b.store.experiments.findByName('Other')).toBeNull(); // only the exported experiment travels

    const before = fingerprint(b);
    const again = await b.router.call('experiments.importBundle', { bytes });
    expect(again.ok && again.value).toEqual({ imported: 0, skipped: 4, experimentId, experimentName: 'Spikes', checksums: true });
    expect(fingerprint(b).runs).toEqual(before.runs);
    // Back into the archive it came from: nothing new either.
    const home = await a.router.call('experiments.importBundle', { bytes });
    expect(home.ok && home.value).toMatchObject({ imported: 0, skipped: 4 });
    await a.runs.control(running, 'stop');
  });

  it('keep an existing experiment of the same name apart', async () => {
    const { s: a, experimentId } = await source();
    const bundle = a.store.bundles.export(experimentId);
    const b = services();
    b.store.experiments.create({ name: 'Spikes' });
    const r = b.store.bundles.import(bundle.bytes);
    expect(r).toMatchObject({ imported: 4, experimentId, experimentName: 'Spikes (imported)', createdExperiment: true });
    expect(b.store.experiments.list().map((e) => e.name)).toEqual(['Spikes', 'Spikes (imported)']);
  });

  it('refuse a file that is not a sound bundle, with the reason, writing nothing', async () => {
    const { s: a, experimentId } = await source();
    const good = a.store.bundles.export(experimentId).bytes;
    const dir = tempDir();
    const craft = (edit: (db: Database.Database) => void): Uint8Array => {
      const db = new Database(Buffer.from(good));
      try {
        edit(db);
        return db.serialize();
      } finally {
        db.close();
      }
    };
    const foreignFile = path.join(dir, 'foreign.sqlite');
    const foreign = new Database(foreignFile);
    foreign.exec('CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES (1)');
    foreign.close();
    const workbenchCopy = path.join(dir, 'copy.sqlite');
    await a.store.backup(workbenchCopy);

    const cases: [string, Uint8Array, RegExp][] = [
      ['random bytes', randomBytes(64 * 1024), /not an SQLite file/],
      ['an empty file', new Uint8Array(0), /not an SQLite file/],
      ['a text file', Buffer.from('t,v,i,g\n0,1,2,3\n'), /not an SQLite file/],
      ['a workbench.sqlite', fs.readFileSync(workbenchCopy), /whole workbench archive/],
      ['another program’s database', fs.readFileSync(foreignFile), /another program/],
      ['a truncated bundle (whole pages missing)', good.subarray(0, good.length - 8192), /truncated/],
      ['a truncated bundle (cut mid-page)', good.subarray(0, good.length - 1000), /truncated/],
      ['a bundle from a newer workbench', craft((db) => db.pragma('user_version = 99')), /newer workbench/],
      ['a bundle whose chunks do not add up', craft((db) => db.exec('UPDATE runs SET sample_count = sample_count + 1')), /chunks hold/],
      ['a bundle with a damaged sample column', craft((db) => db.exec("UPDATE sample_chunks SET g = x'00' WHERE seq = 0")), /damaged g column/],
      ['a bundle with a run still running', craft((db) => db.exec("UPDATE runs SET status = 'running'")), /not that of a finished run/],
      ['a bundle of something else', craft((db) => db.exec("UPDATE bundle_info SET value = 'x' WHERE key = 'format'")), /does not say it is an experiment bundle/],
      ['a bundle with its tables gone', craft((db) => db.exec('DROP TABLE sample_chunks')), /table sample_chunks is missing/],
    ];
    // A page in the middle overwritten with garbage: SQLite's own checks find it.
    const scrambled = Buffer.from(good);
    randomBytes(4096).copy(scrambled, 4096 * 3);
    cases.push(['a bundle with a scrambled page', scrambled, /damaged|malformed/i]);

    const b = services();
    b.store.experiments.create({ name: 'Mine' });
    const before = fingerprint(b);
    for (const [what, bytes, reason] of cases) {
      expect(() => b.store.bundles.import(bytes), what).toThrow(BundleError);
      expect(() => b.store.bundles.import(bytes), what).toThrow(reason);
      const r = await b.router.call('experiments.importBundle', { bytes: new Uint8Array(bytes) });
      expect(r.ok, what).toBe(false);
      if (!r.ok) {
        expect(r.error.code, what).toBe('invalid_request');
        expect((r.error.details as { problems: { path: string }[] }).problems[0]!.path).toBe('bytes');
      }
    }
    expect(fingerprint(b)).toEqual(before);
  });

  it('the shipped sample experiment imports in one call, once', async () => {
    expect(fs.statSync(sampleBundleFile()).size).toBeLessThan(2 * 1024 * 1024);
    const s = services();
    const first = await s.router.call('archive.loadSample', {});
    expect(first.ok && first.value).toMatchObject({ imported: SAMPLE_RUNS.length, skipped: 0, experimentId: SAMPLE_EXPERIMENT_ID });
    const second = await s.router.call('archive.loadSample', {});
    expect(second.ok && second.value).toMatchObject({ imported: 0, skipped: SAMPLE_RUNS.length });
    const runs = s.store.runs.list({ experimentId: SAMPLE_EXPERIMENT_ID }).runs;
    expect(runs.map((r) => r.id).sort()).toEqual(SAMPLE_RUNS.map((r) => r.id).sort());
    for (const spec of SAMPLE_RUNS) {
      const run = s.store.runs.get(spec.id);
      expect(run).toMatchObject({ status: 'completed', name: spec.name, device: { preset: spec.preset, seed: spec.seed } });
      expect(s.store.readSamples(spec.id).length).toBe(run.sampleCount);
      const dG = (run.finalG! - run.initialG!) / run.initialG!;
      if (spec.protocol === 'paper-spike-train' && spec.preset === 'intrinsic-gradient') expect(dG).toBeLessThan(-0.95);
      if (spec.protocol === 'relaxation') expect(dG).toBeGreaterThan(-0.9); // partly recovered
    }
  });

  it('export a big run intact', async () => {
    const s = services();
    const { runId } = s.runs.submit({ protocol: prepared(readsDoc(50_000)), device: sim(1), experimentName: 'Big' });
    const run = await s.runs.whenDone(runId);
    const b = services();
    expect(b.store.bundles.import(s.store.bundles.export(run.experimentId).bytes).imported).toBe(1);
    expect(plain(b.store, runId)).toEqual(plain(s.store, runId));
  });
});
