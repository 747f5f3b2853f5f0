/**
 * "Device in the loop" (#12): which device strategy of the comparison reads its learning rate from
 * the connected instrument (any driver, the virtual ones included), where its reference
 * conductance G0 comes from, and — before anything starts — the plan: the pulses the device will
 * receive checked against the safety limits in force, and the wall time it will take, with the
 * instrument's own overhead measured by timing reads.
 */
import { useEffect, useState } from 'react';
import type { RlHardwareChoice, RlPlan } from '../../../shared/contract/areas/rl-device';
import { formatDuration, formatSI, parseQuantity } from '../../../shared/units';
import { useHost, useRequest } from '../../api/context';
import { useConnectedInstrument } from '../instruments/use-connected-instrument';
import { sentence } from './fields';

interface Props {
  /** The device strategies of the set-up that will run (id and name). */
  strategies: readonly { id: string; name: string }[];
  /** The experiment as it would be sent, and its seeds (the plan is for exactly this). */
  experiment: Record<string, unknown>;
  value: RlHardwareChoice | null;
  onChange: (value: RlHardwareChoice | null) => void;
}

/** How long the plan waits after the last edit before asking the host (it reads the instrument). */
const PLAN_DELAY_MS = 600;

export function HardwareSetup({ strategies, experiment, value, onChange }: Props) {
  const host = useHost();
  const { state } = useConnectedInstrument();
  const connected = state?.state === 'connected';
  const [plan, setPlan] = useState<RlPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [g0Text, setG0Text] = useState('');
  const runs = useRequest('runs.list', { status: 'completed', limit: 50 }, [value?.g0.kind === 'run']);
  const expText = JSON.stringify(experiment);
  const choiceText = JSON.stringify(value);

  useEffect(() => {
    if (!value) {
      setPlan(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      host.call('rl.plan', { experiment: JSON.parse(expText) as Record<string, unknown>, hardware: JSON.parse(choiceText) as RlHardwareChoice }).then(
        (p) => live && (setPlan(p), setPlanError(null)),
        (e: unknown) => live && (setPlan(null), setPlanError(e instanceof Error ? e.message : String(e))),
      );
    }, PLAN_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [host, expText, choiceText, value, connected, state?.idn]);

  const strategy = value?.strategy ?? '';
  const set = (patch: Partial<RlHardwareChoice>) => value && onChange({ ...value, ...patch });
  const enteredProblem = value?.g0.kind === 'entered' && g0Text !== '' && !(parseQuantity(g0Text, 'S').ok) ? 'not a conductance (e.g. 10 uS or 1e-5)' : null;

  return (
    <div className="rl-hardware" data-testid="rl-hardware">
      <p className="rl-hint">
        Put one device-driven strategy on the connected instrument; the others run in simulation as usual. Seeds run one after another on the device, each episode checkpointed, so a stop,
        a pulled cable or a closed app loses at most the episode in flight.
      </p>
      <label className="rl-field">
        <span>Strategy on the instrument</span>
        <select
          aria-label="Strategy on the instrument"
          value={strategy}
          onChange={(e) => onChange(e.target.value === '' ? null : { strategy: e.target.value, g0: value?.g0 ?? { kind: 'read' }, restSeconds: value?.restSeconds ?? 0 })}
        >
          <option value="">None — every strategy in simulation</option>
          {strategies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      {strategies.length === 0 && <p className="muted rl-small">No device-driven strategy is ticked in the set-up.</p>}
      {value && (
        <>
          <p className={connected ? 'rl-small' : 'rl-small error-text'} data-testid="rl-hardware-instrument">
            {connected ? (
              <>
                On <strong>{state?.idn ?? 'the connected instrument'}</strong> ({state?.port})
              </>
            ) : (
              <>
                No instrument is connected. <a href="#/instruments">Connect one on the Instruments page</a> (a virtual instrument will do).
              </>
            )}
          </p>
          <fieldset className="rl-g0">
            <legend>Reference conductance G0 (the α map spans G/G0)</legend>
            <label>
              <input type="radio" name="rl-g0" checked={value.g0.kind === 'read'} onChange={() => set({ g0: { kind: 'read' } })} /> Read the device when the run starts (5 reads, median)
            </label>
            <label>
              <input type="radio" name="rl-g0" checked={value.g0.kind === 'entered'} onChange={() => set({ g0: { kind: 'entered', value: parseQuantity(g0Text, 'S').ok ? (parseQuantity(g0Text, 'S') as { value: number }).value : 1e-5 } })} /> Enter
              <input
                type="text"
                aria-label="G0 value"
                className="rl-g0-value"
                placeholder="10 uS"
                value={g0Text}
                onChange={(e) => {
                  setG0Text(e.target.value);
                  const q = parseQuantity(e.target.value, 'S');
                  if (q.ok && q.value > 0) set({ g0: { kind: 'entered', value: q.value } });
                }}
              />
            </label>
            {enteredProblem && <span className="error-text rl-small">{enteredProblem}</span>}
            <label>
              <input
                type="radio"
                name="rl-g0"
                checked={value.g0.kind === 'run'}
                disabled={runs.status !== 'ready' || runs.value.runs.length === 0}
                onChange={() => runs.status === 'ready' && runs.value.runs[0] && set({ g0: { kind: 'run', runId: runs.value.runs[0].id } })}
              />{' '}
              From a stored run’s first read
              {value.g0.kind === 'run' && runs.status === 'ready' && (
                <select aria-label="Run to take G0 from" value={value.g0.runId} onChange={(e) => set({ g0: { kind: 'run', runId: e.target.value } })}>
                  {runs.value.runs.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.name} ({r.deviceName ?? r.deviceKind})
                    </option>
                  ))}
                </select>
              )}
            </label>
          </fieldset>
          <label className="rl-field">
            <span>
              Rest between seeds (s, output off) <abbr className="rl-ours" title="Chosen by the workbench, not taken from the paper">ours</abbr>
            </span>
            <input type="number" min={0} step={1} aria-label="Rest between seeds" value={value.restSeconds ?? 0} onChange={(e) => set({ restSeconds: Math.max(0, Number(e.target.value) || 0) })} />
          </label>
          <PlanView plan={plan} error={planError} />
        </>
      )}
    </div>
  );
}

