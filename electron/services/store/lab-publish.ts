/**
 * What this data folder owes the lab archive (#16), kept in workbench.sqlite (migration 11): for
 * each ended run, RL run, protocol, saved device preset, and sample, chip or device of the device
 * hierarchy, whether it is pending, published or failed (with the reason); the tombstones of deleted items; this folder's PC id in the lab.
 * An item is pending when it has no 'published' row for its current updated_at. No URL or password
 * is ever written here.
 */
import { randomUUID } from 'node:crypto';
import type { StoreContext } from './context';
import { terminalRunStatuses } from '../../../shared/contract';
import { rlTerminalStatuses } from '../../../shared/contract/areas/rl';

export const labItemKinds = ['run', 'rl-run', 'protocol', 'device-preset', 'device'] as const;
export type LabItemKind = (typeof labItemKinds)[number];
export type LabPublishState = 'pending' | 'published' | 'failed';

export interface LabPendingItem {
  kind: LabItemKind;
  id: string;
  /** The item's updated_at now: recorded with the outcome, so a later edit makes it pending again. */
  sourceUpdated: string;
}

export interface LabItemState {
  state: LabPublishState;
  /** Why the last attempt failed (state 'failed'). */
  reason: string | null;
  attempts: number;
  /** When the last outcome was recorded. */
  at: string | null;
}

export interface LabPublishCounts {
  pending: number;
  published: number;
  failed: number;
  tombstones: number;
}

/**
 * Per kind: the items that can be published and their change marker. 'device' is the whole device
 * hierarchy — samples, chips and devices (UUIDs, unique across the three) — with `lvl` so a parent
 * is sent before its children.
 */
const sources: Record<LabItemKind, string> = {
  run: `SELECT id, updated_at FROM runs WHERE status IN (${terminalRunStatuses.map((s) => `'${s}'`).join(',')})`,
  'rl-run': `SELECT id, updated_at FROM rl_runs WHERE status IN (${rlTerminalStatuses.map((s) => `'${s}'`).join(',')})`,
  protocol: 'SELECT id, updated_at FROM protocols',
  'device-preset': 'SELECT name AS id, updated_at FROM device_presets',
  device: `SELECT id, updated_at, 0 AS lvl FROM lab_samples UNION ALL SELECT id, updated_at, 1 FROM lab_chips
           UNION ALL SELECT id, updated_at, 2 FROM lab_devices`,
};

export class LabPublishLedger {
  constructor(private readonly ctx: StoreContext) {}

  /** This data folder's id in the lab, made on first use. */
  pcId(): string {
    return this.ctx.tx(() => {
      const id = this.ctx.stmt('SELECT pc_id FROM lab_identity WHERE one = 1').pluck().get() as string | undefined;
      if (id) return id;
      const made = randomUUID();
      this.ctx.stmt('INSERT INTO lab_identity (one, pc_id, created_at) VALUES (1, ?, ?)').run(made, this.ctx.now());
      return made;
    });
  }

  /** Items not yet published in their current version (failed ones included), oldest change first. */
  pending(kinds: readonly LabItemKind[] = labItemKinds): LabPendingItem[] {
    const out: LabPendingItem[] = [];
    for (const kind of kinds) {
      const rows = this.ctx
        .stmt(
          `SELECT s.id AS id, s.updated_at AS updated FROM (${sources[kind]}) s
             LEFT JOIN lab_publish p ON p.kind = ? AND p.item_id = s.id
            WHERE p.item_id IS NULL OR p.state != 'published' OR p.source_updated != s.updated_at
            ORDER BY ${kind === 'device' ? 's.lvl, ' : ''}s.updated_at`,
        )
        .all(kind) as { id: string; updated: string }[];
      for (const r of rows) out.push({ kind, id: r.id, sourceUpdated: r.updated });
    }
    return out;
  }

