/**
 * Where the lab archive is (#16). The CLI and the web host read the PostgreSQL connection URL from
 * the environment only — WORKBENCH_LAB_URL, or the file named by WORKBENCH_LAB_URL_FILE, which must
 * not be readable by group or others (0600) — never from a flag (it would show in `ps` and shell
 * history) and never from workbench.sqlite. The desktop app passes the URL it rebuilt from
 * Settings and safeStorage (electron/main.ts) the same way, as `source: 'settings'`.
 */
import fs from 'node:fs';
import { ServiceError } from '../errors';
import { describeLabUrl, passwordOf } from './redact';

export type LabSource = 'env' | 'file' | 'settings';

export interface LabConfig {
  /** The full URL, password included: hand it to the driver, never to a log. */
  readonly url: string;
  /** user@host:port/db, for status lines. */
  readonly display: string;
  readonly source: LabSource;
  /** Strings to redact from every message (the password, raw and URL-encoded). */
  readonly secrets: readonly string[];
}

export const LAB_URL_ENV = 'WORKBENCH_LAB_URL';
export const LAB_URL_FILE_ENV = 'WORKBENCH_LAB_URL_FILE';

/** Checks a URL's shape; the error never quotes it. */
export function labConfigFromUrl(raw: string, source: LabSource): LabConfig {
  const url = raw.trim();
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ServiceError('invalid_request', `The lab URL (from ${sourceName(source)}) is not a URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE.`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new ServiceError('invalid_request', `The lab URL (from ${sourceName(source)}) must start with postgres:// or postgresql://, not ${u.protocol}//.`);
  }
  if (!u.hostname) throw new ServiceError('invalid_request', `The lab URL (from ${sourceName(source)}) names no host.`);
  if (u.pathname.length <= 1) throw new ServiceError('invalid_request', `The lab URL (from ${sourceName(source)}) names no database (…/DATABASE at its end).`);
  const pw = passwordOf(url);
  return { url, display: describeLabUrl(url), source, secrets: pw ? [pw] : [] };
}

function sourceName(source: LabSource): string {
  return source === 'env' ? LAB_URL_ENV : source === 'file' ? `the file named by ${LAB_URL_FILE_ENV}` : 'Settings';
}

/**
 * The lab configured in this environment, or null when none is. A file readable by others, a
 * missing file or a malformed URL is an error that says which, never quoting the URL.
 */
export function labConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LabConfig | null {
  const direct = env[LAB_URL_ENV];
  const file = env[LAB_URL_FILE_ENV];
  if (direct && file) {
    throw new ServiceError('invalid_request', `Both ${LAB_URL_ENV} and ${LAB_URL_FILE_ENV} are set; set only one.`);
  }
  if (direct) return labConfigFromUrl(direct, 'env');
  if (!file) return null;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new ServiceError('invalid_request', `${LAB_URL_FILE_ENV} names ${file}, which cannot be read: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  if (!st.isFile()) throw new ServiceError('invalid_request', `${LAB_URL_FILE_ENV} names ${file}, which is not a file.`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(3, '0');
    throw new ServiceError(
      'invalid_request',
      `${file} (named by ${LAB_URL_FILE_ENV}) holds the lab's password but is readable by others (mode ${mode}); ` +
        `make it private with: chmod 600 ${file}`,
    );
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (text === '') throw new ServiceError('invalid_request', `${file} (named by ${LAB_URL_FILE_ENV}) is empty; put the lab's postgres:// URL in it.`);
  return labConfigFromUrl(text.split(/\r?\n/)[0]!, 'file');
}
