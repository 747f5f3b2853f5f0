/**
 * The lab's job queue: pg-boss (v10) in the lab database, schema `pgboss` beside the archive's
 * tables. This file owns the settings we chose for it; everything else talks to it through here.
 */
import PgBoss from 'pg-boss';
import type { LabConfig } from '../lab/config';
import { labError } from '../lab/connect';
import { redactSecrets } from '../lab/redact';
import { GENERAL_QUEUE } from './payload';

/**
 * Queue settings (ours). A job of the paper's comparison runs well under a second; a job still
 * active after `expireInSeconds` counts as lost (its worker killed or cut off) and goes back on the
 * queue for another worker, up to `retryLimit` times, waiting retryDelay·2^n seconds between tries.
 */
export interface QueueTuning {
  expireInSeconds: number;
  retryLimit: number;
  retryDelaySeconds: number;
}
export const DEFAULT_TUNING: QueueTuning = { expireInSeconds: 600, retryLimit: 3, retryDelaySeconds: 5 };

/** How often a worker's pg-boss looks for expired jobs (s, ours); at most one PC does it per interval. */
export const DEFAULT_MAINTENANCE_SECONDS = 10;

export interface OpenBossOptions {
  /** Run pg-boss's maintenance (expiry of lost jobs, archiving) from this process. */
  supervise: boolean;
  maintenanceIntervalSeconds?: number;
  /** Errors pg-boss reports in the background (already redacted). */
  onError?: (message: string) => void;
}

/** pg-boss started against the lab (its schema created or migrated on first use), queues ready. */
export async function openBoss(config: LabConfig, queues: readonly string[], options: OpenBossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: config.url,
    application_name: 'memristor-workbench-queue',
    max: 4,
    supervise: options.supervise,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? DEFAULT_MAINTENANCE_SECONDS,
  });
  // Without a listener an 'error' event would end the process; pg-boss's messages may quote the URL.
  boss.on('error', (e: Error) => options.onError?.(redactSecrets(`lab queue: ${e.message}`, config.secrets)));
  try {
    await boss.start();
    for (const q of queues) await ensureQueue(boss, q);
  } catch (e) {
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    throw labError(config, 'Could not start the lab job queue', e);
  }
  return boss;
}

/** Creates a queue if it is missing (pg-boss's create_queue is a no-op for an existing one). */
export async function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  await boss.createQueue(name, { name, policy: 'standard' });
}

export { GENERAL_QUEUE };
