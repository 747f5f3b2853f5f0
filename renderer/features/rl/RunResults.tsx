/**
 * One RL run, live or stored: its progress (bar, ETA, Cancel) while it runs, then per environment
 * the comparison table, the agent's replayed path and the learning curves.
 */
import { useEffect, useMemo, useState } from 'react';
import type { RlProgress } from '../../../shared/contract/areas/rl';
import { formatDuration } from '../../../shared/units';
import { useHost } from '../../api/context';
import { registerStrategyColors } from './colors';
import { ComparisonTable } from './ComparisonTable';
import { DeviceLive } from './DeviceLive';
import { EpisodesCsvButton } from './EpisodesCsvButton';
import { navigate } from '../../app/use-hash-route';
import { ReplayPanel } from './ReplayPanel';
import { ResultCharts } from './ResultCharts';
import type { RunView } from './use-rl-run';

interface Props {
  runId: string;
  view: RunView;
  onEditCopy: () => void;
  onClose: () => void;
}

export function ProgressBar({ progress, onCancel, cancelling }: { progress: RlProgress; onCancel: () => void; cancelling: boolean }) {
  const fraction = progress.total === 0 ? 0 : progress.done / progress.total;
  return (
    <div className="rl-progress" data-testid="rl-progress" role="status">
      <progress value={progress.done} max={Math.max(1, progress.total)} aria-label="RL run progress" />
      <span className="mono">
        {progress.done}/{progress.total} jobs ({Math.round(fraction * 100)} %)
      </span>
      <span className="mono muted">{progress.etaS === null ? 'ETA …' : `ETA ${formatDuration(Math.ceil(progress.etaS))}`}</span>
      <button type="button" onClick={onCancel} disabled={cancelling}>
        {cancelling ? 'Cancelling…' : 'Cancel'}
      </button>
    </div>
  );
}

