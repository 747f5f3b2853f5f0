import { useEffect, useState } from 'react';
import type { Pace } from '../../../shared/contract';
import { useRequest } from '../../api/context';

/** What the Live page's form holds; `protocol` is 'template:<id>' or 'library:<id>@<version>'. */
export interface SetupValues {
  protocol: string;
  preset: string;
  seed: string;
  noise: boolean;
  pace: Pace;
  experiment: string;
  experimentName: string;
  name: string;
  notes: string;
}

export const NEW_EXPERIMENT = '__new__';

export function seedProblem(seed: string): string | null {
  const s = seed.trim();
  if (s === '') return null;
  return /^\d{1,15}$/.test(s) ? null : 'The seed must be a whole number (or empty for a random one).';
}

export function RunSetup({ values, onChange, disabled }: { values: SetupValues; onChange: (patch: Partial<SetupValues>) => void; disabled: boolean }) {
  const templates = useRequest('protocols.templates', {});
  const library = useRequest('protocols.list', {});
  const presets = useRequest('devices.presets.list', {});
  const experiments = useRequest('experiments.list', {});
  const [custom, setCustom] = useState<string | null>(null);

  // A protocol passed in the URL that is not the library's latest still gets an option.
  useEffect(() => {
    if (values.protocol.startsWith('library:')) setCustom(values.protocol);
  }, [values.protocol]);

  const seedMsg = seedProblem(values.seed);
  const libraryOptions = library.status === 'ready' ? library.value.protocols : [];
  const customListed = custom !== null && libraryOptions.some((p) => `library:${p.id}@${p.latestVersion}` === custom);

  return (
    <fieldset className="run-setup" disabled={disabled}>
      <legend className="sr-only">Run setup</legend>
      <label className="field">
        <span>Protocol</span>
        <select value={values.protocol} onChange={(e) => onChange({ protocol: e.target.value })}>
          <option value="">Choose a protocol…</option>
          {libraryOptions.length > 0 && (
            <optgroup label="Your library">
              {libraryOptions.map((p) => (
                <option key={p.id} value={`library:${p.id}@${p.latestVersion}`}>
                  {p.name} (v{p.latestVersion})
                </option>
              ))}
            </optgroup>
          )}
          {custom !== null && !customListed && <option value={custom}>Library protocol {custom.split('@')[1] ? `v${custom.split('@')[1]}` : ''}</option>}
          <optgroup label="Templates">
            {templates.status === 'ready' &&
              templates.value.map((t) => (
                <option key={t.id} value={`template:${t.id}`}>
                  {t.name}
                </option>
              ))}
          </optgroup>
        </select>
      </label>

      <div className="field">
        <span id="device-kind-label">Device</span>
        <div className="segmented" role="radiogroup" aria-labelledby="device-kind-label">
          <label>
            <input type="radio" name="device-kind" checked readOnly /> Simulated
          </label>
          <label className="muted" title="Needs a connected instrument (Instruments page)">
            <input type="radio" name="device-kind" disabled /> Instrument — needs a connected instrument
          </label>
        </div>
      </div>
      <div className="field-row">
        <label className="field">
          <span>Preset</span>
          <select value={values.preset} onChange={(e) => onChange({ preset: e.target.value })}>
            {presets.status === 'ready' ? (
              presets.value.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.title}
                </option>
              ))
            ) : (
              <option value={values.preset}>{values.preset}</option>
            )}
          </select>
        </label>
        <label className="field narrow">
          <span>Seed</span>
          <input className="mono" inputMode="numeric" placeholder="random" value={values.seed} aria-invalid={seedMsg !== null} aria-describedby="seed-msg" onChange={(e) => onChange({ seed: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={values.noise} onChange={(e) => onChange({ noise: e.target.checked })} /> Noise
        </label>
      </div>
      {seedMsg && (
        <p id="seed-msg" className="error-text field-msg">
          {seedMsg}
        </p>
      )}

      <div className="field">
        <span id="pace-label">Pace</span>
        <div className="segmented" role="radiogroup" aria-labelledby="pace-label">
          {(['fast', 'realtime'] as const).map((p) => (
            <label key={p} title={p === 'fast' ? 'Simulated time, as fast as the machine goes' : 'Paced to the wall clock'}>
              <input type="radio" name="pace" value={p} checked={values.pace === p} onChange={() => onChange({ pace: p })} /> {p === 'fast' ? 'Fast' : 'Real time'}
            </label>
          ))}
        </div>
      </div>

      <label className="field">
        <span>Experiment</span>
        <select value={values.experiment} onChange={(e) => onChange({ experiment: e.target.value })}>
          <option value="">Default</option>
          {experiments.status === 'ready' &&
            experiments.value.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          <option value={NEW_EXPERIMENT}>New experiment…</option>
        </select>
      </label>
      {values.experiment === NEW_EXPERIMENT && (
        <label className="field">
          <span>New experiment name</span>
          <input value={values.experimentName} onChange={(e) => onChange({ experimentName: e.target.value })} />
        </label>
      )}
      <label className="field">
        <span>Run name</span>
        <input value={values.name} placeholder="named after the protocol" onChange={(e) => onChange({ name: e.target.value })} />
      </label>
      <label className="field">
        <span>Notes</span>
        <textarea rows={2} value={values.notes} onChange={(e) => onChange({ notes: e.target.value })} />
      </label>
    </fieldset>
  );
}