function PlanView({ plan, error }: { plan: RlPlan | null; error: string | null }) {
  if (error) return <p className="error-text rl-small">{sentence(error)}</p>;
  if (!plan) return <p className="muted rl-small">Working out the plan…</p>;
  const episodes = plan.episodesPerSeed * plan.seeds * plan.environments;
  const overhead = plan.overheadPerEpisode;
  return (
    <div className="rl-plan" data-testid="rl-plan" aria-live="polite">
      <p>
        <strong>Wall time ≈ {formatDuration(Math.ceil(plan.wallSeconds))}</strong>
        <span className="muted rl-small">
          {' '}
          = {episodes} episodes ({plan.episodesPerSeed} × {plan.seeds} seed{plan.seeds === 1 ? '' : 's'}
          {plan.environments > 1 ? ` × ${plan.environments} environments` : ''}) × ({formatSI(plan.secondsPerEpisode, 's')} device time
          {overhead === null ? ' + overhead not measured' : ` + ${formatSI(overhead, 's')} measured overhead`})
          {plan.restSeconds > 0 ? ` + rests of ${formatSI(plan.restSeconds, 's')} between seeds` : ''}
        </span>
      </p>
      <p className="rl-small">
        The device receives at most {plan.pulses.max} pulses of {formatSI(plan.pulses.amplitude, 'V')} × {formatSI(plan.pulses.width, 's')} (one after each successful episode), a read after every episode.
      </p>
      <p className="rl-small" data-testid="rl-plan-g0">
        G0: {plan.g0 ? `${formatSI(plan.g0.value, 'S')} (${plan.g0.source})` : 'read when the run starts'}
        {plan.gNow !== null ? ` · the device reads ${formatSI(plan.gNow, 'S')} now` : ''}
      </p>
      {plan.warning && (
        <p className="rl-warning rl-small" role="status" data-testid="rl-plan-warning">
          ⚠ {sentence(plan.warning)}
        </p>
      )}
      {plan.problems.length > 0 ? (
        <ul className="rl-field-errors" data-testid="rl-plan-problems">
          {plan.problems.map((p, k) => (
            <li key={k}>
              <span className="mono">{p.path}</span>: {p.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="rl-ok rl-small">Within the safety limits in force.</p>
      )}
    </div>
  );
}
