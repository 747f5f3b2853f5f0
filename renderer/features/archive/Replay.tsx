import { useEffect, useRef, useState } from 'react';
import type { SampleColumns } from '../../../shared/samples/columns';
import { formatSI } from '../../../shared/units';
import { useHost } from '../../api/context';
import { LiveCharts, type LiveChartsHandle } from '../live/LiveCharts';

const SPEEDS = [1, 10, 100, 1000] as const;

function indexAt(t: Float64Array, time: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A stored run in the live charts: loaded in one request (a run of a million samples is one binary
 * message of typed arrays; pieces drawn as they came arrived later on a busy 2-core machine) and
 * shown whole, the scrubber at the run's end; Play replays it from the start, appending slices on
 * animation frames.
 */
export function Replay({ runId, source = 'local' }: { runId: string; /** 'lab': a run of the lab archive, read-only. */ source?: 'local' | 'lab' }) {
  const host = useHost();
  const charts = useRef<LiveChartsHandle>(null);
  const data = useRef<SampleColumns | null>(null);
  const shown = useRef(0);
  const clock = useRef(0);
  const [loaded, setLoaded] = useState<{ n: number; end: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(100);
  const [time, setTime] = useState(0);

  useEffect(() => {
    let live = true;
    setLoaded(null);
    setPlaying(false);
    data.current = null;
    shown.current = 0;
    (source === 'lab' ? host.call('lab.samples', { id: runId }) : host.call('runs.samples', { id: runId })).then(
      (r) => {
        if (!live) return;
        const c = r.columns;
        const end = c.length ? c.t[c.length - 1]! : 0;
        data.current = c;
        charts.current?.show(c);
        shown.current = c.length;
        clock.current = end;
        setTime(end);
        setLoaded({ n: c.length, end });
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [host, runId, source]);

  const showUntil = (t: number) => {
    const c = data.current;
    if (!c) return;
    const k = indexAt(c.t, t);
    if (k < shown.current) {
      charts.current?.clear();
      shown.current = 0;
    }
    if (k > shown.current) charts.current?.append(c, shown.current, k);
    shown.current = k;
  };

  useEffect(() => {
    if (!playing || !loaded) return;
    let frame = 0;
    let last = performance.now();
    let lastUi = 0;
    const step = (now: number) => {
      clock.current = Math.min(loaded.end, clock.current + ((now - last) / 1000) * speed);
      last = now;
      showUntil(clock.current);
      if (now - lastUi > 100 || clock.current >= loaded.end) {
        lastUi = now;
        setTime(clock.current);
      }
      if (clock.current >= loaded.end) {
        setPlaying(false);
        return;
      }
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, loaded]);

  const seek = (t: number) => {
    clock.current = t;
    setTime(t);
    showUntil(t);
  };

  return (
    <div className="replay" data-testid="replay">
      <div className="replay-controls">
        <button
          type="button"
          className="primary"
          disabled={!loaded}
          onClick={() => {
            if (loaded && clock.current >= loaded.end) seek(0);
            setPlaying((p) => !p);
          }}
        >
          {playing ? 'Pause replay' : '▶ Play'}
        </button>
        <label>
          Speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <input
          type="range"
          aria-label="Replay position"
          data-testid="replay-scrubber"
          min={0}
          max={loaded?.end ?? 0}
          step="any"
          value={time}
          disabled={!loaded}
          onChange={(e) => seek(Number(e.target.value))}
        />
        <span className="mono" data-testid="replay-time">
          {formatSI(time, 's', { digits: 3 })} / {loaded ? formatSI(loaded.end, 's', { digits: 3 }) : '…'}
        </span>
      </div>
      {error && <p className="error-text">{error}</p>}
      <LiveCharts ref={charts} idPrefix="replay" height={170} />
    </div>
  );
}
