/**
 * Damaged bundles are caught: a version-2 bundle carries a checksum on every document and every
 * sample chunk, and every bundle's values and summaries are checked on import. A bit flipped in one
 * stored G value, a chunk of NaN, a bundle claiming a newer format — each is refused with the
 * reason, and nothing is imported. Bundles written by workbench 0.1.0 (version 1, no checksums)
 * still import, with every check but the checksums, and the import says so.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAppServices, type AppServices } from '../../../electron/app/app-services';
import { BUNDLE_VERSION, BundleError } from '../../../electron/services/store';
import { RUN_COLUMNS, rowChecksum } from '../../../electron/services/store/bundle-format';
import { tempDirs } from '../../fixtures/temp-dirs';
import { onCleanup, shipped, sim, tempDir } from '../runs/helpers';
import { runCli } from '../cli/run-cli';

const tmp = tempDirs('wb-bundle-integrity-');
const V1_FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/bundle-v1.wbexp.sqlite');

function services(): AppServices {
  const s = openAppServices({ dataDir: tempDir(), hostKind: 'cli' });
  onCleanup(() => s.close());
  return s;
}

/** An archive with one experiment of two finished simulated runs (100 pulses, 100 reads each), exported as a bundle. */
async function bundle(): Promise<{ bytes: Buffer; experimentId: string; runIds: string[] }> {
  const s = services();
  const exp = s.store.experiments.create({ name: 'Carried', description: 'two runs' });
  const runIds = [1, 2].map((seed) => s.runs.submit({ protocol: shipped('paper-spike-train'), device: sim(seed), experimentId: exp.id }).runId);
  for (const id of runIds) await s.runs.whenDone(id);
  const exported = s.store.bundles.export(exp.id);
  return { bytes: exported.bytes, experimentId: exp.id, runIds };
}

function edit(bytes: Uint8Array, change: (db: Database.Database) => void): Buffer {
  const db = new Database(Buffer.from(bytes));
  try {
    change(db);
    return db.serialize();
  } finally {
    db.close();
  }
}

/** Everything an import could change in an archive. */
function fingerprint(s: AppServices) {
  return { experiments: s.store.experiments.list(), runs: s.store.runs.list({ limit: 1000 }) };
}

function refuses(s: AppServices, bytes: Uint8Array, reason: RegExp): void {
  const before = fingerprint(s);
  expect(() => s.store.bundles.import(bytes)).toThrow(BundleError);
  expect(() => s.store.bundles.import(bytes)).toThrow(reason);
  expect(fingerprint(s)).toEqual(before);
}

