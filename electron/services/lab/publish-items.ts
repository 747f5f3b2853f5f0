/**
 * Publishing one item to the lab, each in ONE PostgreSQL transaction: a run's row and all its
 * samples commit together or not at all, so a run is never partially visible, whatever happens to
 * this process or the network. Idempotent: each item carries a content hash; an item already in the
 * lab with the same hash is left as it is, so publishing twice (or after a kill) adds nothing.
 * A transaction-scoped advisory lock per item keeps two publishers of one item (the desktop app
 * and a `workbench publish` on the same folder) from racing.
 */
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Store } from '../store';
import type { EpisodeTrace } from '../../../shared/rl';
import { copyRows, samplesHash } from './samples-copy';

export interface LabIdentity {
  pcId: string;
  pcName: string;
  userName: string;
}

export type ItemOutcome = { hash: string; wrote: 'new' | 'updated' | 'unchanged'; name: string };

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

export async function inTransaction<T>(client: pg.ClientBase, lockKey: string, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
    const out = await fn();
    await client.query('COMMIT');
    return out;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}

export async function publishRun(client: pg.ClientBase, store: Store, who: LabIdentity, runId: string): Promise<ItemOutcome> {
  const detail = store.runs.get(runId);
  const columns = store.readSamples(runId);
  const sHash = samplesHash(columns);
  const { owner: _owner, ...kept } = detail;
  const deviceId = store.lab.deviceOfRun('run', runId);
  const detailJson = JSON.stringify(kept);
  const hash = sha(`run:v2:${detailJson}:${sHash}:${deviceId ?? ''}`);
  const name = detail.name;
  return inTransaction(client, `run:${runId}`, async () => {
    const prev = await client.query<{ content_hash: string; samples_hash: string; deleted_at: Date | null; pc_id: string }>(
      'SELECT content_hash, samples_hash, deleted_at, pc_id FROM lab_runs WHERE run_id = $1',
      [runId],
    );
    const old = prev.rows[0];
    if (old && old.content_hash === hash && old.deleted_at === null) return { hash, wrote: 'unchanged', name } as const;
    const values = [
      runId, who.pcId, who.pcName, who.userName, detail.experimentName, detail.name, detail.status, detail.protocolName,
      detail.deviceKind, detail.deviceName, detail.createdAt, detail.endedAt, columns.length, sHash, hash, detailJson, deviceId,
    ];
    if (old) {
      await client.query(
        `UPDATE lab_runs SET pc_id = $2, pc_name = $3, user_name = $4, experiment_name = $5, name = $6, status = $7, protocol_name = $8,
           device_kind = $9, device_name = $10, created_at = $11, ended_at = $12, sample_count = $13, samples_hash = $14,
           content_hash = $15, detail = $16, device_id = $17, published_at = now(), deleted_at = NULL WHERE run_id = $1`,
        values,
      );
      // Samples are immutable once a run ended; they are rewritten only if they differ (or were tombstoned).
      if (old.samples_hash !== sHash || old.deleted_at !== null) await client.query('DELETE FROM lab_samples WHERE run_id = $1', [runId]);
      else return { hash, wrote: 'updated', name } as const;
    } else {
      await client.query(
        `INSERT INTO lab_runs (run_id, pc_id, pc_name, user_name, experiment_name, name, status, protocol_name, device_kind, device_name,
           created_at, ended_at, sample_count, samples_hash, content_hash, detail, device_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        values,
      );
    }
    if (columns.length > 0) {
      const sink = client.query(copyFrom('COPY lab_samples (run_id, idx, t, v, i, g, kind, block, compliance) FROM STDIN'));
      await pipeline(copyRows(runId, columns), sink);
    }
    return { hash, wrote: old ? 'updated' : 'new', name } as const;
  });
}

export async function publishRlRun(client: pg.ClientBase, store: Store, who: LabIdentity, runId: string): Promise<ItemOutcome> {
  const detail = store.rlRuns.get(runId);
  const { owner: _owner, ...kept } = detail;
  const jobs = store.rlRuns.jobs(runId);
  const episodes = jobs.map((job) => {
    const [stored] = store.rlRuns.traces(runId, job.environmentId, job.strategyId, job.seed);
    return { job, trace: stored ? traceToJson(stored.trace) : null };
  });
  const deviceId = store.lab.deviceOfRun('rl-run', runId);
  const detailJson = JSON.stringify(kept);
  const episodesJson = JSON.stringify(episodes);
  const hash = sha(`rl-run:v2:${detailJson}:${episodesJson}:${deviceId ?? ''}`);
  return inTransaction(client, `rl-run:${runId}`, async () => {
    const prev = await client.query<{ content_hash: string; deleted_at: Date | null }>('SELECT content_hash, deleted_at FROM lab_rl_runs WHERE run_id = $1', [runId]);
    const old = prev.rows[0];
    if (old && old.content_hash === hash && old.deleted_at === null) return { hash, wrote: 'unchanged', name: detail.name } as const;
    await client.query(
      `INSERT INTO lab_rl_runs (run_id, pc_id, pc_name, user_name, name, status, created_at, ended_at, content_hash, detail, device_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (run_id) DO UPDATE SET pc_id = excluded.pc_id, pc_name = excluded.pc_name, user_name = excluded.user_name,
         name = excluded.name, status = excluded.status, created_at = excluded.created_at, ended_at = excluded.ended_at,
         content_hash = excluded.content_hash, detail = excluded.detail, device_id = excluded.device_id, published_at = now(), deleted_at = NULL`,
      [runId, who.pcId, who.pcName, who.userName, detail.name, detail.status, detail.createdAt, detail.endedAt, hash, detailJson, deviceId],
    );
    await client.query('DELETE FROM lab_rl_episodes WHERE run_id = $1', [runId]);
    for (const e of episodes) {
      await client.query(
        `INSERT INTO lab_rl_episodes (run_id, environment_id, strategy_id, seed, n, training_iterations, converged, phases, traces)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [runId, e.job.environmentId, e.job.strategyId, e.job.seed, e.job.episodes, e.job.trainingIterations, e.job.converged, JSON.stringify(e.job.phases), JSON.stringify(e.trace)],
      );
    }
    return { hash, wrote: old ? 'updated' : 'new', name: detail.name } as const;
  });
}

/** A trace's typed arrays as base64 of their little-endian bytes: exact (NaN included), and compact. */
export function traceToJson(trace: EpisodeTrace): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, a] of Object.entries(trace) as [string, ArrayBufferView][]) out[k] = Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
  return out;
}

