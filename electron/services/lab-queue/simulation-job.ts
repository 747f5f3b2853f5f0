/**
 * One job of a simulation sweep (#16): the grid point's preset, the run `workbench simulate` makes
 * (simulateToEnd, the same function), and its storing as a lab run — lab_runs, lab_samples (COPY)
 * and its lab_sweep_runs tag in ONE transaction, under an id derived from (sweep, job key), so a
 * job retried after a killed worker finds its run there and writes nothing.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DevicePreset } from '../../../shared/device';
import type { ProtocolDocument } from '../../../shared/protocol';
import { SampleBuilder, type SampleColumns } from '../../../shared/samples/columns';
import { appVersion } from '../../app-meta';
import { inTransaction, type LabIdentity } from '../lab/publish-items';
import { copyRows, samplesHash } from '../lab/samples-copy';
import { simulateToEnd, type SimulationOutcome } from '../simulation/simulate-run';
import { simulationJobKey } from './payload';
import { gridPoints, presetAt, programOf, type GridPoint, type SimulationSpec } from '../../../shared/lab/simulation-spec';

/** A UUID (version 8: ours, name-based on SHA-256) from a name: the same name, the same id. */
export function nameUuid(name: string): string {
  const b = createHash('sha256').update(name).digest();
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The lab run id of a sweep's job. */
export const sweepRunId = (sweepId: string, jobKey: string): string => nameUuid(`lab-sweep-run:${sweepId}:${jobKey}`);

/**
 * A worker's PC in the lab (lab_pcs): a worker needs no data folder, so its PC id is derived from
 * its PC name (WORKBENCH_LAB_PC_NAME, else the host name).
 */
export function workerPc(pcName: string, userName: string): LabIdentity {
  return { pcId: nameUuid(`lab-worker-pc:${pcName}`), pcName, userName };
}

export class JobSpecError extends Error {}

export interface SimulationJobRun {
  point: GridPoint;
  preset: DevicePreset;
  document: ProtocolDocument;
  seed: number;
  noise: boolean;
  columns: SampleColumns;
  outcome: SimulationOutcome;
}

/** Runs one job; a point or protocol this spec cannot make is a JobSpecError (the same everywhere). */
export function runSimulationJob(spec: SimulationSpec, pointIndex: number, seed: number): SimulationJobRun {
  const point = gridPoints(spec.grid)[pointIndex];
  if (!point) throw new JobSpecError(`the sweep has no grid point ${pointIndex}`);
  if (!spec.seeds.includes(seed)) throw new JobSpecError(`the sweep has no seed ${seed}`);
  const preset = presetAt(spec.device, point);
  if (!preset.ok) throw new JobSpecError(preset.problems.map((p) => p.message).join('; '));
  const program = programOf(spec.protocol.text);
  if (!program.ok) throw new JobSpecError(program.problems.map((p) => p.message).join('; '));
  const builder = new SampleBuilder(4096);
  const outcome = simulateToEnd({ preset: preset.value, program: program.value.program, seed, noise: spec.noise }, (t, v, i, g, kind, block, compliance) => builder.push(t, v, i, g, kind, block, compliance));
  return { point, preset: preset.value, document: program.value.document, seed, noise: spec.noise, columns: builder.take(), outcome };
}

export interface StoreSweepRun {
  sweepId: string;
  sweepTitle: string;
  pointIndex: number;
  run: SimulationJobRun;
  who: LabIdentity;
  worker: string;
  startedAt: Date;
}

/** Stores a job's run; 'already-there' when an earlier try of the same job stored it. */
export async function storeSweepRun(client: pg.ClientBase, input: StoreSweepRun): Promise<{ outcome: 'written' | 'already-there'; runId: string; samplesHash: string }> {
  const { run, who } = input;
  const key = simulationJobKey({ point: input.pointIndex, seed: run.seed });
  const runId = sweepRunId(input.sweepId, key);
  const sHash = samplesHash(run.columns);
  const where = Object.entries(run.point).map(([k, v]) => `${k}=${v}`).join(' ');
  const name = `${run.document.name} on ${run.preset.name}, seed ${run.seed}${where ? `, ${where}` : ''}`;
  const endedAt = new Date();
  const s = run.outcome.summary;
  const detail = {
    id: runId,
    experimentId: input.sweepId,
    experimentName: input.sweepTitle,
    name,
    status: 'completed',
    exitReason: null,
    deviceKind: 'simulated',
    deviceName: run.preset.name,
    protocolName: run.document.name,
    createdAt: input.startedAt.toISOString(),
    updatedAt: endedAt.toISOString(),
    startedAt: input.startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    tags: [`sweep:${input.sweepId}`],
    notes: `Job ${key} of lab sweep ${input.sweepId}, run by worker ${input.worker}.`,
    sampleCount: run.columns.length,
    initialG: s.initialG,
    finalG: s.finalG,
    minG: s.minG,
    maxG: maxRead(run.columns),
    protocol: run.document,
    protocolHash: createHash('sha256').update(JSON.stringify(run.document)).digest('hex'),
    device: { kind: 'simulated', preset: run.preset, seed: run.seed, noise: run.noise },
    instrumentIdn: null,
    appVersion,
    host: `worker@${os.hostname()}`,
    events: run.outcome.exits.map((e) => ({ at: endedAt.toISOString(), kind: e.kind, message: e.text })),
    sweep: { sweepId: input.sweepId, jobKey: key, point: run.point, seed: run.seed, summary: s },
  };
  const detailJson = JSON.stringify(detail, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v));
  const contentHash = createHash('sha256').update(`run:v1:${detailJson}:${sHash}`).digest('hex');
  return inTransaction(client, `run:${runId}`, async () => {
    const there = await client.query('SELECT 1 FROM lab_runs WHERE run_id = $1', [runId]);
    if ((there.rowCount ?? 0) > 0) return { outcome: 'already-there', runId, samplesHash: sHash } as const;
    await client.query(
      `INSERT INTO lab_pcs (pc_id, name, user_name) VALUES ($1, $2, $3)
       ON CONFLICT (pc_id) DO UPDATE SET name = excluded.name, user_name = excluded.user_name, last_seen = now()`,
      [who.pcId, who.pcName, who.userName],
    );
    await client.query(
      `INSERT INTO lab_runs (run_id, pc_id, pc_name, user_name, experiment_name, name, status, protocol_name, device_kind, device_name,
         created_at, ended_at, sample_count, samples_hash, content_hash, detail)
       VALUES ($1, $2, $3, $4, $5, $6, 'completed', $7, 'simulated', $8, $9, $10, $11, $12, $13, $14)`,
      [runId, who.pcId, who.pcName, who.userName, input.sweepTitle, name, run.document.name, run.preset.name, input.startedAt, endedAt, run.columns.length, sHash, contentHash, detailJson],
    );
    if (run.columns.length > 0) {
      await pipeline(copyRows(runId, run.columns), client.query(copyFrom('COPY lab_samples (run_id, idx, t, v, i, g, kind, block, compliance) FROM STDIN')));
    }
    await client.query('INSERT INTO lab_sweep_runs (sweep_id, job_key, run_id, point, seed, worker) VALUES ($1, $2, $3, $4, $5, $6)', [
      input.sweepId, key, runId, JSON.stringify(run.point), run.seed, input.worker,
    ]);
    return { outcome: 'written', runId, samplesHash: sHash } as const;
  });
}

/** The largest finite conductance of the run's samples (what a local run's summary holds as maxG). */
function maxRead(c: SampleColumns): number | null {
  let max = -Infinity;
  for (let k = 0; k < c.length; k++) if (Number.isFinite(c.g[k]!) && c.g[k]! > max) max = c.g[k]!;
  return max === -Infinity ? null : max;
}
