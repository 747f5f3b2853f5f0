/**
 * The RL runs stored in this archive, newest first: open one to replay it (its link is
 * `#/rl?run=<id>`, which the Archive links to), or delete it after one clear question.
 */
import { useState } from 'react';
import type { RlRunSummary } from '../../../shared/contract/areas/rl';
import { useHost, useRequest } from '../../api/context';
import { headline } from './summary';

const STATUS_TEXT: Record<RlRunSummary['status'], string> = {
  running: 'running',
  completed: 'completed',
  cancelled: 'cancelled',
  failed: 'failed',
  interrupted: 'interrupted',
};

export function StoredRuns({ current, version, onOpen }: { current: string | null; version: number; onOpen: (id: string) => void }) {
  const host = useHost();
  const list = useRequest('rl.list', {}, [version]);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (list.status === 'loading') return <p className="muted">Loading stored RL runs…</p>;
  if (list.status === 'error') return <p className="error-text">The stored RL runs could not be listed: {list.error.message}</p>;
  const runs = list.value.runs;
  if (runs.length === 0) return <p className="muted rl-empty">No RL run is stored yet. Set one up on the left and run it: every run is kept here, with every episode.</p>;

  const remove = async (id: string) => {
    setConfirm(null);
    try {
      await host.call('rl.delete', { id });
      setError(null);
      list.reload();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <div className="rl-stored">
      {error && <p className="error-text">{error}</p>}
      <table className="data-table rl-stored-table" data-testid="rl-stored-runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Started</th>
            <th scope="col">Status</th>
            <th scope="col">Result (under test vs baseline)</th>
            <th scope="col">
              <span className="rl-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} className={r.id === current ? 'is-current' : undefined} data-run={r.id}>
              <th scope="row">
                <a href={`#/rl?run=${r.id}`} onClick={(e) => (e.preventDefault(), onOpen(r.id))}>
                  {r.name}
                </a>
                <div className="muted rl-small">
                  {r.strategies.length} strategies × {r.environments.length} environments × {r.seeds.length} seeds{r.hardware ? ' · device in the loop' : ''}
                </div>
              </th>
              <td className="mono rl-small">{new Date(r.createdAt).toLocaleString()}</td>
              <td>
                <span className={`status status-${r.status === 'cancelled' ? 'stopped' : r.status}`}>{STATUS_TEXT[r.status]}</span>
              </td>
              <td className="rl-small">{headline(r)}</td>
              <td className="rl-stored-actions">
                {confirm === r.id ? (
                  <span role="alert">
                    Delete “{r.name}” and its {r.jobsDone} stored jobs?{' '}
                    <button type="button" className="small" onClick={() => void remove(r.id)}>
                      Delete
                    </button>{' '}
                    <button type="button" className="small" onClick={() => setConfirm(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <>
                    <button type="button" className="small" onClick={() => onOpen(r.id)} aria-label={`Open ${r.name}`}>
                      Open
                    </button>{' '}
                    <button type="button" className="small" onClick={() => setConfirm(r.id)} disabled={r.status === 'running'} aria-label={`Delete ${r.name}`}>
                      Delete
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted rl-small">
        Search, rename or delete them in the <a href="#/archive?view=rl">Archive’s RL experiments</a>.
      </p>
    </div>
  );
}