export async function publishProtocol(client: pg.ClientBase, store: Store, who: LabIdentity, protocolId: string): Promise<ItemOutcome> {
  const latest = store.protocols.get(protocolId);
  const versions = store.protocols.versions(protocolId).map((v) => {
    const doc = store.protocols.get(protocolId, v.version);
    const docJson = JSON.stringify(doc.document);
    return { version: v.version, createdAt: v.createdAt, docJson, docHash: sha(docJson) };
  });
  const { document: _doc, ...summary } = latest;
  const detailJson = JSON.stringify(summary);
  const hash = sha(`protocol:v1:${detailJson}:${versions.map((v) => `${v.version}=${v.docHash}`).join(',')}`);
  return inTransaction(client, `protocol:${protocolId}`, async () => {
    const prev = await client.query<{ content_hash: string; deleted_at: Date | null }>('SELECT content_hash, deleted_at FROM lab_protocols WHERE protocol_id = $1', [protocolId]);
    const old = prev.rows[0];
    if (old && old.content_hash === hash && old.deleted_at === null) return { hash, wrote: 'unchanged', name: latest.name } as const;
    await client.query(
      `INSERT INTO lab_protocols (protocol_id, pc_id, name, latest_version, content_hash, detail) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (protocol_id) DO UPDATE SET pc_id = excluded.pc_id, name = excluded.name, latest_version = excluded.latest_version,
         content_hash = excluded.content_hash, detail = excluded.detail, published_at = now(), deleted_at = NULL`,
      [protocolId, who.pcId, latest.name, latest.version, hash, detailJson],
    );
    // Versions are never rewritten locally: insert the ones the lab lacks.
    for (const v of versions) {
      await client.query(
        `INSERT INTO lab_protocol_versions (protocol_id, version, document, document_hash, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (protocol_id, version) DO NOTHING`,
        [protocolId, v.version, v.docJson, v.docHash, v.createdAt],
      );
    }
    return { hash, wrote: old ? 'updated' : 'new', name: latest.name } as const;
  });
}

