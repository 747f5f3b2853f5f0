/** The Archive's lists: one page size, and what to do when the page shown is past the last one. */
import { useEffect } from 'react';

export const PAGE = 20;

/** A page past the last (after a delete, or when fewer runs match): go back to the last page there is. */
export function useClampedOffset(offset: number, total: number | null, setOffset: (n: number) => void): void {
  useEffect(() => {
    if (total !== null && offset > 0 && offset >= total) setOffset(Math.max(0, Math.floor((total - 1) / PAGE) * PAGE));
  }, [offset, total, setOffset]);
}
