/**
 * Fields of the RL set-up. Each edits one path of the draft, shows the problems parseExperiment
 * reports there (in sentences, as you type) and says whose value it holds: "ours" while it is the
 * value the workbench shipped, "edited" once the user changed it.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { formatSI, parseQuantity, type UnitSymbol } from '../../../shared/units';
import { getAt, isOurs, pathText, type Draft, type DraftCheck, type Json, type Path } from './draft';
import { useFollowedText } from '../protocols/fields';

export const OURS_TITLE = "Chosen by the workbench (calibrated by us, not taken from the paper, whose full text is not available to us). Edit it freely.";

export function Provenance({ draft, path }: { draft: Draft; path: Path }) {
  if (getAt(draft.origin, path) === undefined) return null;
  return isOurs(draft, path) ? (
    <abbr className="rl-ours" title={OURS_TITLE}>
      ours
    </abbr>
  ) : (
    <span className="rl-edited" title={editedTitle(getAt(draft.origin, path))}>
      edited
    </span>
  );
}

function editedTitle(original: Json | undefined): string {
  const text = JSON.stringify(original);
  return typeof original === 'object' && original !== null ? 'Changed from the preset' : `Changed from the preset's ${text}`;
}

export function Problems({ id, messages }: { id: string; messages: readonly string[] }) {
  if (messages.length === 0) return null;
  return (
    <ul className="rl-field-errors" id={id}>
      {messages.map((m, k) => (
        <li key={k}>{sentence(m)}</li>
      ))}
    </ul>
  );
}

export function sentence(message: string): string {
  const s = message.trim();
  return s.length === 0 ? s : `${s[0]!.toUpperCase()}${s.slice(1)}${/[.!?]$/.test(s) ? '' : '.'}`;
}

interface FieldProps {
  label: ReactNode;
  path: Path;
  draft: Draft;
  check: DraftCheck;
  onChange: (path: Path, value: Json | undefined) => void;
  hint?: ReactNode;
  disabled?: boolean;
}

function textOf(value: Json | undefined, unit: UnitSymbol | null): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return unit ? formatSI(value, unit) : String(value);
  return String(value);
}

/** A number ("0.95"), or with a unit a physical value ("1.3 V", "10 ms"). */
export function NumberField({ label, path, draft, check, onChange, hint, disabled, unit = null, optional = false }: FieldProps & { unit?: UnitSymbol | null; optional?: boolean }) {
  const id = useId();
  const value = getAt(draft.doc, path);
  const [text, setText] = useState(() => textOf(value, unit));
  // Follow the draft when it changes from elsewhere (a preset loaded, a stored run copied).
  useEffect(() => {
    setText((t) => {
      const parsed = parseQuantity(t, unit ?? '');
      return parsed.ok && parsed.value === value ? t : textOf(value, unit);
    });
  }, [value, unit]);
  const errors = check.byPath.get(pathText(path)) ?? [];
  return (
    <div className={`rl-field${errors.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {unit ? <span className="muted"> ({unit})</span> : null} <Provenance draft={draft} path={path} />
      </label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        value={text}
        disabled={disabled}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={errors.length > 0 ? `${id}-errors` : undefined}
        onChange={(e) => {
          const t = e.target.value;
          setText(t);
          if (t.trim() === '' && optional) return onChange(path, undefined);
          const parsed = parseQuantity(t, unit ?? '');
          onChange(path, parsed.ok ? parsed.value : t);
        }}
      />
      {hint && <div className="rl-hint">{hint}</div>}
      <Problems id={`${id}-errors`} messages={errors} />
    </div>
  );
}

export function SelectField({ label, path, draft, check, onChange, options, disabled, hint }: FieldProps & { options: readonly { value: string; label: string }[] }) {
  const id = useId();
  const value = getAt(draft.doc, path);
  const errors = check.byPath.get(pathText(path)) ?? [];
  return (
    <div className={`rl-field${errors.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label} <Provenance draft={draft} path={path} />
      </label>
      {/* The title: a long strategy name the select's width cuts is whole on hover. */}
      <select
        id={id}
        value={typeof value === 'string' ? value : ''}
        title={options.find((o) => o.value === value)?.label}
        disabled={disabled}
        onChange={(e) => onChange(path, e.target.value)}
        aria-invalid={errors.length > 0 || undefined}
      >
        {typeof value !== 'string' && <option value="">(custom)</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && <div className="rl-hint">{hint}</div>}
      <Problems id={`${id}-errors`} messages={errors} />
    </div>
  );
}

function shownOf(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value);
}

export function TextField({ label, path, draft, check, onChange, parse, hint }: FieldProps & { parse?: (text: string) => Json }) {
  const id = useId();
  const value = getAt(draft.doc, path);
  // Follows the draft when it changes from elsewhere, not while it echoes what is typed.
  const [text, type] = useFollowedText(shownOf(value));
  const errors = check.byPath.get(pathText(path)) ?? [];
  return (
    <div className={`rl-field${errors.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label} <Provenance draft={draft} path={path} />
      </label>
      <input
        id={id}
        type="text"
        value={text}
        aria-invalid={errors.length > 0 || undefined}
        onChange={(e) => {
          const next = parse ? parse(e.target.value) : e.target.value;
          type(e.target.value, shownOf(next));
          onChange(path, next);
        }}
      />
      {hint && <div className="rl-hint">{hint}</div>}
      <Problems id={`${id}-errors`} messages={errors} />
    </div>
  );
}
