import { useEffect, useState } from 'react';
import { logLevels, type LogEntry, type LogLevel } from '../../shared/contract/areas/settings';
import { useRequest } from '../api/context';
import '../styles/settings.css';

const levelLabel: Record<LogLevel, string> = { debug: 'Everything (debug)', info: 'Info and above', warn: 'Warnings and errors', error: 'Errors only' };

function localTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/**
 * Help → Logs: the newest lines of `<dataDir>/logs/workbench.log` (and the files rotated from
 * it), filtered by level and text. Not in the rail; reached from Help and the Help menu.
 */
export default function LogsPage() {
  const [lines, setLines] = useState(200);
  const [minLevel, setMinLevel] = useState<LogLevel>('debug');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  // The search runs a moment after typing stops, not on every key.
  useEffect(() => {
    const t = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(t);
  }, [typed]);
  const tail = useRequest('logs.tail', { lines, minLevel, ...(search ? { search } : {}) }, [lines, minLevel, search]);

  return (
    <section className="page logs-page">
      <header className="page-header">
        <h1>Logs</h1>
        <a href="#/help">Back to Help</a>
      </header>
      <div className="logs-toolbar">
        <label>
          Level
          <select value={minLevel} onChange={(e) => setMinLevel(e.target.value as LogLevel)} aria-label="Level">
            {logLevels.map((l) => (
              <option key={l} value={l}>
                {levelLabel[l]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} maxLength={200} placeholder="text in the message or details" aria-label="Search" />
        </label>
        <label>
          Show
          <select value={lines} onChange={(e) => setLines(Number(e.target.value))} aria-label="Lines">
            {[100, 200, 500, 1000, 5000].map((n) => (
              <option key={n} value={n}>
                newest {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={tail.reload}>
          Refresh
        </button>
        {tail.status === 'ready' && <span className="muted mono small-print">{tail.value.file}</span>}
      </div>
      {tail.status === 'loading' && <p className="loading">Loading…</p>}
      {tail.status === 'error' && <p className="error-text">The log could not be read: {tail.error.message}</p>}
      {tail.status === 'ready' && tail.value.entries.length === 0 && <p className="muted">No log entries match.</p>}
      {tail.status === 'ready' && tail.value.entries.length > 0 && (
        <>
          <p className="muted small-print">
            {tail.value.entries.length} entr{tail.value.entries.length === 1 ? 'y' : 'ies'}, newest first
            {tail.value.scannedAll ? '' : ' (older ones not shown)'}.
          </p>
          <table className="data-table log-table" aria-label="Log entries">
            <thead>
              <tr>
                <th>Time</th>
                <th>Level</th>
                <th>Source</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {[...tail.value.entries].reverse().map((e, k) => (
                <LogRow key={`${e.time}-${k}`} entry={e} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function LogRow({ entry }: { entry: LogEntry }) {
  const details = entry.details === undefined ? null : JSON.stringify(entry.details, null, 2);
  const stack = (entry.details as { error?: { stack?: unknown }; stack?: unknown } | undefined)?.error?.stack ?? (entry.details as { stack?: unknown } | undefined)?.stack;
  return (
    <tr>
      <td className="log-time" title={entry.time}>
        {entry.time ? localTime(entry.time) : ''}
      </td>
      <td>
        <span className={`level level-${entry.level}`}>{entry.level}</span>
      </td>
      <td className="mono">{entry.source}</td>
      <td className="log-message">
        {entry.message}
        {details && (
          <details className="log-details">
            <summary>{typeof stack === 'string' ? 'Details and stack trace' : 'Details'}</summary>
            <pre>{typeof stack === 'string' ? `${stack}\n\n${details}` : details}</pre>
          </details>
        )}
      </td>
    </tr>
  );
}
