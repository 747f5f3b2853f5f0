/**
 * The agent in one episode: its path through the maze and the greedy policy's arrows after the
 * episode, replayed on the host from the stored run (checked against the stored episode), for any
 * strategy, seed and episode — steppable with the slider, Previous / Next, or the arrow keys.
 * This PC's runs and the lab's alike (`source`).
 */
import { useEffect, useRef, useState } from 'react';
import type { RlPath } from '../../../shared/contract/areas/rl';
import { formatSI } from '../../../shared/units';
import { useHost } from '../../api/context';
import { strategyColor } from './colors';
import { MazeView } from './MazeView';

interface Props {
  runId: string;
  environmentId: string;
  episodes: number;
  strategies: readonly { id: string; name: string }[];
  seeds: readonly number[];
  /** The strategy shown first (the one under test). */
  initialStrategy: string;
  /** Jobs stored so far (a running run's later seeds are not there yet). */
  stored: (strategyId: string, seed: number) => boolean;
  version: number;
  /** 'lab': a run of the lab archive, replayed by `lab.rlPath` from what the lab holds; 'lab-sweep': a lab sweep's job (`lab.sweepPath`). */
  source?: ReplaySource;
  /** Said in place of the maze for a job that is not stored (default: it has not finished yet). */
  missing?: (strategyId: string, seed: number) => string;
}

export type ReplaySource = 'local' | 'lab' | 'lab-sweep';
const PATH_METHOD = { local: 'rl.path', lab: 'lab.rlPath', 'lab-sweep': 'lab.sweepPath' } as const;

export function ReplayPanel({ runId, environmentId, episodes, strategies, seeds, initialStrategy, stored, version, source = 'local', missing }: Props) {
  const host = useHost();
  const [strategy, setStrategy] = useState(initialStrategy);
  const [seed, setSeed] = useState(seeds[0] ?? 0);
  const [episode, setEpisode] = useState(Math.max(0, episodes - 1));
  const [path, setPath] = useState<RlPath | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showPath, setShowPath] = useState(true);
  const [showArrows, setShowArrows] = useState(true);
  const request = useRef(0);

  useEffect(() => setStrategy(initialStrategy), [initialStrategy, runId]);
  useEffect(() => setEpisode((e) => Math.min(e, Math.max(0, episodes - 1))), [episodes]);
  // Keyed on the seeds' values: a new array with the same seeds keeps the chosen one.
  const seedKey = seeds.join(',');
  useEffect(() => {
    const list = seedKey === '' ? [] : seedKey.split(',').map(Number);
    setSeed((s) => (list.includes(s) ? s : (list[0] ?? 0)));
  }, [seedKey]);

  const available = stored(strategy, seed);
  useEffect(() => {
    if (!available) {
      setPath(null);
      return;
    }
    const mine = ++request.current;
    host.call(PATH_METHOD[source], { id: runId, environment: environmentId, strategy, seed, episode }).then(
      (p) => {
        if (mine !== request.current) return;
        setPath(p);
        setError(null);
      },
      (e: unknown) => {
        if (mine !== request.current) return;
        // The last episode's maze is not this one's: the reason takes its place.
        setPath(null);
        setError(e instanceof Error ? e.message : String(e));
      },
    );
  }, [host, runId, environmentId, strategy, seed, episode, available, version, source]);

  const step = (d: number) => setEpisode((e) => Math.min(episodes - 1, Math.max(0, e + d)));
  const color = strategyColor(strategy);

  return (
    <div className="rl-replay" data-testid="rl-replay">
      <div className="rl-replay-controls">
        <label className="rl-replay-strategy">
          Strategy{' '}
          <select value={strategy} onChange={(e) => setStrategy(e.target.value)} aria-label="Strategy to replay" title={strategies.find((s) => s.id === strategy)?.name}>
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed{' '}
          <select value={seed} onChange={(e) => setSeed(Number(e.target.value))} aria-label="Seed to replay">
            {seeds.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="rl-episode-stepper">
        <button type="button" className="small" onClick={() => step(-1)} disabled={episode <= 0} aria-label="Previous episode">
          ◀
        </button>
        <input
          type="range"
          min={0}
          max={Math.max(0, episodes - 1)}
          value={episode}
          onChange={(e) => setEpisode(Number(e.target.value))}
          aria-label="Episode"
          aria-valuetext={`Episode ${episode} of ${episodes - 1}`}
        />
        <button type="button" className="small" onClick={() => step(1)} disabled={episode >= episodes - 1} aria-label="Next episode">
          ▶
        </button>
        <span className="mono rl-episode-number" data-testid="rl-episode">
          {episode}
        </span>
      </div>
      <div className="rl-replay-body">
        {path ? (
          <MazeView
            layout={path.layout}
            path={showPath ? path.path : null}
            pathColor={color}
            greedy={showArrows ? path.greedy : null}
            label={`The agent's path in episode ${episode}: ${path.steps} steps, ${path.success ? 'reached the goal' : 'did not reach the goal'}`}
            maxWidth={268}
            maxCell={27}
            testId="rl-replay-maze"
          />
        ) : (
          <div className="rl-replay-empty muted" data-testid="rl-replay-empty">{available ? (error ?? 'Replaying…') : (missing?.(strategy, seed) ?? 'This seed has not finished yet.')}</div>
        )}
        {path && (
          <dl className="rl-replay-stats" data-testid="rl-replay-stats" data-path={Array.from(path.path).join(',')}>
            <dt>Steps</dt>
            <dd className="mono" data-testid="rl-path-steps">
              {path.steps}
            </dd>
            <dt>Return</dt>
            <dd className="mono">{path.return}</dd>
            <dt>Goal</dt>
            <dd>{path.success ? 'reached' : 'not reached (cut at the step cap)'}</dd>
            <dt>α</dt>
            <dd className="mono">{path.alpha.toPrecision(3)}</dd>
            <dt>G</dt>
            <dd className="mono">{path.conductance === null ? '— (schedule)' : formatSI(path.conductance, 'S', { digits: 3 })}</dd>
            <dt>Phase</dt>
            <dd className="mono">{path.phase}</dd>
            <dt>Greedy</dt>
            <dd>{path.greedyReachesGoal ? `reaches the goal in ${path.greedyPath.length - 1} steps` : 'does not reach the goal yet'}</dd>
          </dl>
        )}
      </div>
      <div className="rl-replay-toggles">
        <label className="rl-check">
          <input type="checkbox" checked={showPath} onChange={(e) => setShowPath(e.target.checked)} /> path
        </label>
        <label className="rl-check">
          <input type="checkbox" checked={showArrows} onChange={(e) => setShowArrows(e.target.checked)} /> greedy arrows
        </label>
        {path && !path.matchesStored && <span className="rl-warn-text">The replay differs from the stored episode.</span>}
      </div>
    </div>
  );
}
