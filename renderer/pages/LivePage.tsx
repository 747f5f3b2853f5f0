import '../styles/live.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import { HostError, isTerminalRunStatus, type EventPayload, type FieldProblem, type RunSummary } from '../../shared/contract';
import { formatCount, formatDeltaG, formatDuration, formatSI } from '../../shared/units';
import { useEvent, useHost } from '../api/context';
import { useAppState } from '../app/app-state';
import { navigate, useHashRoute } from '../app/use-hash-route';
import { useSessionState } from '../app/use-session-state';
import { ConfirmDialog, type ConfirmRequest } from '../features/protocols/ConfirmDialog';
import { LastRun } from '../features/live/LastRun';
import { LiveCharts, type LiveChartsHandle } from '../features/live/LiveCharts';
import { DevicePicker, useLastDevice } from '../features/lab/DevicePicker';
import { RunSetup, NEW_EXPERIMENT, instrumentProblem, seedProblem, type InstrumentChoice, type SetupValues } from '../features/live/RunSetup';
import { RunStream } from '../features/live/run-stream';
import { progressText } from '../features/live/progress-text';
import { useConnectedInstrument } from '../features/instruments/use-connected-instrument';
import { useSettings } from '../features/settings/use-settings';
import { deltaGPercent } from '../features/archive/delta-g';

type RunState = EventPayload<'run.state'>;
/** A refusal to show: its sentence, and each problem with its path when the host listed them. */
interface StartError {
  message: string;
  problems: FieldProblem[];
}
/** What the run in the panel runs on, to say so and to explain an interruption. */
interface RunDevice {
  kind: 'simulated' | 'instrument';
  label: string;
}

function startError(e: unknown): StartError {
  const message = e instanceof Error ? e.message : String(e);
  const details = e instanceof HostError ? (e.details as { problems?: FieldProblem[] } | undefined) : undefined;
  return { message, problems: Array.isArray(details?.problems) ? details.problems : [] };
}


