import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestOutput } from '../../../shared/contract';
import type { RlProgress } from '../../../shared/contract/areas/rl';
import type { Experiment } from '../../../shared/rl';
import { useEvent, useHost } from '../../api/context';

export type RunDetail = RequestOutput<'rl.get'>;

export interface RunView {
  detail: RunDetail | null;
  experiment: Experiment | null;
  progress: RlProgress | null;
  error: string | null;
  /** Bumps whenever stored data grew or the run ended: charts and tables re-read. */
  version: number;
}

/** While a run runs, its table and curves are re-read at most this often (ms). */
const LIVE_REFRESH_MS = 700;

/**
 * A stored RL run, kept current: loaded with rl.get, followed through 'rl.progress' while it runs
 * (re-read at most every LIVE_REFRESH_MS, and once more when it ends).
 */
export function useRlRun(id: string | null): RunView {
  const host = useHost();
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [progress, setProgress] = useState<RlProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const loading = useRef(false);
  const again = useRef(false);
  const lastLoad = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const current = useRef(id);
  current.current = id;

  const load = useCallback(async () => {
    const want = current.current;
    if (!want) return;
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    lastLoad.current = performance.now();
    try {
      const d = await host.call('rl.get', { id: want });
      if (current.current !== want) return;
      setDetail(d);
      setError(null);
      setVersion((v) => v + 1);
    } catch (e) {
      if (current.current === want) setError(e instanceof Error ? e.message : String(e));
    } finally {
      loading.current = false;
      if (again.current) {
        again.current = false;
        void load();
      }
    }
  }, [host]);

  useEffect(() => {
    setDetail(null);
    setProgress(null);
    setError(null);
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!id) return;
    void load();
    let live = true;
    host.call('rl.active', {}).then(
      (a) => live && a.progress?.id === id && setProgress(a.progress),
      () => undefined,
    );
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [id, host, load]);

  useEvent(
    'rl.progress',
    useCallback(
      (p: RlProgress) => {
        if (p.id !== current.current) return;
        setProgress(p);
        if (p.status !== 'running') {
          if (timer.current) clearTimeout(timer.current);
          timer.current = null;
          void load();
          return;
        }
        if (timer.current) return;
        const wait = Math.max(0, LIVE_REFRESH_MS - (performance.now() - lastLoad.current));
        timer.current = setTimeout(() => {
          timer.current = null;
          void load();
        }, wait);
      },
      [load],
    ),
  );

  return { detail, experiment: detail ? (detail.experiment as unknown as Experiment) : null, progress, error, version };
}
