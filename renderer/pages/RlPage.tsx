/**
 * Reinforcement learning: set up a comparison of learning-rate strategies (the paper's experiment
 * ships as a preset; every value the workbench chose is marked "ours"), run it on the host's
 * worker pool with progress, ETA and Cancel, watch the learning curves and the comparison table
 * fill in, step through the agent's path episode by episode, and reopen any stored run — also
 * from the Archive, through `#/rl?run=<id>`.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { HostError, type RequestOutput } from '../../shared/contract';
import type { RlProgress } from '../../shared/contract/areas/rl';
import type { RlHardwareChoice } from '../../shared/contract/areas/rl-device';
import type { Experiment } from '../../shared/rl';
import { useEvent, useHost, useRequest } from '../api/context';
import { useAppState } from '../app/app-state';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { registerStrategyColors } from '../features/rl/colors';
import { assemble, checkDraft, clone, draftFrom, presetOrigin, setAt, type Draft, type Json, type JsonObject, type Path } from '../features/rl/draft';
import { OURS_TITLE, sentence } from '../features/rl/fields';
import { HardwareSetup } from '../features/rl/HardwareSetup';
import { LabSubmit } from '../features/rl/LabSubmit';
import { DevicePicker, useLastDevice } from '../features/lab/DevicePicker';
import { RunResults } from '../features/rl/RunResults';
import { SetupPanel } from '../features/rl/SetupPanel';
import { StoredRuns } from '../features/rl/StoredRuns';
import { useRlRun } from '../features/rl/use-rl-run';
import '../styles/rl.css';

type Preset = RequestOutput<'rl.presets'>[number];

function problemsOf(e: unknown): string[] {
  if (e instanceof HostError) {
    const problems = (e.details as { problems?: { path?: string; message?: string }[] } | undefined)?.problems;
    if (Array.isArray(problems) && problems.length > 0) return problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message ?? ''}`);
    return [e.message];
  }
  return [e instanceof Error ? e.message : String(e)];
}

const NO_PRESETS: readonly Preset[] = [];

export default function RlPage() {
  const host = useHost();
  const { experimentId } = useAppState();
  const route = useHashRoute('protocols');
  const linked = route.page === 'rl' ? route.params.get('run') : null;
  const presets = useRequest('rl.presets', {});
  const active = useRequest('rl.active', {});
  const reloadActive = active.reload;
  const [presetFile, setPresetFile] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [runName, setRunName] = useState('');
  const [starting, setStarting] = useState(false);
  const [startProblems, setStartProblems] = useState<string[]>([]);
  const [listVersion, setListVersion] = useState(0);
  const [closed, setClosed] = useState(false);
  const [setupShown, setSetupShown] = useState(true);
  const [hardware, setHardware] = useState<RlHardwareChoice | null>(null);
  const [deviceId, setDeviceId] = useLastDevice('rl');

  const presetList: readonly Preset[] = presets.status === 'ready' ? presets.value : NO_PRESETS;
  const preset = presetList.find((p) => p.file === presetFile) ?? presetList[0] ?? null;
  // Colours are handed out in the order strategies are first seen: the presets' order first, so a
  // strategy has the same colour whichever run is opened first.
  useMemo(() => {
    for (const p of presetList) registerStrategyColors((p.experiment.strategies as { id: string; color?: string }[] | undefined) ?? []);
  }, [presetList]);
  // A strategy the set-up gives a `color` (an imported file) shows it on its swatch at once.
  if (draft) registerStrategyColors(((draft.doc.strategies as { id?: unknown; color?: unknown }[] | undefined) ?? []).flatMap((s) => (typeof s.id === 'string' && typeof s.color === 'string' ? [{ id: s.id, color: s.color }] : [])));
  const presetsSettled = presets.status !== 'loading';
  useEffect(() => {
    if (!draft && preset) setDraft(draftFrom(preset.experiment, presetOrigin(preset.title)));
  }, [preset, draft]);

  const runId = linked ?? (closed ? null : active.status === 'ready' ? (active.value.run?.id ?? null) : null);
  const view = useRlRun(runId);
  // A run opened (or started) gets the width; the set-up is one click away.
  useEffect(() => setSetupShown(runId === null), [runId]);
  const check = useMemo(() => (draft ? checkDraft(draft) : null), [draft]);
  const assembled = useMemo(() => (draft ? (assemble(draft).experiment as Record<string, unknown>) : null), [draft]);
  const deviceStrategies = useMemo(
    () => ((assembled?.strategies as { id: string; name: string; kind: string }[] | undefined) ?? []).filter((s) => s.kind === 'device').map((s) => ({ id: s.id, name: s.name })),
    [assembled],
  );
  // A strategy no longer in the set-up is no longer on the instrument.
  const onInstrument = hardware && deviceStrategies.some((s) => s.id === hardware.strategy) ? hardware : null;
  const running = active.status === 'ready' && active.value.run !== null;

  useEvent(
    'rl.progress',
    useCallback(
      (p: RlProgress) => {
        if (p.status !== 'running' || !running) {
          setListVersion((v) => v + 1);
          reloadActive();
        }
      },
      [reloadActive, running],
    ),
  );

  const change = useCallback((path: Path, value: Json | undefined) => setDraft((d) => (d ? { ...d, doc: setAt(d.doc, path, value) } : d)), []);
  const toggle = (key: 'environmentsOn' | 'strategiesOn') => (index: number, on: boolean) =>
    setDraft((d) => (d ? { ...d, [key]: d[key].map((x, k) => (k === index ? on : x)) } : d));
  const duplicate = (index: number) =>
    setDraft((d) => {
      if (!d) return d;
      const list = (d.doc.strategies as JsonObject[]) ?? [];
      const s = list[index];
      if (!s) return d;
      const ids = new Set(list.map((x) => String(x.id)));
      let n = 2;
      while (ids.has(`${String(s.id)}-${n}`)) n++;
      const copy: JsonObject = { ...clone(s), id: `${String(s.id)}-${n}`, name: `${String(s.name)} (copy ${n})` };
      delete copy.color;
      return { ...d, doc: { ...d.doc, strategies: [...list, copy] }, strategiesOn: [...d.strategiesOn, true] };
    });
  const remove = (index: number) =>
    setDraft((d) => {
      if (!d) return d;
      const list = (d.doc.strategies as JsonObject[]) ?? [];
      return { ...d, doc: { ...d.doc, strategies: list.filter((_, k) => k !== index) }, strategiesOn: d.strategiesOn.filter((_, k) => k !== index) };
    });

  const firstProblem = check && !check.ok ? check.all[0]! : null;
  const blocked = !draft || !check
    ? 'Loading the preset…'
    : running
      ? 'An RL run is running; wait for it or cancel it.'
      : firstProblem
        ? `Fix ${check.all.length === 1 ? 'the problem' : `the ${check.all.length} problems`} shown in the set-up first (${firstProblem.path ? `${firstProblem.path}: ` : ''}${firstProblem.message}).`
        : null;

  const start = useCallback(async () => {
    if (!draft || blocked) return;
    setStarting(true);
    setStartProblems([]);
    try {
      const { rlRunId } = await host.call('rl.start', {
        experiment: assemble(draft).experiment as Record<string, unknown>,
        ...(runName.trim() ? { name: runName.trim() } : {}),
        ...(experimentId ? { experimentId } : {}),
        ...(onInstrument ? { hardware: onInstrument, ...(deviceId ? { deviceId } : {}) } : {}),
      });
      setClosed(false);
      setListVersion((v) => v + 1);
      reloadActive();
      navigate('rl', { run: rlRunId });
    } catch (e) {
      setStartProblems(problemsOf(e));
    } finally {
      setStarting(false);
    }
  }, [draft, blocked, host, runName, experimentId, reloadActive, onInstrument, deviceId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        void start();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [start]);

  const editCopy = () => {
    if (!view.experiment) return;
    setDraft(draftFrom(view.experiment as Experiment, `a copy of “${view.detail?.run.name ?? 'a stored run'}”`));
    setSetupShown(true);
  };
  const closeRun = () => {
    setClosed(true);
    navigate('rl');
  };

  if (presets.status === 'error') {
    return (
      <section className="page">
        <h1>Reinforcement learning</h1>
        <p className="error-text">The shipped RL experiments could not be loaded: {presets.error.message}</p>
      </section>
    );
  }

  return (
    <section className="page rl-page">
      <header className="page-header rl-header">
        <h1>Reinforcement learning</h1>
        {presetList.length > 1 && (
          <label className="rl-preset-picker">
            Preset{' '}
            <select
              value={preset?.file ?? ''}
              onChange={(e) => {
                const p = presetList.find((x) => x.file === e.target.value);
                setPresetFile(e.target.value);
                if (p) setDraft(draftFrom(p.experiment, presetOrigin(p.title)));
              }}
            >
              {presetList.map((p) => (
                <option key={p.file} value={p.file}>
                  {p.title}
                </option>
              ))}
            </select>
          </label>
        )}
        <span className="muted rl-small rl-setup-source">Set-up from {draft?.originLabel ?? '…'}</span>
        {preset && (
          <button type="button" className="small" onClick={() => setDraft(draftFrom(preset.experiment, presetOrigin(preset.title)))} title="Discard the edits and start again from the preset">
            Reset to preset
          </button>
        )}
        {runId && (
          <button type="button" className="small" aria-expanded={setupShown} aria-controls="rl-setup" onClick={() => setSetupShown((s) => !s)}>
            {setupShown ? 'Hide set-up' : 'Show set-up'}
          </button>
        )}
      </header>
      {preset && (
        <details className="rl-provenance">
          <summary>
            <abbr className="rl-ours" title={OURS_TITLE}>
              ours
            </abbr>{' '}
            {preset.provenance.split('. ')[0]}. <span className="muted">More…</span>
          </summary>
          <p>{preset.provenance}</p>
          {preset.notes && <p className="muted">{preset.notes}</p>}
        </details>
      )}
      <div className={`rl-main${setupShown ? '' : ' is-setup-hidden'}`}>
        <aside className="rl-setup" id="rl-setup" aria-label="Set-up" hidden={!setupShown}>
          <div className="rl-run-bar">
            <div className="rl-run-row">
              <label className="rl-run-name">
                <span className="rl-visually-hidden">Run name</span>
                <input type="text" placeholder="Run name (optional)" value={runName} onChange={(e) => setRunName(e.target.value)} aria-label="Run name" maxLength={200} />
              </label>
              <button type="button" className="primary" onClick={() => void start()} disabled={!!blocked || starting} title="Run the comparison (Ctrl+Enter)" aria-describedby={blocked ? 'rl-blocked' : undefined}>
                {starting ? 'Starting…' : 'Run comparison'}
              </button>
            </div>
            <LabSubmit experiment={assembled} defaultSeeds={typeof assembled?.seeds === 'number' ? assembled.seeds : 1} blocked={check && !check.ok ? blocked : null} />
            {onInstrument && (
              <p className="rl-on-instrument" data-testid="rl-on-instrument">
                {deviceStrategies.find((s) => s.id === onInstrument.strategy)?.name ?? onInstrument.strategy} runs on the connected instrument; the others in simulation.
              </p>
            )}
            {blocked && draft && (
              <p className="rl-blocked" id="rl-blocked">
                {blocked}
              </p>
            )}
            {startProblems.length > 0 && (
              <ul className="rl-field-errors" role="alert">
                {startProblems.map((p, k) => (
                  <li key={k}>{sentence(p)}</li>
                ))}
              </ul>
            )}
          </div>
          {draft && check ? (
            <SetupPanel
              draft={draft}
              check={check}
              onChange={change}
              onToggleEnvironment={toggle('environmentsOn')}
              onToggleStrategy={toggle('strategiesOn')}
              onDuplicateStrategy={duplicate}
              onRemoveStrategy={remove}
            />
          ) : (
            <p className="muted">Loading the shipped experiments…</p>
          )}
          {assembled && (
            <details className="rl-section" open={onInstrument !== null} data-testid="rl-setup-hardware">
              <summary>Device in the loop{onInstrument ? ' — on the instrument' : ''}</summary>
              <div className="rl-section-body">
                <HardwareSetup strategies={deviceStrategies} experiment={assembled} value={onInstrument} onChange={setHardware} />
                {onInstrument && <DevicePicker label="The device behind the instrument" value={deviceId} onChange={setDeviceId} disabled={running} />}
              </div>
            </details>
          )}
        </aside>
        <div className="rl-results">
          {runId ? (
            presetsSettled ? (
              <RunResults runId={runId} view={view} onEditCopy={editCopy} onClose={closeRun} />
            ) : (
              <p className="muted">Opening the RL run…</p>
            )
          ) : (
            <div className="empty-state rl-intro">
              <p>
                Compare how fast a tabular agent learns a maze when its learning rate α comes from a memristor’s conductance — spiked after successful episodes, relaxing
                between them — against conventional schedules. Choose the strategies on the left and run; the table, the curves and the agent’s path appear here.
              </p>
              <p className="muted">Every run is stored with every episode; open one below to replay it.</p>
            </div>
          )}
          <h2 className="rl-subtitle">Stored RL runs</h2>
          <StoredRuns current={runId} version={listVersion} onOpen={(id) => (setClosed(false), navigate('rl', { run: id }))} />
        </div>
      </div>
    </section>
  );
}
