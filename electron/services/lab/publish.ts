/**
 * One publish pass (#16): connect, then send every pending item and tombstone, oldest change
 * first, each in its own transaction (publish-items.ts), recording the outcome in workbench.sqlite.
 *
 * Resumable by construction: what is published is recorded only after its transaction committed,
 * so a pass cut short (the process killed, the network or the server gone) leaves the rest
 * pending and the next pass redoes at most the item in flight — which the lab already holds
 * whole, or not at all; its content hash makes the redo a no-op.
 *
 * A lost connection stops the pass (items stay pending, not failed); an error the item itself
 * causes marks that item failed, with the reason, and the pass goes on.
 *
 * The device hierarchy (`device` items: samples, chips, devices) goes after protocols and presets
 * and before the runs that name their device.
 */
import os from 'node:os';
import type { Store } from '../store';
import type { LabItemKind, LabPendingItem } from '../store/lab-publish';
import type { LabConfig } from './config';
import { connectLab, labError, type LabConnection } from './connect';
import { publishDeviceItem, publishDevicePreset, publishProtocol, publishRlRun, publishRun, publishTombstone, type ItemOutcome, type LabIdentity } from './publish-items';
import { redactSecrets } from './redact';

export interface PublishedItem {
  kind: LabItemKind;
  id: string;
  name: string;
  /** 'unchanged': the lab already held this exact content (a redo after a kill, or another publisher). */
  wrote: 'new' | 'updated' | 'unchanged';
}

export interface PublishReport {
  lab: string;
  pcId: string;
  published: PublishedItem[];
  failed: { kind: LabItemKind; id: string; reason: string }[];
  tombstones: number;
  /** Items still pending after the pass (a lost connection stops it early). */
  pending: number;
  /** Why the pass stopped early (redacted), or null when it went through everything. */
  stopped: string | null;
}

export interface PublishOptions {
  store: Store;
  config: LabConfig;
  /** The PC's name and user shown beside its runs in the lab (default: host name, login name). */
  pcName?: string;
  userName?: string;
  kinds?: readonly LabItemKind[];
  /** Called after each item (progress lines, tests that stop a pass part-way). */
  onItem?: (item: PublishedItem) => void;
  /** Log lines (already redacted). */
  log?: (level: 'info' | 'warn', message: string) => void;
  signal?: AbortSignal;
}

export function labIdentityOf(store: Store, pcName?: string, userName?: string): LabIdentity {
  let user = userName ?? process.env.WORKBENCH_LAB_USER;
  if (!user) {
    try {
      user = os.userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return { pcId: store.labPublish.pcId(), pcName: pcName ?? process.env.WORKBENCH_LAB_PC_NAME ?? os.hostname(), userName: user };
}

const publishers: Record<LabItemKind, (c: LabConnection['client'], s: Store, w: LabIdentity, id: string) => Promise<ItemOutcome>> = {
  run: publishRun,
  'rl-run': publishRlRun,
  protocol: publishProtocol,
  'device-preset': publishDevicePreset,
  device: publishDeviceItem,
};

/** Protocols, presets and the device hierarchy first (runs refer to them), then runs. */
const order: Record<LabItemKind, number> = { protocol: 0, 'device-preset': 1, device: 2, run: 3, 'rl-run': 4 };

async function stillConnected(conn: LabConnection): Promise<boolean> {
  try {
    await conn.client.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

export async function publishToLab(opts: PublishOptions): Promise<PublishReport> {
  const { store, config } = opts;
  const log = opts.log ?? (() => undefined);
  const who = labIdentityOf(store, opts.pcName, opts.userName);
  const pending = store.labPublish.pending(opts.kinds).sort((a, b) => order[a.kind] - order[b.kind]);
  const tombstones = store.labPublish.tombstones();
  const report: PublishReport = { lab: config.display, pcId: who.pcId, published: [], failed: [], tombstones: 0, pending: pending.length, stopped: null };
  // Connect even with nothing to send: a publish also says whether the lab is reachable.
  let conn: LabConnection;
  try {
    conn = await connectLab(config);
  } catch (e) {
    report.stopped = (e as Error).message;
    log('warn', `publish: ${report.stopped}; ${pending.length} item(s) stay pending`);
    return report;
  }
  try {
    await conn.client.query(
      `INSERT INTO lab_pcs (pc_id, name, user_name) VALUES ($1, $2, $3)
       ON CONFLICT (pc_id) DO UPDATE SET name = excluded.name, user_name = excluded.user_name, last_seen = now()`,
      [who.pcId, who.pcName, who.userName],
    );
    for (const t of tombstones) {
      if (opts.signal?.aborted) break;
      await publishTombstone(conn.client, who, t.kind, t.id);
      store.labPublish.clearTombstone(t.kind, t.id);
      report.tombstones++;
    }
    for (const item of pending) {
      if (opts.signal?.aborted) {
        report.stopped = 'cancelled';
        break;
      }
      const outcome = await publishOne(conn, store, who, item);
      if (outcome.ok) {
        store.labPublish.markPublished(item, outcome.value.hash);
        const done: PublishedItem = { kind: item.kind, id: item.id, name: outcome.value.name, wrote: outcome.value.wrote };
        report.published.push(done);
        report.pending--;
        log('info', `published ${item.kind} ${item.id} (${done.wrote})`);
        opts.onItem?.(done);
      } else if (!(await stillConnected(conn))) {
        report.stopped = outcome.reason;
        log('warn', `publish stopped: ${outcome.reason}; ${report.pending} item(s) stay pending`);
        break;
      } else {
        store.labPublish.markFailed(item, outcome.reason);
        report.failed.push({ kind: item.kind, id: item.id, reason: outcome.reason });
        report.pending--;
        log('warn', `could not publish ${item.kind} ${item.id}: ${outcome.reason}`);
      }
    }
  } catch (e) {
    report.stopped = labError(config, 'Publishing stopped', e).message;
    log('warn', report.stopped);
  } finally {
    await conn.close();
  }
  return report;
}

async function publishOne(conn: LabConnection, store: Store, who: LabIdentity, item: LabPendingItem): Promise<{ ok: true; value: ItemOutcome } | { ok: false; reason: string }> {
  try {
    return { ok: true, value: await publishers[item.kind](conn.client, store, who, item.id) };
  } catch (e) {
    const raw = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e);
    // The server's detail says what in the item it refused ("\u0000 cannot be converted to text.").
    const detail = (e as { detail?: unknown }).detail;
    return { ok: false, reason: redactSecrets(typeof detail === 'string' && detail ? `${raw} (${detail})` : raw, conn.config.secrets) };
  }
}
