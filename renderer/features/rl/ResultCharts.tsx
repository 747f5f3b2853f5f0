/**
 * Learning curves of one environment: episode length, return, learning rate α and device
 * conductance G per episode, each strategy's median across seeds with its inter-quartile band,
 * in the strategy's own colour. While a run runs they are re-read as seeds finish.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RlEpisodes } from '../../../shared/contract/areas/rl';
import { useHost } from '../../api/context';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import { colorKeyOf, strategyColor } from './colors';
import { dashFor } from '../../components/charts/palette';
import { useKeyed } from '../../app/use-keyed';

interface Strategy {
  id: string;
  name: string;
  kind: string;
}

interface Props {
  runId: string;
  environmentId: string;
  strategies: readonly Strategy[];
  version: number;
  /** 'lab': a run of the lab archive (read-only, `lab.rlEpisodes`). */
  source?: 'local' | 'lab';
}

type Aggregate = Extract<RlEpisodes, { kind: 'aggregate' }>;
type Metric = 'steps' | 'returns' | 'alpha' | 'conductance';

const CHARTS: { metric: Metric; title: string; y: string; scale?: number; log?: boolean; deviceOnly?: boolean }[] = [
  { metric: 'steps', title: 'Episode length', y: 'Episode length (steps)', log: true },
  { metric: 'returns', title: 'Return', y: 'Return per episode (reward)' },
  { metric: 'alpha', title: 'Learning rate', y: 'Learning rate α', log: true },
  { metric: 'conductance', title: 'Device conductance', y: 'Conductance G (µS)', scale: 1e6, log: true, deviceOnly: true },
];

function specsFor(strategies: readonly Strategy[]): SeriesSpec[] {
  return strategies.flatMap((s) => [
    { id: s.id, label: s.name, colorKey: colorKeyOf(s.id) },
    { id: `${s.id}:q1`, label: `${s.name} (q1)`, colorKey: colorKeyOf(s.id), fillTo: s.id },
    { id: `${s.id}:q3`, label: `${s.name} (q3)`, colorKey: colorKeyOf(s.id), fillTo: s.id },
  ]);
}

export function ResultCharts({ runId, environmentId, strategies, version, source = 'local' }: Props) {
  const host = useHost();
  const refs = useRef<Record<Metric, SeriesChartHandle | null>>({ steps: null, returns: null, alpha: null, conductance: null });
  const [seedCount, setSeedCount] = useState<[number, number] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);
  // The same strategies in a new array are the same strategies: charts and requests stay as they are.
  const kept = useKeyed(() => strategies, JSON.stringify(strategies));
  const all = useMemo(() => specsFor(kept), [kept]);
  const devices = useMemo(() => specsFor(kept.filter((s) => s.kind === 'device')), [kept]);

  useEffect(() => {
    const mine = ++request.current;
    let live = true;
    const episodes = (strategy: string) => host.call(source === 'lab' ? 'lab.rlEpisodes' : 'rl.episodes', { id: runId, environment: environmentId, strategy });
    Promise.all(kept.map((s) => episodes(s.id))).then(
      (results) => {
        if (!live || mine !== request.current) return;
        let fewest = Infinity;
        let most = 0;
        for (const r of results) {
          if (r.kind !== 'aggregate') continue;
          fewest = Math.min(fewest, r.seeds.length);
          most = Math.max(most, r.seeds.length);
          const x = Float64Array.from({ length: r.length }, (_, k) => k);
          const isDevice = kept.find((s) => s.id === r.strategyId)?.kind === 'device';
          for (const { metric, deviceOnly } of CHARTS) {
            const chart = refs.current[metric];
            if (!chart || (deviceOnly && !isDevice)) continue;
            const band = (r as Aggregate)[metric];
            chart.setData(r.strategyId, x, band.median);
            chart.setData(`${r.strategyId}:q1`, x, band.q1);
            chart.setData(`${r.strategyId}:q3`, x, band.q3);
          }
        }
        setSeedCount(Number.isFinite(fewest) ? [fewest, most] : [0, 0]);
        setError(null);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [host, runId, environmentId, kept, version, source]);

  // A different run or environment starts from empty charts (zoom reset).
  useEffect(() => {
    for (const c of Object.values(refs.current)) c?.clear();
  }, [runId, environmentId]);

  return (
    <div className="rl-charts" data-testid="rl-charts" data-seeds={seedCount ? seedCount[0] : undefined}>
      {error && <p className="error-text">The curves could not be read: {error}</p>}
      <p className="rl-hint rl-charts-caption">
        Median across {seedCount === null ? '…' : seedCount[0] === seedCount[1] ? seedCount[0] : `${seedCount[0]} to ${seedCount[1]}`} seed{seedCount?.[1] === 1 ? '' : 's'} (line) and
        inter-quartile range (band), per episode (0-based){strategies.length === 0 ? ' — tick a strategy in the table to draw its curves.' : '.'}
      </p>
      {kept.length > 0 && (
        <ul className="rl-legend" aria-label="Strategies on the charts" data-testid="rl-legend">
          {kept.map((s) => (
            <li key={s.id} title={s.name}>
              <svg width="26" height="8" aria-hidden="true">
                <line x1="1" y1="4" x2="25" y2="4" stroke={strategyColor(s.id)} strokeWidth="2.5" strokeDasharray={dashFor(colorKeyOf(s.id)).join(' ') || undefined} />
              </svg>
              <span>{s.name}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="rl-chart-grid">
        {CHARTS.map((c) =>
          c.deviceOnly && devices.length === 0 ? (
            <div key={c.metric} className="rl-chart-empty muted">
              No device-driven strategy in this run: no conductance to show.
            </div>
          ) : (
            <SeriesChart
              key={c.metric}
              ref={(h) => {
                refs.current[c.metric] = h;
              }}
              title={c.title}
              series={c.deviceOnly ? devices : all}
              x={{ label: 'Episode n' }}
              y={{ label: c.y, ...(c.scale ? { scale: c.scale } : {}) }}
              logToggle={c.log}
              legend={false}
              height={190}
              testId={`rl-chart-${c.metric}`}
            />
          ),
        )}
      </div>
    </div>
  );
}
