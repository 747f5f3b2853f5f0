/** The Archive's lists: one page size, and what to do when the page shown is past the last one. */
import { useEffect } from 'react';
import { formatCount } from '../../../shared/units';

export const PAGE = 20;

/** A page past the last (after a delete, or when fewer runs match): go back to the last page there is. */
export function useClampedOffset(offset: number, total: number | null, setOffset: (n: number) => void): void {
  useEffect(() => {
    if (total !== null && offset > 0 && offset >= total) setOffset(Math.max(0, Math.floor((total - 1) / PAGE) * PAGE));
  }, [offset, total, setOffset]);
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
