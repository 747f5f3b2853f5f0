/**
 * Devices: pick a preset (shipped, read-only; or one saved or fitted), edit its parameters with
 * units, see its characteristic curves recomputed as you type — overlaid with up to two other
 * models — save it as a preset of your own, and fit a model to a measured trace.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { HostError } from '../../shared/contract';
import type { DevicePresetEntry } from '../../shared/contract/areas/devices';
import { builtInPresets, intrinsicGradientPreset, modelTitles, ourParameters, type DevicePreset, type ParameterSource } from '../../shared/device';
import { useHost, useRequest } from '../api/context';
import { characteristicCurves, DEFAULT_STIMULUS, type Stimulus } from '../features/devices/curves';
import { CurveCharts, type ModelCurves } from '../features/devices/CurveCharts';
import { evaluateDraft, newDraft, type Draft, type Origin } from '../features/devices/draft';
import { FitPanel } from '../features/devices/FitPanel';
import { ParamEditor } from '../features/devices/ParamEditor';
import { SavePanel } from '../features/devices/SavePanel';
import { DEFAULT_STIMULUS_TEXTS, parseStimulus, StimulusBar, type StimulusTexts } from '../features/devices/StimulusBar';
import { useKeyed } from '../app/use-keyed';
import '../styles/devices.css';

const MAX_OVERLAYS = 2;

const shippedFallback: DevicePresetEntry[] = builtInPresets.map((p) => ({
  name: p.name,
  title: p.title,
  model: p.model,
  source: p.source,
  description: p.description,
  origin: 'shipped',
  updatedAt: null,
}));

const keyOf = (origin: Origin, name: string) => `${origin}:${name}`;

interface Overlay {
  key: string;
  preset: DevicePreset;
}

function messageOf(e: unknown): string {
  if (e instanceof HostError) {
    const problems = (e.details as { problems?: { path?: string; message?: string }[] } | undefined)?.problems;
    if (Array.isArray(problems) && problems.length > 1) return `${e.message} — ${problems.map((p) => p.message).join('; ')}`;
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

export default function DevicesPage() {
  const host = useHost();
  const list = useRequest('devices.presets.list', {});
  const entries = list.status === 'ready' ? list.value : shippedFallback;
  const [draft, setDraft] = useState<Draft>(() => newDraft(intrinsicGradientPreset, 'shipped'));
  const [pending, setPending] = useState<{ origin: Origin; name: string } | null>(null);
  const [overlays, setOverlays] = useState<Overlay[]>([]);
  const [stimTexts, setStimTexts] = useState<StimulusTexts>(DEFAULT_STIMULUS_TEXTS);
  const [noise, setNoise] = useState(false);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const state = useMemo(() => evaluateDraft(draft), [draft]);
  const lastValid = useRef<DevicePreset>(draft.base);
  if (state.preset) lastValid.current = state.preset;
  const shown = state.preset ?? lastValid.current;
  const parsedStimulus = parseStimulus(stimTexts);
  const lastStimulus = useRef<Stimulus>(DEFAULT_STIMULUS);
  if (parsedStimulus.ok) lastStimulus.current = parsedStimulus.stimulus;
  const stimulus = lastStimulus.current;

  const selectedKey = keyOf(draft.origin, draft.base.name);
  const blocked = state.preset ? null : 'A parameter has a problem (shown at its field).';

  // --- curves -------------------------------------------------------------------------------
  // Kept while what they describe is the same, so the curves are computed again only when it changes.
  const curvePreset = useKeyed(() => shown, JSON.stringify(shown));
  const curveStimulus = useKeyed(() => stimulus, JSON.stringify(stimulus));
  const curveOverlays = useKeyed(() => overlays, overlays.map((o) => o.key).join(','));
  const primaryLabel = `${draft.base.name}${state.dirty ? ' (edited)' : ''}${draft.origin === 'new' ? ' (not saved)' : ''}`;
  const computed = useMemo((): { models: ModelCurves[]; failure: string | null } => {
    const kinds = new Set<string>();
    const colorKeyOf = (preset: DevicePreset) => {
      const k = kinds.has(preset.model) ? `model:${preset.model}:${preset.name}` : `model:${preset.model}`;
      kinds.add(preset.model);
      return k;
    };
    try {
      const models: ModelCurves[] = [
        { id: 'primary', label: primaryLabel, colorKey: colorKeyOf(curvePreset), curves: characteristicCurves(curvePreset, { stimulus: curveStimulus, noise }) },
        ...curveOverlays.map((o) => ({ id: `overlay:${o.key}`, label: o.preset.name, colorKey: colorKeyOf(o.preset), curves: characteristicCurves(o.preset, { stimulus: curveStimulus, noise }) })),
      ];
      return { models, failure: null };
    } catch (e) {
      return { models: [], failure: e instanceof Error ? e.message : String(e) };
    }
  }, [curvePreset, curveStimulus, curveOverlays, noise, primaryLabel]);

  // --- loading presets ------------------------------------------------------------------------
  const load = useCallback(
    async (origin: Origin, name: string) => {
      setError(null);
      setNotice(null);
      try {
        const got = await host.call('devices.presets.get', { name, origin: origin === 'saved' ? 'saved' : 'shipped' });
        setDraft(newDraft(got.preset as DevicePreset, got.entry.origin));
        setSaving(false);
        setConfirmDelete(false);
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [host],
  );

  const choose = (value: string) => {
    const [origin, ...rest] = value.split(':');
    const name = rest.join(':');
    if (origin !== 'shipped' && origin !== 'saved') return;
    if (state.dirty || draft.origin === 'new') setPending({ origin, name });
    else void load(origin, name);
  };

  const addOverlay = async (value: string) => {
    if (value === '' || overlays.length >= MAX_OVERLAYS || overlays.some((o) => o.key === value)) return;
    const [origin, ...rest] = value.split(':');
    try {
      const got = await host.call('devices.presets.get', { name: rest.join(':'), origin: origin === 'saved' ? 'saved' : 'shipped' });
      setOverlays((list) => (list.length >= MAX_OVERLAYS || list.some((o) => o.key === value) ? list : [...list, { key: value, preset: got.preset as DevicePreset }]));
    } catch (e) {
      setError(messageOf(e));
    }
  };

  // --- saving and deleting -------------------------------------------------------------------
  const save = useCallback(
    async (preset: DevicePreset, overwrite: boolean) => {
      setError(null);
      try {
        const entry = await host.call('devices.presets.save', { preset, overwrite });
        setDraft(newDraft(preset, 'saved'));
        setSaving(false);
        setNotice(`Saved as “${entry.name}”.`);
        list.reload();
      } catch (e) {
        setError(messageOf(e));
      }
    },
    [host, list],
  );

  const quickSave = draft.origin === 'saved' && state.dirty && state.preset !== null;
  const saveWhy =
    draft.origin === 'shipped'
      ? 'Shipped presets are read-only: use “Save as…”.'
      : draft.origin === 'new'
        ? 'Not saved yet: use “Save as…”.'
        : !state.dirty
          ? 'No changes to save.'
          : blocked;

  const remove = async () => {
    setError(null);
    try {
      const name = draft.base.name;
      await host.call('devices.presets.delete', { name });
      setConfirmDelete(false);
      list.reload();
      await load('shipped', intrinsicGradientPreset.name);
      setNotice(`Deleted the saved preset “${name}”.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  // Ctrl+S saves a saved preset in place; anything else opens "Save as…".
  const keyState = useRef({ quickSave, preset: state.preset, save });
  keyState.current = { quickSave, preset: state.preset, save };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        const k = keyState.current;
        if (k.quickSave && k.preset) void k.save(k.preset, true);
        else setSaving(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onText = (path: string, text: string) => setDraft((d) => ({ ...d, texts: { ...d.texts, [path]: text } }));
  const onSource = (key: string, source: ParameterSource) => setDraft((d) => ({ ...d, sources: { ...d.sources, [key]: source } }));

  const shipped = entries.filter((e) => e.origin === 'shipped');
  const saved = entries.filter((e) => e.origin === 'saved');
  const ours = ourParameters(shown).length;
  const total = Object.keys(shown.provenance).length;

  return (
    <section className="page dev-page">
      <header className="page-header dev-header">
        <h1>Devices</h1>
        <label className="dev-picker">
          <span>Preset</span>
          <select value={selectedKey} onChange={(e) => choose(e.target.value)} aria-label="Device preset">
            <optgroup label="Shipped (read-only)">
              {shipped.map((e) => (
                <option key={e.name} value={keyOf('shipped', e.name)}>
                  {e.name}
                </option>
              ))}
            </optgroup>
            {saved.length > 0 && (
              <optgroup label="Saved and fitted">
                {saved.map((e) => (
                  <option key={e.name} value={keyOf('saved', e.name)}>
                    {e.name}
                    {e.source === 'fitted' ? ' (fitted)' : ''}
                  </option>
                ))}
              </optgroup>
            )}
            {draft.origin === 'new' && <option value={selectedKey}>{draft.base.name} (not saved)</option>}
          </select>
        </label>
        <label className="dev-picker">
          <span>Compare with</span>
          <select
            value=""
            aria-label="Compare with another model"
            disabled={overlays.length >= MAX_OVERLAYS}
            title={overlays.length >= MAX_OVERLAYS ? 'Up to three models at once: remove one to add another.' : undefined}
            onChange={(e) => void addOverlay(e.target.value)}
          >
            <option value="">{overlays.length >= MAX_OVERLAYS ? 'Three models shown' : 'Add a model…'}</option>
            {entries
              .filter((e) => !overlays.some((o) => o.key === keyOf(e.origin, e.name)))
              .map((e) => (
                <option key={keyOf(e.origin, e.name)} value={keyOf(e.origin, e.name)}>
                  {e.name}
                  {e.origin === 'saved' ? ' (saved)' : ''}
                </option>
              ))}
          </select>
        </label>
        {overlays.map((o) => (
          <span key={o.key} className="dev-chip" data-testid={`overlay-${o.preset.name}`}>
            {o.preset.name}
            <button type="button" className="dev-chip-remove" aria-label={`Stop comparing with ${o.preset.name}`} onClick={() => setOverlays((l) => l.filter((x) => x.key !== o.key))}>
              ×
            </button>
          </span>
        ))}
        <span className="spacer" />
        {state.dirty && (
          <button type="button" onClick={() => setDraft((d) => newDraft(d.base, d.origin))} title="Discard the changes to the parameters">
            Revert
          </button>
        )}
        <button type="button" disabled={!quickSave} title={quickSave ? 'Save the changes to this preset (Ctrl+S)' : (saveWhy ?? undefined)} onClick={() => state.preset && void save(state.preset, true)}>
          Save
        </button>
        <button type="button" className="primary" onClick={() => setSaving(true)} title="Save as a new preset (Ctrl+S)">
          Save as…
        </button>
        {draft.origin === 'saved' && (
          <button type="button" className="dev-delete" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        )}
      </header>

      {pending && (
        <div className="dev-banner" role="alert">
          <span>
            The changes to “{draft.base.name}” are not saved. Open “{pending.name}” and discard them?
          </span>
          <button
            type="button"
            onClick={() => {
              const p = pending;
              setPending(null);
              void load(p.origin, p.name);
            }}
          >
            Discard and open
          </button>
          <button type="button" onClick={() => setPending(null)}>
            Keep editing
          </button>
        </div>
      )}
      {confirmDelete && (
        <div className="dev-banner dev-banner-danger" role="alert">
          <span>Delete the saved preset “{draft.base.name}”? This cannot be undone; runs that used it keep their own copy of its parameters.</span>
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete “{draft.base.name}”
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Cancel
          </button>
        </div>
      )}
      {saving && (
        <SavePanel key={selectedKey} preset={state.preset} origin={draft.origin} entries={entries} blocked={blocked} onSave={save} onCancel={() => setSaving(false)} />
      )}
      {notice && (
        <p className="dev-notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {list.status === 'error' && <p className="error-text">The saved presets could not be listed: {list.error.message}</p>}

      <div className="dev-main">
        <div className="dev-left">
          <div className="dev-model">
            <h2 className="dev-model-title">{modelTitles[draft.base.model]}</h2>
            <p className="muted dev-model-desc" title={draft.base.description}>
              {draft.base.title.startsWith(modelTitles[draft.base.model]) ? draft.base.description : draft.base.title}
            </p>
          </div>
          <p className="dev-ours" data-testid="ours-note">
            <span className="dev-source dev-source-ours">ours</span>{' '}
            {draft.base.model === 'bipolar' ? (
              <>
                {ours} of {total} parameters are the workbench’s own choice: figures typical of HfOx or TaOx cells, not fitted to any one device. Every shipped default is ours.
              </>
            ) : (
              <>
                {ours} of {total} parameters are the workbench’s own calibration to the figures reported by Ming et al., Nat. Commun. 17, 3367 (2026) — not the paper’s fitted
                values, which are not available. Every shipped default is ours.
              </>
            )}
          </p>
          <ParamEditor draft={draft} state={state} onText={onText} onSource={onSource} />
          {state.other.length > 0 && (
            <ul className="dev-problems">
              {state.other.map((p, k) => (
                <li key={k}>{p}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="dev-right">
          <StimulusBar texts={stimTexts} onChange={setStimTexts} noise={noise} onNoise={setNoise} />
          {!state.preset && (
            <p className="dev-stale" role="status">
              A parameter has a problem: the curves show the last valid parameters.
            </p>
          )}
          {computed.failure ? (
            <p className="error-text" role="alert">
              The curves could not be computed: {computed.failure}
            </p>
          ) : (
            <CurveCharts models={computed.models} stimulus={stimulus} />
          )}
        </div>
      </div>

      <FitPanel
        editing={state.preset}
        onOpen={(preset) => {
          setDraft(newDraft(preset, 'new'));
          setNotice(`Opened the fitted preset “${preset.name}” in the editor; save it with “Save as…”.`);
          window.scrollTo({ top: 0 });
          document.querySelector('.content')?.scrollTo({ top: 0 });
        }}
      />
    </section>
  );
}
