import type { HostClient } from './host-client';

export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The page the window shows, from the hash route: where an error happened. */
function currentPage(): string {
  return window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
}

/**
 * Writes an error the window could not handle to the host's log ('logs.report'), clipped to what
 * the contract takes. Never throws: when the host is gone there is nowhere to write, and the
 * caller still shows the error to the user.
 */
export function reportError(host: HostClient, kind: 'error' | 'unhandledrejection', message: string, stack?: string, where?: string): void {
  const page = currentPage();
  host
    .call('logs.report', {
      kind,
      message: clip(message || '(no message)', 2000),
      ...(stack ? { stack: clip(stack, 20_000) } : {}),
      ...(where ? { where: clip(where, 2000) } : {}),
      ...(page ? { page: clip(page, 200) } : {}),
    })
    .catch(() => undefined);
}

