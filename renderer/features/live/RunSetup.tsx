import { useEffect, useId, useState } from 'react';
import type { InstrumentState, Pace } from '../../../shared/contract';
import { DEFAULT_EXPERIMENT } from '../../../shared/contract/areas/runs';
import type { SafetyLimits } from '../../../shared/protocol';
import { useRequest } from '../../api/context';
import { navigate } from '../../app/use-hash-route';
import { InstrumentRunLimits } from '../instruments/InstrumentRunLimits';
import type { ConnectedInstrument } from '../instruments/use-connected-instrument';
import { ProtocolOptions } from '../protocols/ProtocolOptions';
import { presetShortTitle } from '../devices/preset-title';

export type DeviceKind = 'simulated' | 'instrument';

/** What the Live page's form holds; `protocol` is 'template:<id>' or 'library:<id>@<version>'. */
export interface SetupValues {
  protocol: string;
  /** The simulated device (preset, seed, noise, pace) or the connected instrument (always real time). */
  device: DeviceKind;
  preset: string;
  seed: string;
  noise: boolean;
  pace: Pace;
  experiment: string;
  experimentName: string;
  name: string;
  notes: string;
}

/** The connection, as the Live page knows it. */
export interface InstrumentChoice {
  state: InstrumentState | null;
  /** The connected instrument and the limits it enforces; null when none is connected. */
  instrument: ConnectedInstrument | null;
  /** The workbench's limits (Settings), null while they load. */
  limits: SafetyLimits | null;
}

export const NEW_EXPERIMENT = '__new__';

export function seedProblem(seed: string): string | null {
  const s = seed.trim();
  if (s === '') return null;
  return /^\d{1,15}$/.test(s) ? null : 'The seed must be a whole number (or empty for a random one).';
}

/** Why a run cannot start on the instrument now, in a sentence; null when it can. */
export function instrumentProblem({ state, instrument }: InstrumentChoice): string | null {
  if (state === null) return 'Reading the instrument’s state…';
  if (state.state === 'connecting') return 'The instrument is still connecting.';
  if (state.state !== 'connected') {
    const why = state.state === 'error' && state.message ? `: ${state.message}` : '';
    return `The instrument is not connected${why}. Connect it on the Instruments page, or choose the simulated device.`;
  }
  return instrument === null ? 'Reading the instrument’s limits…' : null;
}

export function RunSetup({
  values,
  onChange,
  disabled,
  instrument,
}: {
  values: SetupValues;
  onChange: (patch: Partial<SetupValues>) => void;
  disabled: boolean;
  instrument: InstrumentChoice;
}) {
  const templates = useRequest('protocols.templates', {});
  const library = useRequest('protocols.list', {});
  const experiments = useRequest('experiments.list', {});
  const [custom, setCustom] = useState<string | null>(null);

  // A protocol passed in the URL that is not the library's latest still gets an option.
  useEffect(() => {
    if (values.protocol.startsWith('library:')) setCustom(values.protocol);
  }, [values.protocol]);

  const libraryOptions = library.status === 'ready' ? library.value.protocols : [];
  const customListed = custom !== null && libraryOptions.some((p) => `library:${p.id}@${p.latestVersion}` === custom);
  const connected = instrument.state?.state === 'connected';

  return (
    <fieldset className="run-setup" disabled={disabled}>
      <legend className="sr-only">Run setup</legend>
      <label className="field">
        <span>Protocol</span>
        <select value={values.protocol} onChange={(e) => onChange({ protocol: e.target.value })}>
          <ProtocolOptions library={libraryOptions} templates={templates.status === 'ready' ? templates.value : []} libraryValue={(p) => `library:${p.id}@${p.latestVersion}`}>
            {custom !== null && !customListed && <option value={custom}>Library protocol {custom.split('@')[1] ? `v${custom.split('@')[1]}` : ''}</option>}
          </ProtocolOptions>
        </select>
      </label>

      <div className="field">
        <span id="device-kind-label">Device</span>
        <div className="segmented" role="radiogroup" aria-labelledby="device-kind-label">
          <label>
            <input type="radio" name="device-kind" value="simulated" checked={values.device === 'simulated'} onChange={() => onChange({ device: 'simulated' })} /> Simulated
          </label>
          <label className={connected ? 'device-instrument' : 'device-instrument muted'} title={connected ? (instrument.state?.idn ?? undefined) : 'Needs a connected instrument (Instruments page)'}>
            <input type="radio" name="device-kind" value="instrument" disabled={!connected} checked={values.device === 'instrument'} onChange={() => onChange({ device: 'instrument' })} />
            {connected ? (
              <span className="device-instrument-text">
                Instrument
                <span className="mono small-text" data-testid="device-instrument-idn">
                  {instrument.state?.idn ?? ''}
                </span>
                <span className="mono small-text muted">{instrument.state?.port ?? ''}</span>
              </span>
            ) : (
              ' Instrument — needs a connected instrument'
            )}
          </label>
        </div>
        {!connected && (
          <a className="small-text" href="#/instruments" onClick={(e) => (e.preventDefault(), navigate('instruments'))}>
            {values.device === 'instrument' ? 'Reconnect on the Instruments page' : 'Connect one on the Instruments page'}
          </a>
        )}
      </div>

      {values.device === 'simulated' ? (
        <SimulatedDevice values={values} onChange={onChange} />
      ) : instrument.instrument ? (
        <InstrumentRunLimits instrument={instrument.instrument} limits={instrument.limits} />
      ) : (
        <p className="error-text small-text" data-testid="instrument-unavailable">
          {instrument.state?.state === 'connected' || instrument.state === null ? 'Reading the instrument…' : 'The instrument is not connected.'}
        </p>
      )}

      <label className="field">
        <span>Experiment</span>
        <select value={values.experiment} onChange={(e) => onChange({ experiment: e.target.value })}>
          <option value="">{DEFAULT_EXPERIMENT}</option>
          {/* The first entry already stands for the default experiment (#19: "Default" twice). */}
          {experiments.status === 'ready' &&
            experiments.value.filter((x) => x.name !== DEFAULT_EXPERIMENT).map((x) => (
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

/** The simulated device's fields: a physical device has none of them (and always runs in real time). */
function SimulatedDevice({ values, onChange }: { values: SetupValues; onChange: (patch: Partial<SetupValues>) => void }) {
  const presets = useRequest('devices.presets.list', {});
  const seedMsg = seedProblem(values.seed);
  const chosenTitle = presets.status === 'ready' ? (presets.value.find((p) => p.name === values.preset)?.title ?? '') : '';
  const noteId = useId();
  return (
    <>
      <div className="field-row">
        <label className="field">
          <span>Preset</span>
          {/* Named "Preset" alone: the full title under it is its description, not part of its name. */}
          <select value={values.preset} onChange={(e) => onChange({ preset: e.target.value })} title={chosenTitle} aria-label="Preset" aria-describedby={chosenTitle ? noteId : undefined}>
            {presets.status === 'ready' ? (
              presets.value.map((p) => (
                <option key={p.name} value={p.name}>
                  {presetShortTitle(p.title)}
                </option>
              ))
            ) : (
              <option value={values.preset}>{values.preset}</option>
            )}
          </select>
          {chosenTitle && (
            <span className="field-note" id={noteId}>
              {chosenTitle}
            </span>
          )}
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
    </>
  );
}
