/**
 * "New simulation sweep…" in Archive → Lab → Sweeps (#16): a protocol × a device preset × seeds,
 * optionally over a grid of the preset's parameters, put on the lab's job queue for
 * `workbench worker --lab` on the lab's PCs — what `workbench submit --simulation FILE` does, without
 * the file. The form shows the preset's parameters with their units and sources ("ours": the
 * workbench's own value), the number of jobs, and every problem at its field as you type
 * (simulation-form.ts runs the lab's own checks).
 */
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { FieldProblem, RequestName, RequestOutput } from '../../../shared/contract';
import type { DevicePreset } from '../../../shared/device';
import { useHost, useRequest } from '../../api/context';
import { useSessionState } from '../../app/use-session-state';
import { useSubmit } from '../../api/use-submit';
import { fieldsFor, formatValue, type FieldSpec } from '../devices/draft';
import { ProtocolOptions } from '../protocols/ProtocolOptions';
import { checkDraft, deviceRefOf, protocolRefOf, type SweepDraft } from './simulation-form';

export type SubmittedSimulation = RequestOutput<'lab.submitSimulation'>;

const NO_UNIT = { unit: '' } as const;
const problemsAt = (problems: readonly FieldProblem[], at: (path: string) => boolean) => problems.filter((p) => at(p.path)).map((p) => p.message);

