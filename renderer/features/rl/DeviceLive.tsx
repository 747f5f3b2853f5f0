/**
 * The device side of an RL run (#12): live α and G as read, the seed and episode the agent is in,
 * pause / resume / stop / abort (the output goes off on every one), the instrument's traffic, and
 * per episode what the device did (G before and after, α, steps) — also for a stored run, with
 * its instrument's provenance and, when it was stopped or cut off, Resume.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleLine } from '../../../shared/contract/areas/instruments';
import type { RlDeviceState } from '../../../shared/contract/areas/rl-device';
import { formatSI } from '../../../shared/units';
import { useEvent, useHost } from '../../api/context';
import { SeriesChart, type SeriesChartHandle } from '../../components/charts/SeriesChart';
import { ConsoleView } from '../instruments/ConsoleView';
import { sentence } from './fields';

interface Props {
  runId: string;
  running: boolean;
  /** The run's status; Resume is offered for a stopped or cut-off run. */
  status: string;
  strategyName: string;
  onResumed: (id: string) => void;
}

interface HardwareRecord {
  identity?: string | null;
  reopen?: { device?: string; port?: string; driver?: string | null };
  g0?: number;
  g0Source?: string;
}

/** Episodes are re-read at most this often while the device runs (ms). */
const REFRESH_MS = 700;
const CONSOLE_LINES = 120;

