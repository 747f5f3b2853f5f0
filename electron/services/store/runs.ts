/**
 * Runs: one execution of a protocol on a device, with the provenance snapshot taken when it was
 * created, its status and a summary of its samples (kept current by the SampleWriter).
 *
 * Status moves along `transitions` only; a run in a terminal status never moves again. Going to
 * 'paused' or to a terminal status first flushes the run's open SampleWriter, so what was appended
 * is committed before the status says the run has stopped producing samples.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { Experiments } from './experiments';
import type { LabDevices } from './lab-devices';
import { deviceKeyForRun } from './virtual-device-keys';
import { INTERRUPTED_EXIT_REASON } from './identity';
import { ownerLiveness, parseOwner, type OwnerLiveness, type RunOwner } from './owner';
import { listRuns, runFacets, type RunFacets, type RunQuery } from './run-query';
import { DETAIL_COLUMNS, FROM, toDetail, type DetailRow } from './run-rows';
import type { NewRun, RunDetail, RunList, RunLogEntry, StatusChange } from './types';
import { activeRunStatuses, isTerminalRunStatus, type RunStatus } from '../../../shared/contract';
import {
  checkJsonObject,
  checkName,
  checkOptionalText,
  checkStatus,
  checkTags,
  checkText,
  checkTime,
  checkUuid,
  invalid,
} from './validate';

export const transitions: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'stopped', 'aborted', 'failed'],
  running: ['paused', 'completed', 'stopped', 'aborted', 'failed', 'interrupted'],
  paused: ['running', 'completed', 'stopped', 'aborted', 'failed', 'interrupted'],
  completed: [],
  stopped: [],
  aborted: [],
  interrupted: [],
  failed: [],
};

/** Exit reason of a queued run whose process ended before it started. */
export const ABANDONED_EXIT_REASON = 'the workbench stopped before this queued run started';
/** Longest run log kept; later entries replace the last one with a note that more were dropped. */
export const MAX_LOG_ENTRIES = 1000;

function ownerJson(owner: RunOwner | null | undefined): string | null {
  if (owner === undefined || owner === null) return null;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || typeof owner.host !== 'string') throw invalid('a run owner needs a pid and a host');
  return JSON.stringify({ pid: owner.pid, host: owner.host, processStartedAt: owner.processStartedAt, procStart: owner.procStart });
}

export class Runs {
  constructor(
    private readonly ctx: StoreContext,
    private readonly experiments: Experiments,
    private readonly lab: LabDevices,
  ) {}

