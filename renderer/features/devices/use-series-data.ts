import { useEffect, useRef, type RefObject } from 'react';
import type { SeriesChartHandle } from '../../components/charts/SeriesChart';

export interface SeriesData {
  id: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * Hands a chart its series' data whenever the data change. A series that disappears is emptied, so
 * its old points neither stay on the chart nor stretch the axis.
 */
export function useSeriesData(ref: RefObject<SeriesChartHandle | null>, data: readonly SeriesData[]): void {
  const previous = useRef<string[]>([]);
  useEffect(() => {
    const chart = ref.current;
    if (!chart) return;
    for (const id of previous.current) if (!data.some((d) => d.id === id)) chart.setData(id, [], []);
    for (const d of data) chart.setData(d.id, d.x, d.y);
    previous.current = data.map((d) => d.id);
  }, [ref, data]);
}