export function DeviceLive({ runId, running, status, strategyName, onResumed }: Props) {
  const host = useHost();
  const [device, setDevice] = useState<RlDeviceState | null>(null);
  const [hardware, setHardware] = useState<HardwareRecord | null>(null);
  const [episodes, setEpisodes] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lines, setLines] = useState<ConsoleLine[]>([]);
  const charts = useRef<{ alpha: SeriesChartHandle | null; g: SeriesChartHandle | null; steps: SeriesChartHandle | null }>({ alpha: null, g: null, steps: null });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(() => {
    host.call('rl.deviceEpisodes', { id: runId }).then(
      (d) => {
        const x = Float64Array.from({ length: d.alpha.length }, (_, k) => k);
        charts.current.alpha?.setData('alpha', x, d.alpha);
        charts.current.g?.setData('g', x, d.gBefore);
        charts.current.steps?.setData('steps', x, Float64Array.from(d.steps));
        setEpisodes(d.alpha.length);
        setHardware(d.hardware as HardwareRecord);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [host, runId]);

  useEffect(() => {
    setDevice(null);
    for (const c of Object.values(charts.current)) c?.clear();
    load();
    let live = true;
    if (running) host.call('rl.deviceState', {}).then((d) => live && d?.id === runId && setDevice(d), () => undefined);
    return () => {
      live = false;
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    };
  }, [host, runId, running, load]);

  useEvent(
    'rl.device',
    useCallback(
      (d: RlDeviceState) => {
        if (d.id !== runId) return;
        setDevice(d);
        if (timer.current) return;
        timer.current = setTimeout(() => {
          timer.current = null;
          load();
        }, REFRESH_MS);
      },
      [runId, load],
    ),
  );

  // The instrument's traffic while the run uses it: the same console as the Instruments page's.
  useEffect(() => {
    if (!running) return;
    let live = true;
    host.call('instruments.console', {}).then((c) => live && setLines(c.lines.slice(-CONSOLE_LINES)), () => undefined);
    const off = host.on('instruments.console', (c) => live && setLines((now) => [...now, ...c.lines].slice(-CONSOLE_LINES)));
    return () => {
      live = false;
      off();
    };
  }, [host, running]);

  const act = async (label: string, call: () => Promise<unknown>) => {
    setBusy(label);
    setError(null);
    try {
      await call();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };
  const resume = () =>
    act('resume', async () => {
      const r = await host.call('rl.resume', { id: runId });
      onResumed(r.rlRunId);
    });

  const last = device?.last ?? null;
  const state = running ? (device?.state ?? 'running') : status;
  const g0 = device?.g0 ?? hardware?.g0 ?? null;
  const resumable = !running && (status === 'cancelled' || status === 'interrupted');

  return (
    <section className="rl-device" data-testid="rl-device" data-state={state} aria-label="Device in the loop">
      <div className="rl-device-head">
        <h3>Device in the loop: {strategyName}</h3>
        {running && (
          <div className="rl-device-actions">
            {device?.state === 'paused' ? (
              <button type="button" onClick={() => void act('continue', () => host.call('rl.continue', { id: runId }))} disabled={busy !== null}>
                Resume
              </button>
            ) : (
              <button type="button" onClick={() => void act('pause', () => host.call('rl.pause', { id: runId }))} disabled={busy !== null || device?.state === 'stopping'} title="Hold the device between episodes, output off">
                Pause
              </button>
            )}
            <button type="button" onClick={() => void act('stop', () => host.call('rl.stop', { id: runId }))} disabled={busy !== null || device?.state === 'stopping'} title="Finish the episode in flight, then stop (resumable)">
              Stop
            </button>
            <button type="button" className="danger" onClick={() => void act('abort', () => host.call('rl.cancel', { id: runId }))} disabled={busy !== null} title="Stop now, output off (the episode in flight is lost; resumable)">
              Abort
            </button>
          </div>
        )}
        {resumable && (
          <button type="button" className="primary" onClick={() => void resume()} disabled={busy !== null} title="Continue from the last episode on the same instrument (checked by *IDN?)">
            {busy === 'resume' ? 'Resuming…' : 'Resume on the instrument'}
          </button>
        )}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {sentence(error)}
        </p>
      )}
      <dl className="rl-device-readout" data-testid="rl-device-readout">
        <div>
          <dt>State</dt>
          <dd data-testid="rl-device-state">{state}</dd>
        </div>
        <div>
          <dt>Seed · episode</dt>
          <dd className="mono">{last ? `${last.seed} · ${last.episode + 1}/${last.episodes}` : episodes > 0 ? `${episodes} episodes on record` : '…'}</dd>
        </div>
        <div>
          <dt>α</dt>
          <dd className="mono" data-testid="rl-device-alpha">
            {last ? last.alpha.toFixed(4) : '…'}
          </dd>
        </div>
        <div>
          <dt>G (as read)</dt>
          <dd className="mono" data-testid="rl-device-g">
            {last ? formatSI(last.g, 'S') : '…'}
            {last && g0 ? <span className="muted"> ({((last.g / g0) * 100).toFixed(1)} % of G0)</span> : null}
          </dd>
        </div>
        <div>
          <dt>Last episode</dt>
          <dd className="mono">{last ? `${last.steps} steps, ${last.success ? 'reached the goal' : 'missed'}${last.pulses ? ', 1 pulse' : ''}` : '…'}</dd>
        </div>
        <div>
          <dt>G0</dt>
          <dd className="mono">{g0 === null ? '…' : `${formatSI(g0, 'S')}${hardware?.g0Source ? ` — ${hardware.g0Source}` : ''}`}</dd>
        </div>
      </dl>
      {hardware && (
        <p className="muted rl-small" data-testid="rl-device-instrument">
          Instrument: {hardware.identity ?? 'simulated (no *IDN?)'}
          {hardware.reopen?.port ? ` on ${hardware.reopen.port}` : hardware.reopen?.device ? ` (${hardware.reopen.device})` : ''}
          {hardware.reopen?.driver ? `, driver ${hardware.reopen.driver}` : ''}
        </p>
      )}
      <div className="rl-chart-grid">
        <SeriesChart ref={(h) => void (charts.current.alpha = h)} title="α per episode on the device" series={[{ id: 'alpha', label: 'α', colorKey: 'alpha' }]} x={{ label: 'Episode on the device' }} y={{ label: 'Learning rate α' }} legend={false} height={170} testId="rl-device-chart-alpha" />
        <SeriesChart ref={(h) => void (charts.current.g = h)} title="G as read per episode" series={[{ id: 'g', label: 'G', colorKey: 'g' }]} x={{ label: 'Episode on the device' }} y={{ label: 'Conductance G (µS)', scale: 1e6 }} logToggle legend={false} height={170} testId="rl-device-chart-g" />
        <SeriesChart ref={(h) => void (charts.current.steps = h)} title="Episode length on the device" series={[{ id: 'steps', label: 'steps', colorKey: 'steps' }]} x={{ label: 'Episode on the device' }} y={{ label: 'Episode length (steps)' }} logToggle legend={false} height={170} testId="rl-device-chart-steps" />
      </div>
      {running && (
        <details className="rl-device-console" open>
          <summary>Instrument console (the last {CONSOLE_LINES} lines)</summary>
          <ConsoleView lines={lines} />
        </details>
      )}
    </section>
  );
}