/** A request made only while `input` is not null (a chosen protocol, a chosen preset). */
function useChosen<N extends RequestName>(method: N, input: Parameters<ReturnType<typeof useHost>['call']>[1] | null): RequestOutput<N> | null {
  const host = useHost();
  const [got, setGot] = useState<{ key: string; value: RequestOutput<N> } | null>(null);
  const key = JSON.stringify(input);
  useEffect(() => {
    let live = true;
    if (input === null) return undefined;
    host.call(method, JSON.parse(key) as never).then(
      (value) => live && setGot({ key, value: value as RequestOutput<N> }),
      () => live && setGot(null),
    );
    return () => {
      live = false;
    };
    // `key` stands for `input`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [host, method, key]);
  return got !== null && got.key === key ? got.value : null;
}

function FieldProblems({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return <span className="field-msg error-text">{messages.join(' ')}</span>;
}

export function SimulationSweepForm({ initialProtocol, onSubmitted, onCancel }: { initialProtocol: string | null; onSubmitted: (s: SubmittedSimulation) => void; onCancel: () => void }) {
  const host = useHost();
  const templates = useRequest('protocols.templates', {});
  const library = useRequest('protocols.list', {});
  const presets = useRequest('devices.presets.list', {});
  // The set-up outlives the page for the session (UI: a page remembers its set-up); a protocol handed over from the Protocols page wins.
  const [draft, setDraft] = useSessionState<SweepDraft>('workbench.lab.simulationSweep', () => ({ protocol: '', device: 'shipped:intrinsic-gradient', seeds: '3', noise: true, title: '', axes: [] }));
  useEffect(() => {
    if (initialProtocol) setDraft((d) => ({ ...d, protocol: initialProtocol }));
  }, [initialProtocol, setDraft]);
  const { busy, error, submit: send } = useSubmit(onSubmitted);
  const set = (patch: Partial<SweepDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const ref = protocolRefOf(draft.protocol);
  const libraryRecord = useChosen('protocols.get', ref?.source === 'library' ? { id: ref.id } : null);
  const template = ref?.source === 'template' && templates.status === 'ready' ? templates.value.find((t) => t.id === ref.id) : undefined;
  const fromLibrary = ref?.source === 'library';
  const protocol = useMemo(
    () => (fromLibrary ? libraryRecord && { title: libraryRecord.name, text: JSON.stringify(libraryRecord.document) } : template ? { title: template.name, text: JSON.stringify(template.document) } : null),
    [fromLibrary, libraryRecord, template],
  );
  const presetGot = useChosen('devices.presets.get', deviceRefOf(draft.device));
  const preset: DevicePreset | null = (presetGot as { preset: DevicePreset } | null)?.preset ?? null;

  const fields = useMemo(() => (preset ? fieldsFor(preset.model) : []), [preset]);
  const fieldOf = (path: string): FieldSpec | undefined => fields.find((f) => f.path === path);
  // Every grid point is made into a preset and checked: deferred, so typing stays quick on a big grid.
  const checked = useDeferredValue(useMemo(() => checkDraft(draft, (p) => fields.find((f) => f.path === p) ?? NO_UNIT, protocol, preset), [draft, fields, protocol, preset]));
  const { problems, input, jobs, points, seeds } = checked;
  // A grid value's problems are at its axis (`grid["params.tauG"]…`) or, out of range, at the preset's field itself.
  const onAxis = (path: string) => (p: string) => p === path || p.startsWith(`grid[${JSON.stringify(path)}]`);
  const atField = (p: string) => p === 'protocol' || p === 'device' || p.startsWith('seeds') || draft.axes.some((a) => onAxis(a.path)(p));
  const elsewhere = problemsAt(problems, (p) => !atField(p));

  const submit = () => input && send(() => host.call('lab.submitSimulation', input));
  const addAxis = () => {
    const free = fields.find((f) => !draft.axes.some((a) => a.path === f.path));
    if (free) set({ axes: [...draft.axes, { path: free.path, text: preset ? formatValue(valueAt(preset, free.path), free) : '' }] });
  };
  const setAxis = (k: number, patch: Partial<SweepDraft['axes'][number]>) => set({ axes: draft.axes.map((a, j) => (j === k ? { ...a, ...patch } : a)) });

  return (
    <form
      className="lab-sim-form"
      aria-label="New simulation sweep"
      data-testid="lab-sim-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>New simulation sweep</h3>
      <div className="lab-sim-fields">
        <label className="field">
          <span>Protocol</span>
          <select value={draft.protocol} onChange={(e) => set({ protocol: e.target.value })} aria-label="Protocol" aria-invalid={!ref}>
            <ProtocolOptions library={library.status === 'ready' ? library.value.protocols : []} templates={templates.status === 'ready' ? templates.value : []} libraryValue={(p) => `library:${p.id}`} />
          </select>
          <FieldProblems messages={problemsAt(problems, (p) => p === 'protocol')} />
        </label>
        <label className="field">
          <span>Device preset</span>
          <select value={draft.device} onChange={(e) => set({ device: e.target.value })} aria-label="Device preset">
            <option value="">Choose a preset…</option>
            {presets.status === 'ready' &&
              presets.value.map((p) => (
                <option key={`${p.origin}:${p.name}`} value={`${p.origin}:${p.name}`}>
                  {p.title}
                  {p.origin === 'saved' ? ' (saved)' : ''}
                </option>
              ))}
          </select>
          <FieldProblems messages={problemsAt(problems, (p) => p === 'device')} />
        </label>
        <label className="field lab-sim-seeds">
          <span>Seeds</span>
          <input value={draft.seeds} onChange={(e) => set({ seeds: e.target.value })} aria-label="Seeds" placeholder="3, or 1, 2, 7" aria-invalid={problemsAt(problems, (p) => p.startsWith('seeds')).length > 0} aria-describedby="lab-sim-seeds-hint" />
          <span id="lab-sim-seeds-hint" className="muted field-msg">
            a count N (seeds 1…N) or a list
          </span>
          <FieldProblems messages={problemsAt(problems, (p) => p.startsWith('seeds'))} />
        </label>
        <label className="field">
          <span>Title</span>
          <input value={draft.title} onChange={(e) => set({ title: e.target.value })} aria-label="Title" placeholder={protocol && preset ? `${protocol.title} on ${preset.name}` : 'protocol on preset'} maxLength={200} />
        </label>
        <label className="lab-sim-noise">
          <input type="checkbox" checked={draft.noise} onChange={(e) => set({ noise: e.target.checked })} /> Noise: cycle-to-cycle, device-to-device and read noise, drawn from each run’s seed
        </label>
      </div>

      <table className="data-table lab-sim-grid" aria-label="Grid over the preset's parameters">
        <caption>
          Grid over the preset’s parameters <span className="muted">(optional: every combination of the values, each run with every seed)</span>
        </caption>
        <thead>
          <tr>
            <th scope="col" className="lab-sim-param">
              Parameter
            </th>
            <th scope="col" className="lab-sim-values">
              Values (comma-separated)
            </th>
            <th scope="col">Preset’s value</th>
            <th scope="col">Source</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {draft.axes.map((a, k) => {
            const f = fieldOf(a.path);
            const messages = problemsAt(problems, onAxis(a.path));
            return (
              <tr key={k}>
                <td>
                  <select value={a.path} onChange={(e) => setAxis(k, { path: e.target.value })} aria-label={`Grid parameter ${k + 1}`}>
                    {!f && <option value={a.path}>{a.path} (not a parameter of this preset)</option>}
                    {fields.map((x) => (
                      <option key={x.path} value={x.path}>
                        {parameterText(x)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input className="mono" value={a.text} onChange={(e) => setAxis(k, { text: e.target.value })} aria-label={`Values of ${f?.info.label ?? a.path}`} aria-invalid={messages.length > 0} placeholder={f?.unit ? `e.g. 1 ${f.unit}, 2 ${f.unit}` : 'e.g. 1, 2, 5'} />
                  <FieldProblems messages={messages} />
                </td>
                <td className="mono">{f && preset ? formatValue(valueAt(preset, f.path), f) : '—'}</td>
                <td>{f && preset ? <SourceTag preset={preset} field={f} /> : '—'}</td>
                <td>
                  <button type="button" className="small" onClick={() => set({ axes: draft.axes.filter((_, j) => j !== k) })} aria-label={`Remove ${f?.info.label ?? a.path} from the grid`}>
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
          {draft.axes.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No grid: every seed runs the preset as it is.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="lab-sim-actions">
        <button type="button" className="small" onClick={addAxis} disabled={!preset || draft.axes.length >= fields.length}>
          Add a parameter to the grid
        </button>
        <span className="spacer" />
        <span data-testid="lab-sim-jobs" className="mono">
          {jobs === null ? 'jobs: —' : `${plural(points ?? 1, 'grid point')} × ${plural(seeds ?? 1, 'seed')} = ${plural(jobs, 'job')}`}
        </span>
        <button type="submit" className="primary small" disabled={busy || input === null} title={input === null ? (problems[0]?.message ?? 'Loading the protocol and the preset…') : undefined}>
          {busy ? 'Submitting…' : jobs === null ? 'Submit' : `Submit ${jobs} job${jobs === 1 ? '' : 's'}`}
        </button>
        <button type="button" className="small" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {elsewhere.length > 0 && (
        <ul className="lab-sim-problems error-text" aria-label="Problems with the sweep">
          {elsewhere.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function valueAt(preset: DevicePreset, path: string): number {
  let node: unknown = preset;
  for (const k of path.split('.')) node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
  return typeof node === 'number' ? node : Number.NaN;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

const parameterText = (f: FieldSpec) => `${f.info.label}${f.info.unit ? ` (${f.info.unit})` : f.percent ? ' (%)' : ''} · ${f.path}`;

/** Where the preset's value comes from: "ours" (the workbench's own calibration), fitted, measured, literature. */
function SourceTag({ preset, field }: { preset: DevicePreset; field: FieldSpec }) {
  if (field.group !== 'params') return <span className="muted">—</span>;
  const source = preset.provenance[field.key] ?? preset.source;
  return (
    <span className={`lab-sim-source lab-sim-source-${source}`} title={source === 'ours' ? 'ours — the workbench’s own value, not a value from a paper or a device' : source}>
      {source}
    </span>
  );
}
