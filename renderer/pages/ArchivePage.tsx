import { useAppState } from '../app/app-state';
import { useRequest } from '../api/context';

export default function ArchivePage() {
  const { experimentId } = useAppState();
  const runs = useRequest('runs.list', experimentId ? { experimentId, limit: 200 } : { limit: 200 }, [experimentId]);
  return (
    <section className="page">
      <header className="page-header">
        <h1>Archive</h1>
      </header>
      {runs.status === 'loading' && <p className="loading">Loading runs…</p>}
      {runs.status === 'error' && <p className="error-text">{runs.error.message}</p>}
      {runs.status === 'ready' && runs.value.total === 0 && (
        <div className="empty-state">
          <p>No runs in the archive yet. Runs appear here as soon as they start, with their full provenance.</p>
        </div>
      )}
      {runs.status === 'ready' && runs.value.total > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Experiment</th>
              <th>Status</th>
              <th>Device</th>
              <th>Protocol</th>
              <th className="num">Samples</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.value.runs.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{r.experimentName}</td>
                <td>
                  <span className={`status status-${r.status}`}>{r.status}</span>
                </td>
                <td>{r.deviceKind}</td>
                <td>{r.protocolName}</td>
                <td className="num mono">{r.sampleCount.toLocaleString()}</td>
                <td>{r.startedAt ? new Date(r.startedAt).toLocaleString() : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