export async function publishDevicePreset(client: pg.ClientBase, store: Store, who: LabIdentity, name: string): Promise<ItemOutcome> {
  const saved = store.devicePresets.get(name);
  const presetJson = JSON.stringify(saved);
  const hash = sha(`device-preset:v1:${presetJson}`);
  return inTransaction(client, `device-preset:${who.pcId}:${name}`, async () => {
    const prev = await client.query<{ content_hash: string; deleted_at: Date | null }>('SELECT content_hash, deleted_at FROM lab_device_presets WHERE pc_id = $1 AND name = $2', [who.pcId, name]);
    const old = prev.rows[0];
    if (old && old.content_hash === hash && old.deleted_at === null) return { hash, wrote: 'unchanged', name } as const;
    await client.query(
      `INSERT INTO lab_device_presets (pc_id, name, content_hash, preset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (pc_id, name) DO UPDATE SET content_hash = excluded.content_hash, preset = excluded.preset, published_at = now(), deleted_at = NULL`,
      [who.pcId, name, hash, presetJson],
    );
    return { hash, wrote: old ? 'updated' : 'new', name } as const;
  });
}

/** The columns of a hierarchy row the lab keeps (derived counts and parent names are not content). */
function hierarchyRow(found: NonNullable<ReturnType<Store['lab']['hierarchyItem']>>): { sql: string; args: unknown[]; hashed: string } {
  if (found.level === 'sample') {
    const s = found.item;
    const args = [s.id, s.name, s.kind, s.materialStack, s.fabricatedOn, s.notes, s.createdAt, s.updatedAt];
    return {
      hashed: JSON.stringify(args),
      args,
      sql: `INSERT INTO lab_wafer_samples (pc_id, sample_id, name, kind, material_stack, fabricated_on, notes, created_at, updated_at, content_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (pc_id, sample_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, material_stack = excluded.material_stack,
              fabricated_on = excluded.fabricated_on, notes = excluded.notes, created_at = excluded.created_at, updated_at = excluded.updated_at,
              content_hash = excluded.content_hash, published_at = now(), deleted_at = NULL`,
    };
  }
  if (found.level === 'chip') {
    const c = found.item;
    const args = [c.id, c.sampleId, c.name, c.rows, c.cols, c.materialStack, c.notes, c.createdAt, c.updatedAt];
    return {
      hashed: JSON.stringify(args),
      args,
      sql: `INSERT INTO lab_chips (pc_id, chip_id, sample_id, name, rows, cols, material_stack, notes, created_at, updated_at, content_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (pc_id, chip_id) DO UPDATE SET sample_id = excluded.sample_id, name = excluded.name, rows = excluded.rows, cols = excluded.cols,
              material_stack = excluded.material_stack, notes = excluded.notes, created_at = excluded.created_at, updated_at = excluded.updated_at,
              content_hash = excluded.content_hash, published_at = now(), deleted_at = NULL`,
    };
  }
  const d = found.item;
  const args = [d.id, d.chipId, d.name, d.kind, d.virtualKey, d.wordLine, d.bitLine, d.materialStack, d.areaM2, d.fabricatedOn, d.notes, d.archivedAt, d.createdAt, d.updatedAt];
  return {
    hashed: JSON.stringify(args),
    args,
    sql: `INSERT INTO lab_devices (pc_id, device_id, chip_id, name, kind, virtual_key, word_line, bit_line, material_stack, area_m2, fabricated_on, notes,
            archived_at, created_at, updated_at, content_hash)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
          ON CONFLICT (pc_id, device_id) DO UPDATE SET chip_id = excluded.chip_id, name = excluded.name, kind = excluded.kind, virtual_key = excluded.virtual_key,
            word_line = excluded.word_line, bit_line = excluded.bit_line, material_stack = excluded.material_stack, area_m2 = excluded.area_m2,
            fabricated_on = excluded.fabricated_on, notes = excluded.notes, archived_at = excluded.archived_at, created_at = excluded.created_at,
            updated_at = excluded.updated_at, content_hash = excluded.content_hash, published_at = now(), deleted_at = NULL`,
  };
}