describe('bundle integrity', () => {
  it(`writes version ${BUNDLE_VERSION} with a checksum on the experiment, every run and every chunk`, async () => {
    const { bytes } = await bundle();
    const db = new Database(bytes);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      expect(db.prepare("SELECT value FROM bundle_info WHERE key = 'version'").pluck().get()).toBe('3');
      for (const table of ['experiments', 'runs', 'sample_chunks']) {
        const sums = db.prepare(`SELECT checksum FROM ${table}`).pluck().all() as string[];
        expect(sums.length).toBeGreaterThan(0);
        for (const sum of sums) expect(sum).toMatch(/^[0-9a-f]{64}$/);
      }
    } finally {
      db.close();
    }
    const r = services().store.bundles.import(bytes);
    expect(r).toMatchObject({ imported: 2, version: 3, checksums: true });
  });

  it('refuses a bit flipped in one stored G value (not the first, last, smallest or largest), importing nothing', async () => {
    const { bytes, runIds } = await bundle();
    const flipped = edit(bytes, (db) => {
      const g = db.prepare('SELECT g FROM sample_chunks WHERE run_id = ? AND seq = 0').pluck().get(runIds[0]) as Buffer;
      // Sample 101 (a read in the middle of the train): its lowest mantissa bit.
      g[101 * 8] = g[101 * 8]! ^ 1;
      db.prepare('UPDATE sample_chunks SET g = ? WHERE run_id = ? AND seq = 0').run(g, runIds[0]);
    });
    const s = services();
    s.store.experiments.create({ name: 'Mine' });
    refuses(s, flipped, /run [0-9a-f-]{36}: sample chunk 0 does not match its checksum: a value in it was changed\); nothing was imported/);
  });

  it('refuses a chunk of NaN under a run that still reports a finite initial G', async () => {
    const { bytes, runIds } = await bundle();
    const nan = edit(bytes, (db) => {
      const n = db.prepare('SELECT n FROM sample_chunks WHERE run_id = ? AND seq = 0').pluck().get(runIds[1]) as number;
      const g = Buffer.from(new Float64Array(n).fill(Number.NaN).buffer);
      db.prepare('UPDATE sample_chunks SET g = ? WHERE run_id = ? AND seq = 0').run(g, runIds[1]);
    });
    refuses(services(), nan, /its initial G is [0-9.e-]+ but its samples give none \(no finite G\)/);
  });

  it('refuses a newer format, naming its version, and a version that is not one', async () => {
    const { bytes } = await bundle();
    const s = services();
    refuses(s, edit(bytes, (db) => db.exec("UPDATE bundle_info SET value = '99' WHERE key = 'version'")), /newer workbench \(bundle version 99; this one reads up to 3\)/);
    refuses(s, edit(bytes, (db) => db.pragma('user_version = 4')), /newer workbench \(bundle version 4; this one reads up to 3\)/);
    refuses(s, edit(bytes, (db) => db.exec("UPDATE bundle_info SET value = 'two' WHERE key = 'version'")), /format version "two" is not a version number/);
    refuses(s, edit(bytes, (db) => db.exec("UPDATE bundle_info SET value = '1' WHERE key = 'version'")), /header says version 3, its contents say version 1/);
  });

  it('refuses a changed document: a run’s protocol, the experiment’s description', async () => {
    const { bytes } = await bundle();
    const s = services();
    refuses(
      s,
      edit(bytes, (db) => db.exec(`UPDATE runs SET protocol_json = json_set(protocol_json, '$.name', 'tampered')`)),
      /its record \(name, protocol, device, log or summary\) does not match its checksum/,
    );
    refuses(s, edit(bytes, (db) => db.exec("UPDATE experiments SET description = 'tampered'")), /the experiment record does not match its checksum/);
    refuses(s, edit(bytes, (db) => db.exec("UPDATE sample_chunks SET t = zeroblob(length(t)) WHERE seq = 0")), /sample chunk 0 does not match its checksum/);
  });

  it('refuses a run the store itself would not take (tags not text, too many, a name too long, no date), even with checksums that match, and the archive still lists', async () => {
    const { bytes } = await bundle();
    /** A change made with the bundle's checksums recomputed, as a careless exporter (or an attacker) would write it. */
    const forged = (sql: string, ...values: unknown[]) =>
      edit(bytes, (db) => {
        db.prepare(sql).run(...values);
        for (const r of db.prepare('SELECT * FROM runs').all() as Record<string, unknown>[]) {
          db.prepare('UPDATE runs SET checksum = ? WHERE id = ?').run(rowChecksum(r, RUN_COLUMNS), r.id);
        }
      });
    const s = services();
    s.store.runs.create({ name: 'Mine', experimentId: s.store.experiments.create({ name: 'Here' }).id });
    refuses(s, forged('UPDATE runs SET tags = ?', JSON.stringify([{ a: 1 }, 5])), /each tag must be text, got a object/);
    refuses(s, forged('UPDATE runs SET tags = ?', JSON.stringify(Array.from({ length: 101 }, (_, i) => `t${i}`))), /at most 100 tags \(got 101\)/);
    refuses(s, forged(`UPDATE runs SET name = printf('%.201c', 'x')`), /its name must be at most 200 characters \(got 201\)/);
    refuses(s, forged(`UPDATE runs SET notes = printf('%.100001c', 'x')`), /its notes must be at most 100000 characters/);
    refuses(s, forged(`UPDATE runs SET created_at = ''`), /created_at must be a date/);
    refuses(s, forged(`UPDATE runs SET ended_at = 'yesterday'`), /ended_at must be a date/);
    const listed = await s.router.call('runs.list', { limit: 10 });
    expect(listed.ok && (listed.value as { runs: { name: string }[] }).runs.map((r) => r.name)).toEqual(['Mine']);
  });

  it('still imports a version-1 bundle (workbench 0.1.0), saying it had no checksums, with its values checked', () => {
    const v1 = fs.readFileSync(V1_FIXTURE);
    const s = services();
    expect(s.store.bundles.import(v1)).toMatchObject({ imported: 5, skipped: 0, version: 1, checksums: false });
    const db = new Database(v1);
    const runId = db.prepare('SELECT id FROM runs ORDER BY id LIMIT 1').pluck().get() as string;
    db.close();
    // Without checksums the values are still checked: a NaN chunk, an infinite time, a changed first G.
    const t = services();
    refuses(
      t,
      edit(v1, (db) => {
        const n = db.prepare('SELECT n FROM sample_chunks WHERE run_id = ?').pluck().get(runId) as number;
        db.prepare('UPDATE sample_chunks SET g = ? WHERE run_id = ?').run(Buffer.from(new Float64Array(n).fill(Number.NaN).buffer), runId);
      }),
      /its initial G is .* but its samples give none/,
    );
    refuses(
      t,
      edit(v1, (db) => {
        const tt = db.prepare('SELECT t FROM sample_chunks WHERE run_id = ?').pluck().get(runId) as Buffer;
        tt.writeDoubleLE(Number.POSITIVE_INFINITY, 8 * 3);
        db.prepare('UPDATE sample_chunks SET t = ? WHERE run_id = ?').run(tt, runId);
      }),
      /sample 3 \(chunk 0\) has a time or voltage that is not a finite number/,
    );
    refuses(
      t,
      edit(v1, (db) => {
        const g = db.prepare('SELECT g FROM sample_chunks WHERE run_id = ?').pluck().get(runId) as Buffer;
        g[0] = g[0]! ^ 1; // the first sample's G: the initial G no longer matches
        db.prepare('UPDATE sample_chunks SET g = ? WHERE run_id = ?').run(g, runId);
      }),
      /its (initial|smallest|largest) G is/,
    );
  });

  it('`workbench import` of a damaged bundle exits 1 with the reason and leaves the archive as it was', async () => {
    const { bytes, runIds } = await bundle();
    const dir = tmp();
    const file = path.join(dir, 'flipped.wbexp.sqlite');
    fs.writeFileSync(
      file,
      edit(bytes, (db) => {
        const g = db.prepare('SELECT g FROM sample_chunks WHERE run_id = ?').pluck().get(runIds[0]) as Buffer;
        g[50 * 8 + 3] = g[50 * 8 + 3]! ^ 0x10;
        db.prepare('UPDATE sample_chunks SET g = ? WHERE run_id = ?').run(g, runIds[0]);
      }),
    );
    const dataDir = path.join(dir, 'data');
    const first = runCli(['import', file, '--data-dir', dataDir]);
    expect(first.status, first.stderr).toBe(1);
    expect(first.stderr).toContain('does not match its checksum');
    const list = runCli(['runs', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(list.stdout)).toMatchObject({ total: 0 });
    // The 0.1.0 bundle imports, with a note on stderr.
    const old = runCli(['import', V1_FIXTURE, '--data-dir', dataDir]);
    expect(old.status, old.stderr).toBe(0);
    expect(old.stdout).toContain('imported 5 run(s)');
    expect(old.stderr).toContain('written before bundles carried checksums');
  });
});
