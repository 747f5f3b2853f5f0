/**
 * One connection to the lab database, schema brought up to date on connect. Every error that
 * leaves here has the password redacted (the pg driver may quote the connection string).
 */
import pg from 'pg';
import { ServiceError } from '../errors';
import type { LabConfig } from './config';
import { applyLabMigrations } from './migrate';
import { redactSecrets } from './redact';

/** How long a connection attempt may take before the lab counts as unreachable (ours). */
export const LAB_CONNECT_TIMEOUT_MS = 10_000;

export interface LabConnection {
  readonly client: pg.Client;
  readonly config: LabConfig;
  /** Lab schema version after migrations. */
  readonly schemaVersion: number;
  close(): Promise<void>;
}

/** The error, safe to log: 'unavailable' with the server's words, the password removed. */
export function labError(config: LabConfig, what: string, e: unknown): ServiceError {
  if (e instanceof ServiceError) return new ServiceError(e.code, redactSecrets(e.message, config.secrets), e.details);
  const raw = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e);
  return new ServiceError('unavailable', redactSecrets(`${what} (lab ${config.display}): ${raw}`, config.secrets));
}

export async function connectLab(config: LabConfig, options: { applicationName?: string } = {}): Promise<LabConnection> {
  const client = new pg.Client({
    connectionString: config.url,
    connectionTimeoutMillis: LAB_CONNECT_TIMEOUT_MS,
    application_name: options.applicationName ?? 'memristor-workbench',
    keepAlive: true,
  });
  // A connection lost later (server stopped, network gone) emits 'error'; without a listener Node
  // would crash the process. The query in flight rejects with the same error, handled by its caller.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw labError(config, 'Could not connect to the lab database', e);
  }
  try {
    const { version } = await applyLabMigrations(client);
    return {
      client,
      config,
      schemaVersion: version,
      close: () => client.end().catch(() => undefined),
    };
  } catch (e) {
    await client.end().catch(() => undefined);
    throw labError(config, 'Could not prepare the lab database', e);
  }
}