export function RunResults({ runId, view, onEditCopy, onClose }: Props) {
  const host = useHost();
  const { detail, experiment, progress, error, version } = view;
  const [envId, setEnvId] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [cancelError, setCancelError] = useState<string | null>(null);

  const run = detail?.run ?? null;
  const status = progress?.status ?? run?.status ?? 'running';
  const running = status === 'running';
  useEffect(() => setCancelling(false), [runId, running]);
  // While rendering, so this render's swatches and curves already have the colours the run chose.
  if (run) registerStrategyColors(run.strategies);
  const env = run?.environments.find((e) => e.id === envId) ?? run?.environments[0] ?? null;
  const comparison = detail?.comparison.find((c) => c.environmentId === env?.id) ?? null;
  // The curves show the strategies that matter by default (all of a small run; else the one under
  // test, the baseline and the best other); any other is one checkbox away in the table.
  const [plotted, setPlotted] = useState<Set<string> | null>(null);
  useEffect(() => setPlotted(null), [runId]);
  const shownOnCharts = useMemo(() => {
    if (plotted) return plotted;
    const ids = run?.strategies.map((s) => s.id) ?? [];
    if (ids.length <= 5 || !detail) return new Set(ids);
    const key = new Set<string>([experiment?.comparison.primary ?? '', experiment?.comparison.baseline ?? '']);
    for (const c of detail.comparison) key.add(c.bestOther.id);
    return new Set(ids.filter((id) => key.has(id)));
  }, [plotted, run, detail, experiment]);
  const togglePlot = (id: string, on: boolean) => {
    const next = new Set(shownOnCharts);
    if (on) next.add(id);
    else next.delete(id);
    setPlotted(next);
  };
  const storedJobs = useMemo(() => new Set(detail?.jobs.filter((j) => j.environmentId === env?.id).map((j) => `${j.strategyId}:${j.seed}`) ?? []), [detail, env?.id]);

  if (error && !detail) return <p className="error-text">This RL run could not be opened: {error}</p>;
  if (!detail || !run || !experiment || !env) return <p className="muted">Opening the RL run…</p>;

  const cancel = async () => {
    setCancelling(true);
    try {
      await host.call('rl.cancel', { id: runId });
      setCancelError(null);
    } catch (e) {
      setCancelError(e instanceof Error ? e.message : String(e));
      setCancelling(false);
    }
  };

  return (
    <div className="rl-run" data-testid="rl-run" data-status={status}>
      <div className="rl-run-head">
        <h2 className="rl-run-title">{run.name}</h2>
        <span className={`status status-${status === 'cancelled' ? 'stopped' : status}`} data-testid="rl-run-status">
          {status}
        </span>
        {!running && run.wallSeconds !== null && <span className="muted rl-small">took {formatDuration(Math.round(run.wallSeconds * 10) / 10)}</span>}
        {run.hardware && <span className="rl-role rl-role-best">device in the loop</span>}
        <span className="spacer" />
        <EpisodesCsvButton runId={runId} />
        <button type="button" className="small" onClick={onEditCopy} title="Load this run's configuration into the set-up on the left">
          Edit a copy
        </button>
        <button type="button" className="small" onClick={onClose}>
          Close
        </button>
      </div>
      {running && progress && <ProgressBar progress={progress} onCancel={() => void cancel()} cancelling={cancelling} />}
      {running && !progress && <p className="muted">Running in another workbench window or process: {run.jobsDone} of {run.jobsTotal} jobs stored.</p>}
      {cancelError && <p className="error-text">{cancelError}</p>}
      {run.hardware && (
        <DeviceLive
          runId={runId}
          running={running}
          status={status}
          strategyName={run.strategies.find((s) => s.id === (detail.hardware as { strategyId?: string } | null)?.strategyId)?.name ?? 'device strategy'}
          onResumed={(id) => navigate('rl', { run: id })}
        />
      )}
      {run.message && !running && <p className={status === 'failed' ? 'error-text' : 'muted'}>{run.message}</p>}
      <details className="rl-run-provenance">
        <summary>
          Parameters: <abbr className="rl-ours" title="Chosen by the workbench, not taken from the paper">ours</abbr> — {experiment.provenance.length > 140 ? `${experiment.provenance.slice(0, 140)}…` : experiment.provenance}
        </summary>
        <p>{experiment.provenance}</p>
        {experiment.notes && <p className="muted">{experiment.notes}</p>}
        <p className="muted rl-small">
          Training iterations = episodes until the greedy policy walks a shortest path for K = {experiment.convergenceWindow} consecutive episodes (dynamic mazes: summed over phases; a phase that
          never converges is charged its full length). Seeds {run.seeds[0]}–{run.seeds[run.seeds.length - 1]}; recorded by {detail.host}, workbench {detail.appVersion}.
        </p>
      </details>
      {run.environments.length > 1 && (
        <div className="rl-tabs" role="tablist" aria-label="Environment">
          {run.environments.map((e) => (
            <button key={e.id} type="button" role="tab" aria-selected={e.id === env.id} className={e.id === env.id ? 'active' : ''} onClick={() => setEnvId(e.id)}>
              {e.title}
            </button>
          ))}
        </div>
      )}
      <div className="rl-result-body">
        <div className="rl-result-main">
          {comparison ? <ComparisonTable c={comparison} partial={detail.partial} curves={{ plotted: shownOnCharts, onTogglePlot: togglePlot }} /> : <p className="muted">No job has finished yet.</p>}
          <ResultCharts runId={runId} environmentId={env.id} strategies={run.strategies.filter((s) => shownOnCharts.has(s.id))} version={version} />
        </div>
        <ReplayPanel
          runId={runId}
          environmentId={env.id}
          episodes={env.episodes}
          strategies={run.strategies}
          seeds={run.seeds}
          initialStrategy={experiment.comparison.primary}
          stored={(s, seed) => storedJobs.has(`${s}:${seed}`)}
          version={version}
        />
      </div>
    </div>
  );
}
