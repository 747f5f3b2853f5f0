/**
 * The Lab view's list shape (#16), one for its runs, RL runs and sweeps: the loading line or the
 * error, then one page in a scrolling table — its header, its rows, or one row saying why there
 * are none — and the pager under it, with what a list adds beside the pager.
 */
import type { ReactNode } from 'react';
import type { Loadable } from '../../api/context';
import { EmptyRow, LoadStatus } from '../../components/LoadStatus';
import { devicePlaceText, type DevicePlace } from '../../../shared/lab/device-place';
import { Pager } from './paging';

/** A header cell: its text (a string is its own key), right-aligned for numbers. */
export type LabColumn = string | { key: string; title: ReactNode; num?: boolean };

export function LabListTable<V, T>({
  state,
  loading,
  label,
  wrapClassName = 'archive-table-wrap',
  columns,
  items,
  row,
  empty,
  pager,
  children,
}: {
  state: Loadable<V>;
  loading: string;
  /** The table's accessible name. */
  label: string;
  wrapClassName?: string;
  columns: readonly LabColumn[];
  items: (value: V) => readonly T[];
  /** One <tr> per item. */
  row: (item: T) => ReactNode;
  /** What the one row of an empty page says. */
  empty: ReactNode;
  pager: { offset: number; total: number; setOffset: (n: number) => void; testId: string };
  /** Beside the pager (e.g. "Compare runs"). */
  children?: ReactNode;
}) {
  if (state.status !== 'ready') return <LoadStatus state={state} loading={loading} />;
  const list = items(state.value);
  return (
    <>
      <div className={wrapClassName}>
        <table className="data-table archive-table archive-lab-table" aria-label={label}>
          <thead>
            <tr>
              {columns.map((c) =>
                typeof c === 'string' ? (
                  <th key={c}>{c}</th>
                ) : (
                  <th key={c.key} className={c.num ? 'num' : undefined}>
                    {c.title}
                  </th>
                ),
              )}
            </tr>
          </thead>
          <tbody>
            {list.map(row)}
            {list.length === 0 && <EmptyRow columns={columns.length}>{empty}</EmptyRow>}
          </tbody>
        </table>
      </div>
      <div className="archive-pager">
        <Pager {...pager} />
        {children}
      </div>
    </>
  );
}

/** Where a lab item came from: its PC, its user and its device, as three cells of a Lab list's row. */
export function OriginCells({ item }: { item: { pcName: string; userName: string; device: DevicePlace | null } }) {
  return (
    <>
      <td title={item.pcName}>{item.pcName}</td>
      <td>{item.userName}</td>
      <td title={devicePlaceText(item.device)}>{devicePlaceText(item.device, { short: true }) || '—'}</td>
    </>
  );
}
