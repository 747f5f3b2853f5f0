/**
 * The lab archive for one data folder (#16): where the lab is (config.ts, or the desktop app's
 * Settings through `secrets`), a background publisher, and read-only browsing of every PC's runs.
 *
 * Offline first: nothing here blocks the store or a run. Passes run one at a time, in the
 * background every PUBLISH_INTERVAL_MS (ours) and on request; a lab that is down leaves items
 * pending and is tried again at the next pass. Browsing uses a small pool, schema checked once.
 */
import pg from 'pg';
import { ServiceError } from '../errors';
import type { Logger } from '../logs';
import type { LabItemKind, Store } from '../store';
import type { LabStatus } from '../../../shared/contract/areas/lab';
import { labConfigFromEnv, labConfigFromUrl, type LabConfig } from './config';
import { labError, LAB_CONNECT_TIMEOUT_MS } from './connect';
import { applyLabMigrations } from './migrate';
import { publishToLab, type PublishReport } from './publish';
import { redactSecrets } from './redact';

/** How often the background publisher looks for pending items (ours). */
export const PUBLISH_INTERVAL_MS = 60_000;
/** First pass after start (ours): soon, but not in the way of opening the app. */
const FIRST_PASS_MS = 5_000;

/** The desktop app's keeper of the lab connection (Electron safeStorage); absent elsewhere. */
export interface LabSecrets {
  /** The full URL rebuilt from Settings and the decrypted password, or null when none is kept. */
  load(): string | null;
  save(conn: { host: string; port: number; database: string; user: string; password: string }): void;
  clear(): void;
}

export interface LabServiceOptions {
  store: Store;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  secrets?: LabSecrets;
  /** Publish in the background (the desktop app and the web host; not one-shot CLI commands). */
  background?: boolean;
}

export class LabService {
  private config: LabConfig | null = null;
  private problem: string | null = null;
  private pool: pg.Pool | null = null;
  private poolReady: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pass: Promise<PublishReport | null> | null = null;
  private last: LabStatus['lastPass'] = null;
  private closed = false;
  private readonly log: Logger;

  constructor(private readonly opts: LabServiceOptions) {
    this.log = opts.logger.child('lab');
    this.resolveConfig();
    if (opts.background) this.schedule(FIRST_PASS_MS);
  }

  private resolveConfig(): void {
    this.config = null;
    this.problem = null;
    try {
      this.config = labConfigFromEnv(this.opts.env ?? process.env);
      if (this.config === null && this.opts.secrets) {
        const url = this.opts.secrets.load();
        if (url) this.config = labConfigFromUrl(url, 'settings');
      }
    } catch (e) {
      this.problem = (e as Error).message;
      this.log.warn(`the lab is not configured: ${this.problem}`);
    }
  }

  private schedule(ms: number): void {
    if (this.closed || !this.opts.background) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.publishNow()
        .catch(() => null)
        .finally(() => this.schedule(PUBLISH_INTERVAL_MS));
    }, ms);
    this.timer.unref();
  }

  status(): LabStatus {
    return {
      source: this.config?.source ?? null,
      display: this.config?.display ?? null,
      problem: this.problem,
      settingsAvailable: this.opts.secrets !== undefined,
      counts: this.opts.store.isOpen ? this.opts.store.labPublish.counts() : { pending: 0, published: 0, failed: 0, tombstones: 0 },
      lastPass: this.last,
      publishing: this.pass !== null,
    };
  }

  states(kind: Extract<LabItemKind, 'run' | 'rl-run' | 'device'>, ids: readonly string[]) {
    const map = this.opts.store.labPublish.states(kind, ids);
    return [...map].map(([id, s]) => ({ id, state: s.state, reason: s.reason }));
  }

  /** One publish pass now (joins the one in progress). Null when no lab is configured. */
  publishNow(): Promise<PublishReport | null> {
    if (this.pass) return this.pass;
    const config = this.config;
    if (config === null || this.closed) return Promise.resolve(null);
    this.pass = publishToLab({
      store: this.opts.store,
      config,
      log: (level, message) => this.log[level](message),
    })
      .then((r) => {
        this.last = { at: new Date().toISOString(), published: r.published.length, failed: r.failed.length, pending: r.pending, stopped: r.stopped };
        return r;
      })
      .finally(() => {
        this.pass = null;
      });
    return this.pass;
  }

  /** The configured lab, or a clear 'unavailable' error saying how to configure one. */
  requireConfig(): LabConfig {
    if (this.config) return this.config;
    throw new ServiceError(
      'unavailable',
      this.problem ?? 'No lab archive is configured: set WORKBENCH_LAB_URL (or WORKBENCH_LAB_URL_FILE) before starting the workbench, or, in the desktop app, Settings → Lab archive.',
    );
  }

  /** Runs fn on a pooled connection to the lab (schema brought up to date once). */
  async withClient<T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const config = this.requireConfig();
    if (this.pool === null) {
      const pool = new pg.Pool({ connectionString: config.url, max: 3, connectionTimeoutMillis: LAB_CONNECT_TIMEOUT_MS, idleTimeoutMillis: 30_000, application_name: 'memristor-workbench' });
      pool.on('error', (e) => this.log.warn(redactSecrets(`lab connection lost: ${e.message}`, config.secrets)));
      this.pool = pool;
    }
    const pool = this.pool;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (e) {
      throw labError(config, 'Could not connect to the lab database', e);
    }
    try {
      this.poolReady ??= applyLabMigrations(client).then(() => undefined);
      await this.poolReady.catch((e: unknown) => {
        this.poolReady = null;
        throw e;
      });
      return await fn(client);
    } catch (e) {
      if (e instanceof ServiceError && e.code !== 'unavailable') throw e;
      throw labError(config, what, e);
    } finally {
      client.release();
    }
  }

  /** Desktop only: keep (or, with an empty host, forget) the connection in Settings. */
  async configure(input: { host: string; port?: number; database?: string; user?: string; password?: string }): Promise<LabStatus> {
    const secrets = this.opts.secrets;
    if (!secrets) {
      throw new ServiceError('unavailable', 'Here the lab is set with WORKBENCH_LAB_URL or WORKBENCH_LAB_URL_FILE (mode 600) before starting the workbench; only the desktop app keeps it in Settings.');
    }
    if (input.host.trim() === '') secrets.clear();
    else {
      secrets.save({ host: input.host.trim(), port: input.port ?? 5432, database: input.database?.trim() || 'workbench_lab', user: input.user?.trim() || 'workbench', password: input.password ?? '' });
    }
    await this.dropPool();
    this.resolveConfig();
    return this.status();
  }

  private async dropPool(): Promise<void> {
    const p = this.pool;
    this.pool = null;
    this.poolReady = null;
    if (p) await p.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.pass?.catch(() => null);
    await this.dropPool();
  }
}
