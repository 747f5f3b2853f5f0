import type { ReactNode } from 'react';
import type { Loadable } from '../api/context';

/** What a request shows while it is not ready: a loading line, or its error as an alert. */
export function LoadStatus({ state, loading }: { state: Loadable<unknown>; loading: string }) {
  if (state.status === 'loading') return <p className="loading">{loading}</p>;
  if (state.status === 'error')
    return (
      <p className="error-text" role="alert">
        {state.error.message}
      </p>
    );
  return null;
}

/** The one row of a table with nothing to list, saying why. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {children}
      </td>
    </tr>
  );
}
