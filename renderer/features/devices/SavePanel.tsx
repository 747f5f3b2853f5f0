/**
 * Saving the edited parameters as a preset of the user's own: a name (the preset format's rule,
 * checked as you type), a title, and — when a saved preset already has that name — an explicit
 * choice to replace it. Shipped presets are read-only and their names are refused.
 */
import { useState } from 'react';
import type { DevicePresetEntry } from '../../../shared/contract/areas/devices';
import { parseDevicePreset, type DevicePreset } from '../../../shared/device';
import { sentence } from './ParamEditor';

export function suggestedName(base: DevicePreset, origin: 'shipped' | 'saved' | 'new'): string {
  if (origin !== 'shipped') return base.name;
  return `${base.name}-mine`.slice(0, 64);
}

export function SavePanel({
  preset,
  origin,
  entries,
  blocked,
  onSave,
  onCancel,
}: {
  /** The valid preset the editor holds, or null while a field has a problem. */
  preset: DevicePreset | null;
  origin: 'shipped' | 'saved' | 'new';
  entries: readonly DevicePresetEntry[];
  /** Why nothing can be saved now (a field has a problem). */
  blocked: string | null;
  onSave: (preset: DevicePreset, overwrite: boolean) => Promise<void>;
  onCancel: () => void;
}) {
  const base = preset;
  const [name, setName] = useState(() => (base ? suggestedName(base, origin) : ''));
  const [title, setTitle] = useState(() => (base ? base.title.replace(/ \((workbench calibration|workbench model)\)$/, '') : ''));
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);

  const shipped = entries.some((e) => e.origin === 'shipped' && e.name === name);
  const taken = entries.some((e) => e.origin === 'saved' && e.name === name);
  let nameError: string | null = null;
  let titleError: string | null = null;
  let candidate: DevicePreset | null = null;
  if (base) {
    const parsed = parseDevicePreset({ ...base, name, title });
    if (parsed.ok) candidate = parsed.preset;
    else {
      nameError = parsed.problems.find((p) => p.path === 'name')?.message ?? null;
      titleError = parsed.problems.find((p) => p.path === 'title')?.message ?? null;
    }
  }
  if (!nameError && shipped) nameError = `"${name}" is a shipped preset, which is read-only: choose another name`;
  const why = blocked ?? (nameError || titleError ? 'Fix the name and title first.' : taken && !replace ? `A saved preset is called "${name}": tick “Replace it” or choose another name.` : null);

  const save = async () => {
    if (!candidate || why || busy) return;
    setBusy(true);
    try {
      await onSave(candidate, taken && replace);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="dev-save"
      aria-label="Save as a new preset"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="dev-save-field">
        <label htmlFor="dev-save-name">Name</label>
        <input
          id="dev-save-name"
          className="dev-input mono"
          value={name}
          autoComplete="off"
          spellCheck={false}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? 'dev-save-name-error' : undefined}
        />
        {nameError && (
          <p className="dev-field-error" id="dev-save-name-error">
            {sentence(nameError)}
          </p>
        )}
      </div>
      <div className="dev-save-field dev-save-title">
        <label htmlFor="dev-save-title">Title</label>
        <input
          id="dev-save-title"
          className="dev-input"
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={titleError ? true : undefined}
          aria-describedby={titleError ? 'dev-save-title-error' : undefined}
        />
        {titleError && (
          <p className="dev-field-error" id="dev-save-title-error">
            {sentence(titleError)}
          </p>
        )}
      </div>
      {taken && (
        <label className="dev-check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} /> Replace it
        </label>
      )}
      <div className="dev-save-actions">
        <button type="submit" className="primary" disabled={why !== null || busy}>
          {busy ? 'Saving…' : 'Save preset'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        {why && <span className="muted dev-why">{why}</span>}
      </div>
    </form>
  );
}
