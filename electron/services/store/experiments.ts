/** Experiments: named groups of runs. Names are unique, compared without regard to ASCII case. */
import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import type { Experiment } from './types';
import { activeRunStatuses, TEXT_LIMITS } from '../../../shared/contract';
import { checkName, checkText, checkUuid } from './validate';

interface ExperimentRow {
  id: string;
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
  run_count: number;
}

const SELECT = `SELECT e.id, e.name, e.description, e.created_at, e.updated_at,
  (SELECT count(*) FROM runs r WHERE r.experiment_id = e.id) AS run_count
  FROM experiments e`;

function toExperiment(r: ExperimentRow): Experiment {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    runCount: r.run_count,
  };
}

export class Experiments {
  constructor(private readonly ctx: StoreContext) {}

  /** Creates an experiment; 'conflict' when the name (or the id, when one is given) is taken. */
  create(input: { name: string; description?: string; id?: string }): Experiment {
    const name = checkName(input?.name, 'experiment name');
    const description = input.description === undefined ? '' : checkText(input.description, 'experiment description', TEXT_LIMITS.description);
    return this.ctx.tx(() => {
      const existing = this.findByName(name);
      if (existing) {
        throw new StoreError('conflict', `An experiment named "${existing.name}" already exists.`, { id: existing.id });
      }
      const id = input.id === undefined ? randomUUID() : checkUuid(input.id, 'experiment id');
      if (input.id !== undefined && this.ctx.stmt('SELECT 1 FROM experiments WHERE id = ?').get(id) !== undefined) {
        throw new StoreError('conflict', `An experiment with id ${id} already exists.`, { id });
      }
      const now = this.ctx.now();
      this.ctx
        .stmt('INSERT INTO experiments (id, name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, name, description, now, now);
      return this.get(id);
    });
  }

  /** The experiment with this name (ASCII case ignored), created when there is none. */
  getOrCreate(name: string, options: { description?: string } = {}): Experiment {
    const n = checkName(name, 'experiment name');
    return this.ctx.tx(() => this.findByName(n) ?? this.create({ name: n, ...options }));
  }

  get(id: string): Experiment {
    const key = checkUuid(id, 'experiment id');
    const row = this.ctx.stmt(`${SELECT} WHERE e.id = ?`).get(key) as ExperimentRow | undefined;
    if (!row) throw new StoreError('not_found', `No experiment with id ${key}.`);
    return toExperiment(row);
  }

  findByName(name: string): Experiment | null {
    const n = checkName(name, 'experiment name');
    const row = this.ctx.stmt(`${SELECT} WHERE e.name = ?`).get(n) as ExperimentRow | undefined;
    return row ? toExperiment(row) : null;
  }

  /** All experiments by name, each with its run count. */
  list(): Experiment[] {
    const rows = this.ctx
      .stmt(
        `SELECT e.id, e.name, e.description, e.created_at, e.updated_at, count(r.id) AS run_count
         FROM experiments e LEFT JOIN runs r ON r.experiment_id = e.id
         GROUP BY e.id ORDER BY e.name, e.created_at`,
      )
      .all() as ExperimentRow[];
    return rows.map(toExperiment);
  }

  rename(id: string, name: string): Experiment {
    const key = checkUuid(id, 'experiment id');
    const n = checkName(name, 'experiment name');
    return this.ctx.tx(() => {
      this.get(key);
      const other = this.findByName(n);
      if (other && other.id !== key) {
        throw new StoreError('conflict', `An experiment named "${other.name}" already exists.`, { id: other.id });
      }
      this.ctx.stmt('UPDATE experiments SET name = ?, updated_at = ? WHERE id = ?').run(n, this.ctx.now(), key);
      return this.get(key);
    });
  }

  setDescription(id: string, description: string): Experiment {
    const key = checkUuid(id, 'experiment id');
    const d = checkText(description, 'experiment description', TEXT_LIMITS.description);
    return this.ctx.tx(() => {
      this.get(key);
      this.ctx.stmt('UPDATE experiments SET description = ?, updated_at = ? WHERE id = ?').run(d, this.ctx.now(), key);
      return this.get(key);
    });
  }

  /**
   * Deletes an experiment. One that still holds runs is refused ('conflict') unless `withRuns` is
   * set, which deletes its runs and their samples too; a running or paused run is always refused.
   */
  delete(id: string, options: { withRuns?: boolean } = {}): { deletedRuns: number } {
    const key = checkUuid(id, 'experiment id');
    const runIds = this.ctx.tx(() => {
      const exp = this.get(key);
      if (exp.runCount > 0) {
        if (options.withRuns !== true) {
          throw new StoreError(
            'conflict',
            `Experiment "${exp.name}" still holds ${exp.runCount} run(s); delete them first or ask to delete them with it.`,
            { runCount: exp.runCount },
          );
        }
        const active = this.ctx
          .stmt(`SELECT count(*) FROM runs WHERE experiment_id = ? AND status IN (${activeRunStatuses.map(() => '?').join(',')})`)
          .pluck()
          .get(key, ...activeRunStatuses) as number;
        if (active > 0) {
          throw new StoreError('conflict', `Experiment "${exp.name}" has ${active} active run(s); stop them before deleting it.`);
        }
      }
      const ids = this.ctx.stmt('SELECT id FROM runs WHERE experiment_id = ?').pluck().all(key) as string[];
      this.ctx.stmt('DELETE FROM runs WHERE experiment_id = ?').run(key);
      this.ctx.stmt('DELETE FROM experiments WHERE id = ?').run(key);
      return ids;
    });
    for (const runId of runIds) this.ctx.writers.get(runId)?.detach('its experiment was deleted');
    return { deletedRuns: runIds.length };
  }
}
