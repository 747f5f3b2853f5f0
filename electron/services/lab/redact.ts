/**
 * The lab's connection URL carries a password; it must never reach a log line, an error message,
 * the database file or the screen (#16). Every message that may hold the URL, or a driver's error
 * that may quote it, passes through `redactSecrets` first.
 */

/** postgres://user:password@host… → postgres://user:***@host… (every URL in the text). */
const URL_PASSWORD = /\b(postgres(?:ql)?:\/\/[^:/?#@\s]*):([^@\s]*)@/gi;
/** password=… in a keyword/value connection string or a query parameter. */
const KEYWORD_PASSWORD = /\b(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi;

/** The text with every connection password replaced by ***, and each of `secrets` too. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_PASSWORD, '$1:***@').replace(KEYWORD_PASSWORD, '$1***');
  for (const s of secrets) {
    if (s.length >= 3) {
      out = out.split(s).join('***');
      const enc = encodeURIComponent(s);
      if (enc !== s) out = out.split(enc).join('***');
    }
  }
  return out;
}

/** The URL as it may be shown: user, host, port and database, no password. */
export function describeLabUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `postgres://${user}${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgres://(unreadable URL)';
  }
}

/** The password inside a URL ('' when none), to redact it wherever it might appear. */
export function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** An Error whose message (and cause's message) no longer holds the secrets. */
export function redactError(e: unknown, secrets: readonly string[]): Error {
  const msg = redactSecrets(e instanceof Error ? e.message : String(e), secrets);
  const out = new Error(msg);
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') (out as Error & { code?: string }).code = code;
  return out;
}