const hierarchyTables = { sample: ['lab_wafer_samples', 'sample_id'], chip: ['lab_chips', 'chip_id'], device: ['lab_devices', 'device_id'] } as const;

/**
 * A sample, chip or device of the device hierarchy (#14), the ledger's kind 'device' for all three.
 * Keyed by (PC, id) in the lab; the ledger sends parents before children, so its foreign keys hold.
 */
export async function publishDeviceItem(client: pg.ClientBase, store: Store, who: LabIdentity, id: string): Promise<ItemOutcome> {
  const found = store.lab.hierarchyItem(id);
  if (found === null) throw new Error(`no sample, chip or device ${id} in this data folder`);
  const row = hierarchyRow(found);
  const hash = sha(`${found.level}:v1:${row.hashed}`);
  const [table, key] = hierarchyTables[found.level];
  const name = `${found.level} ${found.item.name}`;
  return inTransaction(client, `device:${who.pcId}:${id}`, async () => {
    const prev = await client.query<{ content_hash: string; deleted_at: Date | null }>(`SELECT content_hash, deleted_at FROM ${table} WHERE pc_id = $1 AND ${key} = $2`, [who.pcId, id]);
    const old = prev.rows[0];
    if (old && old.content_hash === hash && old.deleted_at === null) return { hash, wrote: 'unchanged', name } as const;
    await client.query(row.sql, [who.pcId, ...row.args, hash]);
    return { hash, wrote: old ? 'updated' : 'new', name } as const;
  });
}

/** A deletion reaches the lab: the row stays, marked deleted (its tombstone); a run loses its samples. */
export async function publishTombstone(client: pg.ClientBase, who: LabIdentity, kind: string, id: string): Promise<void> {
  await inTransaction(client, `${kind}:${kind === 'device-preset' || kind === 'device' ? `${who.pcId}:` : ''}${id}`, async () => {
    if (kind === 'run') {
      const r = await client.query('UPDATE lab_runs SET deleted_at = now() WHERE run_id = $1 AND pc_id = $2 AND deleted_at IS NULL', [id, who.pcId]);
      if ((r.rowCount ?? 0) > 0) await client.query('DELETE FROM lab_samples WHERE run_id = $1', [id]);
    } else if (kind === 'rl-run') {
      const r = await client.query('UPDATE lab_rl_runs SET deleted_at = now() WHERE run_id = $1 AND pc_id = $2 AND deleted_at IS NULL', [id, who.pcId]);
      if ((r.rowCount ?? 0) > 0) await client.query('DELETE FROM lab_rl_episodes WHERE run_id = $1', [id]);
    } else if (kind === 'protocol') {
      await client.query('UPDATE lab_protocols SET deleted_at = now() WHERE protocol_id = $1 AND pc_id = $2 AND deleted_at IS NULL', [id, who.pcId]);
    } else if (kind === 'device-preset') {
      await client.query('UPDATE lab_device_presets SET deleted_at = now() WHERE pc_id = $1 AND name = $2 AND deleted_at IS NULL', [who.pcId, id]);
    } else if (kind === 'device') {
      // Only devices are deleted locally (samples and chips never are).
      await client.query('UPDATE lab_devices SET deleted_at = now() WHERE pc_id = $1 AND device_id = $2 AND deleted_at IS NULL', [who.pcId, id]);
    }
  });
}
