/** The Archive's lists: one page size, a list read a page at a time, and its pager. */
import { useCallback, useEffect, useState } from 'react';
import type { RequestInput, RequestName, RequestOutput } from '../../../shared/contract';
import { formatCount } from '../../../shared/units';
import { useRequest } from '../../api/context';

export const PAGE = 20;

/** A page past the last (after a delete, or when fewer runs match): go back to the last page there is. */
export function useClampedOffset(offset: number, total: number | null, setOffset: (n: number) => void): void {
  useEffect(() => {
    if (total !== null && offset > 0 && offset >= total) setOffset(Math.max(0, Math.floor((total - 1) / PAGE) * PAGE));
  }, [offset, total, setOffset]);
}

/** The requests that list a page at a time: they take limit and offset and answer with the total. */
type PagedMethod = {
  [N in RequestName]: 'offset' extends keyof RequestInput<N> ? (RequestOutput<N> extends { total: number } ? N : never) : never;
}[RequestName];

/**
 * One list of the Archive read a page at a time: the page starts again at the first whenever the
 * filter changes (a search typed, a status chosen), and steps back when it has gone past the last.
 */
export function usePagedRequest<N extends PagedMethod>(method: N, filter: Omit<RequestInput<N>, 'limit' | 'offset'>, refresh: readonly unknown[] = []) {
  const key = JSON.stringify(filter);
  const [at, setAt] = useState({ key, offset: 0 });
  const offset = at.key === key ? at.offset : 0;
  const setOffset = useCallback((n: number) => setAt({ key, offset: n }), [key]);
  const list = useRequest(method, { ...filter, limit: PAGE, offset } as RequestInput<N>, [key, offset, ...refresh]);
  const total = list.status === 'ready' ? (list.value as { total: number }).total : 0;
  useClampedOffset(offset, list.status === 'ready' ? total : null, setOffset);
  return { list, total, offset, setOffset };
}

/** Previous / "21–40 of 45" / Next for a list shown a page at a time. */
export function Pager({ offset, total, setOffset, testId }: { offset: number; total: number; setOffset: (n: number) => void; testId: string }) {
  return (
    <>
      <button type="button" className="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
        ← Previous
      </button>
      <span className="mono" data-testid={testId}>
        {total === 0 ? '0' : `${offset + 1}–${Math.min(total, offset + PAGE)}`} of {formatCount(total)}
      </span>
      <button type="button" className="small" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
        Next →
      </button>
    </>
  );
}