export default function LivePage() {
  const host = useHost();
  const { experimentId } = useAppState();
  const route = useHashRoute('live');
  const urlProtocol = route.params.get('protocol');
  const urlVersion = route.params.get('version');
  // Kept for the session: opening Help and coming back finds the same set-up (#19).
  const [values, setValues] = useSessionState<SetupValues>('workbench.live.setup', () => ({
    protocol: urlProtocol ? `library:${urlProtocol}@${urlVersion ?? ''}` : 'template:paper-spike-train',
    device: 'simulated',
    preset: 'intrinsic-gradient',
    seed: '',
    noise: true,
    pace: 'fast',
    experiment: experimentId ?? '',
    experimentName: '',
    name: '',
    notes: '',
  }));
  // Run on the Protocols page names the preset its preview simulated (an I–V protocol previewed on the bipolar device).
  const urlPreset = route.params.get('preset');
  useEffect(() => {
    if (urlProtocol) setValues((v) => ({ ...v, protocol: `library:${urlProtocol}@${urlVersion ?? ''}`, ...(urlPreset ? { preset: urlPreset } : {}) }));
  }, [urlProtocol, urlVersion, urlPreset, setValues]);
  useEffect(() => setValues((v) => ({ ...v, experiment: experimentId ?? v.experiment })), [experimentId, setValues]);

  const [deviceId, setDeviceId] = useLastDevice('live');
  const charts = useRef<LiveChartsHandle>(null);
  const stream = useRef<RunStream | null>(null);
  const pending = useRef<EventPayload<'run.samples'>[]>([]);
  const [runId, setRunId] = useState<string | null>(null);
  const runIdRef = useRef<string | null>(null);
  runIdRef.current = runId;
  const [state, setState] = useState<RunState | null>(null);
  const [summary, setSummary] = useState<RunSummary | null>(null);
  const [error, setError] = useState<StartError | null>(null);
  const [runDevice, setRunDevice] = useState<RunDevice | null>(null);
  const connection = useConnectedInstrument();
  const { settings } = useSettings();
  const instrument: InstrumentChoice = { ...connection, limits: settings?.limits ?? null };
  const [starting, setStarting] = useState(false);
  const [runNotes, setRunNotes] = useState('');
  const [notesSaved, setNotesSaved] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  const attach = useCallback(
    (id: string) => {
      charts.current?.clear();
      const s = new RunStream(
        id,
        (c, from, to) => charts.current?.append(c, from, to),
        async (from) => {
          const r = await host.call('runs.samples', { id, from });
          return { from: r.from, to: r.to, columns: r.columns };
        },
      );
      stream.current = s;
      const early = pending.current.filter((b) => b.runId === id);
      pending.current = [];
      if (early.length === 0 || early[0]!.from > 0) void s.catchUp();
      for (const b of early) s.batch(b.from, b.columns);
    },
    [host],
  );

  // Re-attach to a run already going (the page was left and opened again).
  useEffect(() => {
    let live = true;
    host.call('runs.active', {}).then(
      (a) => {
        const r = a.running ?? a.queue[0];
        if (!live || !r) return;
        setRunId(r.runId);
        setState({ runId: r.runId, status: r.status, progress: r.progress, message: r.message });
        attach(r.runId);
        host.call('runs.detail', { id: r.runId }).then((run) => live && setRunDevice(describeRunDevice(run.device)), () => undefined);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [host, attach]);

  useEvent(
    'run.samples',
    useCallback((b: EventPayload<'run.samples'>) => {
      const s = stream.current;
      if (s && s.runId === b.runId) s.batch(b.from, b.columns);
      else if (!s || runIdRef.current === null) pending.current.push(b);
    }, []),
  );
  useEvent(
    'run.state',
    useCallback(
      (e: RunState) => {
        if (e.runId !== runIdRef.current) return;
        setState(e);
        if (isTerminalRunStatus(e.status)) {
          void stream.current?.catchUp();
          host.call('runs.get', { id: e.runId }).then(setSummary, (err: unknown) => setError(startError(err)));
        }
      },
      [host],
    ),
  );

  const status = state?.status ?? null;
  const active = runId !== null && status !== null && !isTerminalRunStatus(status);
  const deviceMsg = values.device === 'instrument' ? instrumentProblem(instrument) : seedProblem(values.seed);
  const blocker = active ? 'A run is in progress.' : !values.protocol ? 'Choose a protocol first.' : deviceMsg ? deviceMsg : values.experiment === NEW_EXPERIMENT && !values.experimentName.trim() ? 'Name the new experiment first.' : null;
  const connected = instrument.instrument;

  const start = useCallback(async () => {
    if (blocker || starting) return;
    setStarting(true);
    setError(null);
    setSummary(null);
    try {
      let protocol: string | Record<string, unknown>;
      if (values.protocol.startsWith('template:')) protocol = values.protocol.slice('template:'.length);
      else {
        const [id = '', version = ''] = values.protocol.slice('library:'.length).split('@');
        const rec = await host.call('protocols.get', version ? { id, version: Number(version) } : { id });
        protocol = rec.document as unknown as Record<string, unknown>;
      }
      const seed = values.seed.trim();
      // The connected instrument as the run's device: its port and driver; it runs in real time.
      const device =
        values.device === 'instrument' && connected
          ? ({ kind: 'instrument', port: connected.port, driver: connected.driver } as const)
          : ({ kind: 'simulated', preset: values.preset, noise: values.noise, ...(seed ? { seed: Number(seed) } : {}) } as const);
      pending.current = [];
      stream.current = null;
      runIdRef.current = null;
      charts.current?.clear();
      const r = await host.call('runs.start', {
        protocol,
        device,
        ...(device.kind === 'simulated' ? { pace: values.pace } : {}),
        ...(values.experiment === NEW_EXPERIMENT ? { experimentName: values.experimentName.trim() } : values.experiment ? { experimentId: values.experiment } : {}),
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        ...(values.notes ? { notes: values.notes } : {}),
        ...(deviceId ? { deviceId } : {}),
      });
      runIdRef.current = r.runId;
      setRunId(r.runId);
      setRunNotes(values.notes);
      setRunDevice(device.kind === 'instrument' ? { kind: 'instrument', label: `${connected?.idn ?? 'instrument'} on ${device.port}` } : { kind: 'simulated', label: `simulated ${values.preset}` });
      setNotesSaved(null);
      setState((s) => (s && s.runId === r.runId ? s : { runId: r.runId, status: r.status, progress: { done: 0, total: 0, fraction: 0, etaS: null, exact: true, protocolTime: 0, duration: 0 }, message: null }));
      attach(r.runId);
      // A fast run may have ended before we knew its id.
      const now = await host.call('runs.get', { id: r.runId });
      if (isTerminalRunStatus(now.status)) {
        setState((s) => ({ runId: r.runId, status: now.status, progress: s?.progress ?? { done: 1, total: 1, fraction: 1, etaS: 0, exact: true, protocolTime: 0, duration: 0 }, message: now.exitReason }));
        setSummary(now);
        void (stream.current as RunStream | null)?.catchUp();
      }
    } catch (e) {
      setError(startError(e));
    } finally {
      setStarting(false);
    }
  }, [blocker, starting, values, host, attach, connected, deviceId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        void start();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [start]);

  const control = (action: 'pause' | 'resume' | 'stop' | 'abort') => {
    if (!runId) return;
    host.call('runs.control', { id: runId, action }).then(
      (r) => setState((s) => (s ? { ...s, status: r.status } : s)),
      (e: unknown) => setError(startError(e)),
    );
  };
  const saveNotes = () => {
    if (!runId) return;
    host.call('runs.update', { id: runId, notes: runNotes }).then(
      () => setNotesSaved('Notes saved.'),
      (e: unknown) => setNotesSaved(e instanceof Error ? e.message : String(e)),
    );
  };

  const p = state?.progress;
  const dG = summary ? deltaGPercent(summary) : null;

  return (
    <section className="page live-page">
      <header className="page-header">
        <h1>Live</h1>
      </header>
      <div className="live-layout">
        <aside className="live-side" aria-label="Run setup">
          <RunSetup values={values} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} disabled={active || starting} instrument={instrument} />
          <DevicePicker value={deviceId} onChange={setDeviceId} disabled={active || starting} />
          <div className="run-actions">
            <button type="button" className="primary" disabled={blocker !== null || starting} onClick={() => void start()} title="Ctrl+Enter">
              ▶ Run
            </button>
            <span className="muted small-text">Ctrl+Enter</span>
          </div>
          {blocker && !active && (
            <p className="muted small-text" data-testid="run-blocker">
              {blocker}
            </p>
          )}
          {error && (
            <div className="error-text start-error" role="alert" data-testid="start-error">
              <p>{error.problems.length > 0 ? 'The run was not started:' : error.message.replace(/^runs\.start: /, '')}</p>
              {error.problems.length > 0 && (
                <ul className="start-problems">
                  {error.problems.map((p, k) => (
                    <li key={k}>
                      <code>{p.path}</code> {p.message}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </aside>
        <div className="live-main">
          <LastRun
            protocol={values.protocol}
            device={values.device === 'instrument' ? (connected ? { kind: 'instrument', name: connected.driver } : null) : { kind: 'simulated', name: values.preset }}
            going={active ? runId : null}
            refresh={`${runId ?? ''}:${status ?? ''}`}
          />
          {runId && state && (
            <div className="run-panel" data-testid="run-panel" data-status={state.status}>
              <div className="run-status-line">
                <span className={`status status-${state.status}`} data-testid="run-status">
                  {state.status}
                </span>
                <progress max={1} value={p?.fraction ?? 0} aria-label="Run progress" />
                <span className="mono" data-testid="run-progress">
                  {p ? progressText(p) : ''}
                </span>
                <span className="mono muted" data-testid="run-eta">
                  {active && p?.etaS != null ? `ETA ${formatDuration(p.etaS)}` : ''}
                </span>
                <span className="spacer" />
                {active && (
                  <>
                    {state.status === 'paused' ? (
                      <button type="button" onClick={() => control('resume')}>
                        Resume
                      </button>
                    ) : (
                      <button type="button" onClick={() => control('pause')} disabled={state.status !== 'running'}>
                        Pause
                      </button>
                    )}
                    <button type="button" onClick={() => control('stop')} title="Finish cleanly: output off, status stopped">
                      Stop
                    </button>
                    <button
                      type="button"
                      className="danger"
                      onClick={() =>
                        setConfirm({
                          title: 'Abort this run?',
                          body: <p>Abort switches the output off at once and ends the run as aborted. Use Stop for a clean finish.</p>,
                          confirm: 'Abort run',
                          danger: true,
                          onConfirm: () => control('abort'),
                        })
                      }
                    >
                      Abort
                    </button>
                  </>
                )}
              </div>
              {runDevice && (
                <p className="muted small-text run-device" data-testid="run-device">
                  On {runDevice.label}
                </p>
              )}
              {state.status === 'interrupted' && runDevice?.kind === 'instrument' ? (
                <div className="run-interrupted" role="alert" data-testid="run-interrupted">
                  <p>
                    <strong>The run was interrupted:</strong> {state.message ?? 'the instrument connection was lost.'}
                  </p>
                  <p>
                    <a href="#/instruments" onClick={(e) => (e.preventDefault(), navigate('instruments'))}>
                      Open the Instruments page
                    </a>{' '}
                    to see the exchanged lines and reconnect.
                  </p>
                </div>
              ) : (
                state.message && <p className="muted">{state.message}</p>
              )}
              <div className="run-notes">
                <label className="field">
                  <span>Run notes</span>
                  <textarea rows={1} value={runNotes} onChange={(e) => (setRunNotes(e.target.value), setNotesSaved(null))} />
                </label>
                <button type="button" className="small" onClick={saveNotes}>
                  Save notes
                </button>
                {notesSaved && <span className="muted small-text">{notesSaved}</span>}
              </div>
              {summary && (
                <div className="run-summary" data-testid="run-summary">
                  <span>
                    ΔG <strong className="mono" data-testid="summary-dg">{dG === null ? '—' : formatDeltaG(dG)}</strong>
                  </span>
                  <span>
                    Final G <strong className="mono">{summary.finalG === null ? '—' : formatSI(summary.finalG, 'S', { digits: 3 })}</strong>
                  </span>
                  <span>
                    Samples <strong className="mono" data-testid="summary-samples">{formatCount(summary.sampleCount)}</strong>
                  </span>
                  <a href={`#/archive?run=${summary.id}`} onClick={(e) => (e.preventDefault(), navigate('archive', { run: summary.id }))}>
                    Open “{summary.name}” in the Archive
                  </a>
                </div>
              )}
            </div>
          )}
          {!runId && <p className="muted live-hint">Choose a protocol and a device, then Run (Ctrl+Enter). Conductance, voltage and current appear here as the samples arrive.</p>}
          <LiveCharts ref={charts} height={190} />
        </div>
      </div>
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </section>
  );
}

/** 'KEITHLEY …,MODEL 2400,… on /dev/pts/3', or 'simulated intrinsic-gradient', from a run's device snapshot. */
function describeRunDevice(snapshot: unknown): RunDevice {
  const device = (snapshot !== null && typeof snapshot === 'object' ? snapshot : {}) as Record<string, unknown>;
  if (device.kind === 'instrument') {
    const idn = typeof device.idn === 'string' ? device.idn : typeof device.driver === 'string' ? device.driver : 'instrument';
    return { kind: 'instrument', label: `${idn}${typeof device.port === 'string' ? ` on ${device.port}` : ''}` };
  }
  return { kind: 'simulated', label: `simulated ${typeof device.preset === 'string' ? device.preset : 'device'}` };
}
