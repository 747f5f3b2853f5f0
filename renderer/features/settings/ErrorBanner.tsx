import { useEffect, useState } from 'react';
import { useHost } from '../../api/context';
import { clip, reportError } from '../../api/report-error';
import '../../styles/settings.css';

interface Shown {
  id: number;
  message: string;
}

/**
 * Errors nothing caught in this window ('error', 'unhandledrejection'): each is reported to the
 * host's log ('logs.report') and shown here, over the page, until dismissed. The archive is safe
 * either way: the host commits samples as they arrive, whatever the window does.
 */
export function ErrorBanner() {
  const host = useHost();
  const [shown, setShown] = useState<Shown[]>([]);

  useEffect(() => {
    let next = 1;
    const report = (kind: 'error' | 'unhandledrejection', message: string, stack?: string, where?: string) => {
      reportError(host, kind, message, stack, where);
      const id = next++;
      setShown((list) => [...list.slice(-4), { id, message: clip(message || '(no message)', 500) }]);
    };
    const onError = (e: ErrorEvent) => {
      const error: unknown = e.error;
      const message = error instanceof Error ? error.message : e.message;
      report('error', message, error instanceof Error ? error.stack : undefined, e.filename ? `${e.filename}:${e.lineno}:${e.colno}` : undefined);
    };
    const onRejection = (e: PromiseRejectionEvent) => {
      const reason: unknown = e.reason;
      report('unhandledrejection', reason instanceof Error ? reason.message : String(reason), reason instanceof Error ? reason.stack : undefined);
    };
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
    return () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    };
  }, [host]);

  const last = shown[shown.length - 1];
  if (!last) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <div className="error-banner-text">
        <strong>Something went wrong in this window.</strong> <span>{last.message}</span>
        {shown.length > 1 && <span className="muted"> (and {shown.length - 1} earlier)</span>}
        <div className="error-banner-note">
          Your data is safe: runs are written to the archive as they happen. The error is in the <a href="#/logs">log</a>.
        </div>
      </div>
      <button type="button" onClick={() => setShown([])} aria-label="Dismiss the error">
        Dismiss
      </button>
    </div>
  );
}