  /** Creates a run with its provenance snapshot, in status 'queued' (default) or 'running'. */
  create(input: NewRun): RunDetail {
    if (input === null || typeof input !== 'object') throw invalid('a new run must be described by an object');
    const name = checkName(input.name, 'run name');
    const id = input.id === undefined ? randomUUID() : checkUuid(input.id, 'run id');
    const status = input.status ?? 'queued';
    if (status !== 'queued' && status !== 'running') {
      throw invalid(`a new run starts 'queued' or 'running', not ${JSON.stringify(status)}`);
    }
    if ((input.experimentId === undefined) === (input.experimentName === undefined)) {
      throw invalid('a new run needs exactly one of experimentId and experimentName');
    }
    const protocolJson = input.protocol === undefined || input.protocol === null ? null : checkJsonObject(input.protocol, 'protocol');
    const deviceJson = input.device === undefined || input.device === null ? null : checkJsonObject(input.device, 'device');
    let protocolHash = checkOptionalText(input.protocolHash, 'protocol hash', 200);
    if (protocolHash === null && protocolJson !== null) protocolHash = createHash('sha256').update(protocolJson).digest('hex');
    const instrumentIdn = checkOptionalText(input.instrumentIdn, 'instrument identification', 1000);
    const notes = input.notes === undefined ? '' : checkText(input.notes, 'notes');
    const tags = input.tags === undefined ? [] : checkTags(input.tags);
    const experimentId = input.experimentId === undefined ? undefined : checkUuid(input.experimentId, 'experiment id');
    const owner = ownerJson(input.owner);

    return this.ctx.tx(() => {
      const exp =
        experimentId !== undefined ? this.experiments.get(experimentId) : this.experiments.getOrCreate(input.experimentName as string);
      if (this.ctx.stmt('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined) {
        throw new StoreError('conflict', `A run with id ${id} already exists.`);
      }
      const deviceId =
        input.deviceId === undefined || input.deviceId === null
          ? this.lab.virtualDevice(deviceKeyForRun(input.device ?? null, instrumentIdn))
          : this.lab.checkRunDevice(input.deviceId);
      const now = this.ctx.now();
      this.ctx
        .stmt(
          `INSERT INTO runs (id, experiment_id, name, status, protocol_json, protocol_hash, device_json, instrument_idn,
             app_version, host, created_at, updated_at, started_at, notes, tags, owner_json, device_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          exp.id,
          name,
          status,
          protocolJson,
          protocolHash,
          deviceJson,
          instrumentIdn,
          this.ctx.appVersion,
          this.ctx.host,
          now,
          now,
          status === 'running' ? now : null,
          notes,
          JSON.stringify(tags),
          owner,
          deviceId,
        );
      return this.get(id);
    });
  }

  get(id: string): RunDetail {
    const key = checkUuid(id, 'run id');
    const row = this.ctx.stmt(`SELECT ${DETAIL_COLUMNS} ${FROM} WHERE r.id = ?`).get(key) as DetailRow | undefined;
    if (!row) throw new StoreError('not_found', `No run with id ${key}.`);
    return toDetail(row);
  }

  /** Runs matching every given filter, newest first, one page at a time, with the total count. */
  list(filter: RunQuery = {}): RunList {
    return listRuns(this.ctx, filter);
  }

  /** The devices, protocols and tags of the runs (of one experiment, or all), for the Archive's filter choices. */
  facets(experimentId?: string): RunFacets {
    return runFacets(this.ctx, experimentId);
  }

  /**
   * Moves a run to `status` (see `transitions`; anything else is a 'conflict'). Sets startedAt on
   * its first 'running', endedAt on a terminal status, and exitReason when given.
   */
  setStatus(id: string, status: RunStatus, change: StatusChange = {}): RunDetail {
    const key = checkUuid(id, 'run id');
    const to = checkStatus(status);
    const exitReason = change.exitReason === undefined ? undefined : checkOptionalText(change.exitReason, 'exit reason', 10_000);
    const at = change.at === undefined ? undefined : checkTime(change.at, 'status time');
    const owner = change.owner === undefined ? undefined : ownerJson(change.owner);
    const terminal = isTerminalRunStatus(to);

    const current = this.get(key);
    this.checkTransition(current, to);
    // Commit what the run's writer still holds while the run may still take samples.
    if (to === 'paused' || terminal) this.ctx.writers.get(key)?.flush();

    const result = this.ctx.tx(() => {
      const run = this.get(key);
      this.checkTransition(run, to);
      const now = this.ctx.now();
      const when = at ?? now;
      this.ctx
        .stmt(
          `UPDATE runs SET status = ?,
             exit_reason = CASE WHEN ? THEN ? ELSE exit_reason END,
             started_at = CASE WHEN ? = 'running' AND started_at IS NULL THEN ? ELSE started_at END,
             ended_at = CASE WHEN ? THEN ? ELSE ended_at END,
             owner_json = CASE WHEN ? THEN ? ELSE owner_json END,
             updated_at = ?
           WHERE id = ?`,
        )
        .run(to, exitReason === undefined ? 0 : 1, exitReason ?? null, to, when, terminal ? 1 : 0, when, owner === undefined ? 0 : 1, owner ?? null, now, key);
      return this.get(key);
    });
    if (terminal) this.ctx.writers.get(key)?.detach(`the run is ${to}`);
    return result;
  }

  rename(id: string, name: string): RunDetail {
    const key = checkUuid(id, 'run id');
    const n = checkName(name, 'run name');
    return this.update(key, 'name = ?', n);
  }

  setNotes(id: string, notes: string): RunDetail {
    const key = checkUuid(id, 'run id');
    return this.update(key, 'notes = ?', checkText(notes, 'notes'));
  }

  setTags(id: string, tags: readonly string[]): RunDetail {
    const key = checkUuid(id, 'run id');
    return this.update(key, 'tags = ?', JSON.stringify(checkTags(tags)));
  }

  /** Moves a run to another experiment. */
  move(id: string, experimentId: string): RunDetail {
    const key = checkUuid(id, 'run id');
    const exp = checkUuid(experimentId, 'experiment id');
    return this.ctx.tx(() => {
      this.experiments.get(exp);
      return this.update(key, 'experiment_id = ?', exp);
    });
  }

  /** Deletes a run and its samples. A running or paused run is refused ('conflict'): stop it first. */
  delete(id: string): void {
    const key = checkUuid(id, 'run id');
    this.ctx.tx(() => {
      const run = this.get(key);
      if (activeRunStatuses.includes(run.status)) {
        throw new StoreError('conflict', `Run "${run.name}" is ${run.status}; stop it before deleting it.`);
      }
      this.ctx.stmt('DELETE FROM runs WHERE id = ?').run(key);
    });
    this.ctx.writers.get(key)?.detach('the run was deleted');
  }

  /**
   * Marks every run left 'running' or 'paused' by a process that died as 'interrupted', keeping
   * its committed samples; its endedAt becomes its last recorded activity. Returns how many.
   *
   * A run with an owner (see owner.ts) is left alone while that process lives — another workbench
   * on the same data folder may be running it — and a queued run whose owner died is 'stopped'
   * (it never started). A run without an owner (written before owners existed, or by code that
   * records none) is interrupted unless this process holds its sample writer, as before.
   */
  markInterrupted(liveness: (owner: RunOwner) => OwnerLiveness = ownerLiveness): number {
    const rows = this.ctx
      .stmt(`SELECT id, status, owner_json FROM runs WHERE status IN ('queued', ${activeRunStatuses.map(() => '?').join(',')})`)
      .all(...activeRunStatuses) as { id: string; status: RunStatus; owner_json: string | null }[];
    const interrupt: string[] = [];
    const abandon: string[] = [];
    for (const row of rows) {
      if (this.ctx.writers.has(row.id)) continue; // this process is writing it right now
      const owner = parseOwner(row.owner_json);
      if (owner === null) {
        if (row.status !== 'queued') interrupt.push(row.id);
        continue;
      }
      if (liveness(owner) !== 'dead') continue;
      (row.status === 'queued' ? abandon : interrupt).push(row.id);
    }
    if (interrupt.length === 0 && abandon.length === 0) return 0;
    return this.ctx.tx(() => {
      const now = this.ctx.now();
      const info = this.ctx
        .stmt(
          `UPDATE runs SET status = 'interrupted', exit_reason = ?, ended_at = coalesce(ended_at, updated_at), updated_at = ?
           WHERE status IN (${activeRunStatuses.map(() => '?').join(',')}) AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(INTERRUPTED_EXIT_REASON, now, ...activeRunStatuses, JSON.stringify(interrupt));
      this.ctx
        .stmt(
          `UPDATE runs SET status = 'stopped', exit_reason = ?, ended_at = ?, updated_at = ?
           WHERE status = 'queued' AND id IN (SELECT value FROM json_each(?))`,
        )
        .run(ABANDONED_EXIT_REASON, now, now, JSON.stringify(abandon));
      return info.changes;
    });
  }

  /**
   * Replaces the device snapshot (and the instrument's identification) of a run that has not
   * ended: the engine records the full snapshot once the device is open.
   */
  setDevice(id: string, device: object, instrumentIdn?: string | null): RunDetail {
    const key = checkUuid(id, 'run id');
    const json = checkJsonObject(device, 'device');
    const idn = instrumentIdn === undefined ? undefined : checkOptionalText(instrumentIdn, 'instrument identification', 1000);
    return this.ctx.tx(() => {
      const run = this.get(key);
      if (isTerminalRunStatus(run.status)) throw new StoreError('conflict', `Run "${run.name}" is ${run.status}; its provenance is final.`);
      this.ctx
        .stmt('UPDATE runs SET device_json = ?, instrument_idn = CASE WHEN ? THEN ? ELSE instrument_idn END, updated_at = ? WHERE id = ?')
        .run(json, idn === undefined ? 0 : 1, idn ?? null, this.ctx.now(), key);
      this.moveToIdentity(key);
      return this.get(key);
    });
  }

  /**
   * A run on an instrument's virtual device named by driver and port moves to the one named by
   * the instrument's *IDN? once it answered (a run the user put on a chip's device stays there).
   */
  private moveToIdentity(id: string): void {
    const row = this.ctx
      .stmt('SELECT r.device_json, r.instrument_idn, d.virtual_key FROM runs r JOIN lab_devices d ON d.id = r.device_id WHERE r.id = ?')
      .get(id) as { device_json: string | null; instrument_idn: string | null; virtual_key: string | null } | undefined;
    if (row === undefined || row.virtual_key === null || !row.virtual_key.startsWith('instrument:')) return;
    const key = deviceKeyForRun(row.device_json === null ? null : JSON.parse(row.device_json), row.instrument_idn);
    if (key !== row.virtual_key) this.ctx.stmt('UPDATE runs SET device_id = ? WHERE id = ?').run(this.lab.virtualDevice(key), id);
  }

  /** Appends a line to a run's log (kept to MAX_LOG_ENTRIES). */
  log(id: string, kind: string, message: string, at?: Date | string | number): void {
    const key = checkUuid(id, 'run id');
    const entry: RunLogEntry = {
      at: at === undefined ? this.ctx.now() : checkTime(at, 'log time'),
      kind: checkText(kind, 'log kind', 50),
      message: checkText(message, 'log message', 10_000),
    };
    this.ctx.tx(() => {
      const row = this.ctx.stmt('SELECT json_array_length(events_json) AS n FROM runs WHERE id = ?').get(key) as { n: number } | undefined;
      if (!row) throw new StoreError('not_found', `No run with id ${key}.`);
      if (row.n >= MAX_LOG_ENTRIES) {
        const last: RunLogEntry = { at: entry.at, kind: 'log', message: `later log entries were dropped (at most ${MAX_LOG_ENTRIES} are kept)` };
        this.ctx.stmt(`UPDATE runs SET events_json = json_set(events_json, '$[${MAX_LOG_ENTRIES - 1}]', json(?)) WHERE id = ?`).run(JSON.stringify(last), key);
        return;
      }
      this.ctx.stmt(`UPDATE runs SET events_json = json_insert(events_json, '$[#]', json(?)) WHERE id = ?`).run(JSON.stringify(entry), key);
    });
  }

  /** The full id of the run whose id is `idOrPrefix` or starts with it (at least 4 hex digits). */
  resolveId(idOrPrefix: string): string {
    const text = checkText(idOrPrefix, 'run id', 100).trim().toLowerCase();
    if (!/^[0-9a-f-]{4,36}$/.test(text)) throw invalid(`a run id is a UUID or its first characters (at least 4), got ${JSON.stringify(idOrPrefix)}`);
    const ids = this.ctx.stmt(`SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 2`).pluck().all(`${text}%`) as string[];
    if (ids.length === 0) throw new StoreError('not_found', `No run id starts with ${text}.`);
    if (ids.length > 1) throw new StoreError('conflict', `More than one run id starts with ${text}; give more of it.`);
    return ids[0] as string;
  }

  private checkTransition(run: RunDetail, to: RunStatus): void {
    if (!transitions[run.status].includes(to)) {
      const allowed = transitions[run.status];
      throw new StoreError(
        'conflict',
        `Run "${run.name}" is ${run.status} and cannot become ${to}` +
          (allowed.length > 0 ? ` (it can become ${allowed.join(', ')}).` : ' (it has ended).'),
        { from: run.status, to },
      );
    }
  }

  private update(key: string, assignment: string, value: unknown): RunDetail {
    return this.ctx.tx(() => {
      const info = this.ctx.stmt(`UPDATE runs SET ${assignment}, updated_at = ? WHERE id = ?`).run(value, this.ctx.now(), key);
      if (info.changes === 0) throw new StoreError('not_found', `No run with id ${key}.`);
      return this.get(key);
    });
  }
}
