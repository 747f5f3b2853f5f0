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
  const detailJson = JSON.stringify(kept);
  const hash = sha(`run:v1:${detailJson}:${sHash}`);
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
      detail.deviceKind, detail.deviceName, detail.createdAt, detail.endedAt, columns.length, sHash, hash, detailJson,
    ];
    if (old) {
      await client.query(
        `UPDATE lab_runs SET pc_id = $2, pc_name = $3, user_name = $4, experiment_name = $5, name = $6, status = $7, protocol_name = $8,
           device_kind = $9, device_name = $10, created_at = $11, ended_at = $12, sample_count = $13, samples_hash = $14,
           content_hash = $15, detail = $16, published_at = now(), deleted_at = NULL WHERE run_id = $1`,
        values,
      );
      // Samples are immutable once a run ended; they are rewritten only if they differ (or were tombstoned).
      if (old.samples_hash !== sHash || old.deleted_at !== null) await client.query('DELETE FROM lab_samples WHERE run_id = $1', [runId]);
      else return { hash, wrote: 'updated', name } as const;
    } else {
      await client.query(
        `INSERT INTO lab_runs (run_id, pc_id, pc_name, user_name, experiment_name, name, status, protocol_name, device_kind, device_name,
           created_at, ended_at, sample_count, samples_hash, content_hash, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
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
  const detailJson = JSON.stringify(kept);
  const episodesJson = JSON.stringify(episodes);
  const hash = sha(`rl-run:v1:${detailJson}:${episodesJson}`);
  return inTransaction(client, `rl-run:${runId}`, async () => {
    const prev = await client.query<{ content_hash: string; deleted_at: Date | null }>('SELECT content_hash, deleted_at FROM lab_rl_runs WHERE run_id = $1', [runId]);
    const old = prev.rows[0];
    if (old && old.content_hash === hash && old.deleted_at === null) return { hash, wrote: 'unchanged', name: detail.name } as const;
    await client.query(
      `INSERT INTO lab_rl_runs (run_id, pc_id, pc_name, user_name, name, status, created_at, ended_at, content_hash, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (run_id) DO UPDATE SET pc_id = excluded.pc_id, pc_name = excluded.pc_name, user_name = excluded.user_name,
         name = excluded.name, status = excluded.status, created_at = excluded.created_at, ended_at = excluded.ended_at,
         content_hash = excluded.content_hash, detail = excluded.detail, published_at = now(), deleted_at = NULL`,
      [runId, who.pcId, who.pcName, who.userName, detail.name, detail.status, detail.createdAt, detail.endedAt, hash, detailJson],
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

/** A deletion reaches the lab: the row stays, marked deleted (its tombstone); a run loses its samples. */
export async function publishTombstone(client: pg.ClientBase, who: LabIdentity, kind: string, id: string): Promise<void> {
  await inTransaction(client, `${kind}:${kind === 'device-preset' ? `${who.pcId}:` : ''}${id}`, async () => {
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
    }
  });
}