  tombstones(): { kind: LabItemKind; id: string; deletedAt: string }[] {
    return (this.ctx.stmt('SELECT kind, item_id AS id, deleted_at AS deletedAt FROM lab_tombstones ORDER BY deleted_at').all() as { kind: LabItemKind; id: string; deletedAt: string }[]);
  }

  markPublished(item: LabPendingItem, contentHash: string): void {
    this.ctx
      .stmt(
        `INSERT INTO lab_publish (kind, item_id, state, source_updated, content_hash, reason, attempts, updated_at)
         VALUES (?, ?, 'published', ?, ?, NULL, 1, ?)
         ON CONFLICT (kind, item_id) DO UPDATE SET state = 'published', source_updated = excluded.source_updated,
           content_hash = excluded.content_hash, reason = NULL, attempts = attempts + 1, updated_at = excluded.updated_at`,
      )
      .run(item.kind, item.id, item.sourceUpdated, contentHash, this.ctx.now());
  }

  /** Records a failure (reason already redacted by the caller). */
  markFailed(item: LabPendingItem, reason: string): void {
    this.ctx
      .stmt(
        `INSERT INTO lab_publish (kind, item_id, state, source_updated, content_hash, reason, attempts, updated_at)
         VALUES (?, ?, 'failed', ?, NULL, ?, 1, ?)
         ON CONFLICT (kind, item_id) DO UPDATE SET state = 'failed', source_updated = excluded.source_updated,
           reason = excluded.reason, attempts = attempts + 1, updated_at = excluded.updated_at`,
      )
      .run(item.kind, item.id, item.sourceUpdated, reason.slice(0, 2000), this.ctx.now());
  }

  /** The tombstone reached the lab: forget it and the item's publish row. */
  clearTombstone(kind: LabItemKind, id: string): void {
    this.ctx.tx(() => {
      this.ctx.stmt('DELETE FROM lab_tombstones WHERE kind = ? AND item_id = ?').run(kind, id);
      this.ctx.stmt('DELETE FROM lab_publish WHERE kind = ? AND item_id = ?').run(kind, id);
    });
  }

  /** The state of each of `ids` (of one kind); an item that is not publishable yet (a run in progress) is absent. */
  states(kind: LabItemKind, ids: readonly string[]): Map<string, LabItemState> {
    const out = new Map<string, LabItemState>();
    if (ids.length === 0) return out;
    const marks = ids.map(() => '?').join(',');
    const rows = this.ctx
      .db.prepare(
        `SELECT s.id AS id, s.updated_at AS updated, p.state AS state, p.source_updated AS src, p.reason AS reason, p.attempts AS attempts, p.updated_at AS at
           FROM (${sources[kind]}) s LEFT JOIN lab_publish p ON p.kind = ? AND p.item_id = s.id
          WHERE s.id IN (${marks})`,
      )
      .all(kind, ...ids) as { id: string; updated: string; state: string | null; src: string | null; reason: string | null; attempts: number | null; at: string | null }[];
    for (const r of rows) {
      const current = r.state !== null && r.src === r.updated;
      const state: LabPublishState = r.state === 'failed' ? 'failed' : current && r.state === 'published' ? 'published' : 'pending';
      out.set(r.id, { state, reason: state === 'failed' ? r.reason : null, attempts: r.attempts ?? 0, at: r.at });
    }
    return out;
  }

  counts(): LabPublishCounts {
    const pending = this.pending();
    const failed = pending.filter((p) => this.isFailed(p)).length;
    const published = this.ctx.stmt("SELECT count(*) FROM lab_publish WHERE state = 'published'").pluck().get() as number;
    const tombstones = this.ctx.stmt('SELECT count(*) FROM lab_tombstones').pluck().get() as number;
    return { pending: pending.length - failed, published, failed, tombstones };
  }

  private isFailed(p: LabPendingItem): boolean {
    return (this.ctx.stmt("SELECT 1 FROM lab_publish WHERE kind = ? AND item_id = ? AND state = 'failed'").pluck().get(p.kind, p.id) as number | undefined) === 1;
  }
}
