/**
 * Form fields of the editor. Each takes the value as typed, shows the value it reads as ("= 10 ms"),
 * and shows the validation problems whose path is its own, in sentences, as you type.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Problem, Quantity } from '../../../shared/protocol';
import { formatCount, formatPercent, formatSI, parseQuantity, type UnitSymbol } from '../../../shared/units';
import { fieldId, sentence, type ProblemIndex } from './problems';

interface Common {
  /** The document path the field edits; problems at it are shown here. */
  path: string;
  label: string;
  problems: ProblemIndex;
  disabled?: boolean;
  /** Ends the field's undo step (on blur). */
  onSeal?: () => void;
  /** A hint under the field, e.g. where a default comes from. */
  hint?: ReactNode;
  wide?: boolean;
}

export function FieldErrors({ id, problems }: { id: string; problems: readonly Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="pe-field-errors" id={id}>
      {problems.map((p, k) => (
        <li key={k}>{sentence(p.message)}</li>
      ))}
    </ul>
  );
}

/** How a value reads: "= 10 ms"; empty when it does not parse (the problem says why). */
export function normalised(text: string, unit: UnitSymbol, count: boolean): string {
  if (text.trim() === '') return '';
  const parsed = parseQuantity(text, unit);
  if (!parsed.ok) return '';
  if (count) return `= ${formatCount(parsed.value)}`;
  if (unit === '') return `= ${formatPercent(parsed.value)}`;
  return `= ${formatSI(parsed.value, unit)}`;
}

const textOf = (v: Quantity | undefined): string => (v === undefined ? '' : String(v));

/** A physical value ("2 V", "10m", "1.5e-3") or, with `count`, a whole number. */
export function QuantityField(
  props: Common & {
    unit: UnitSymbol;
    value: Quantity | undefined;
    onChange: (value: string | undefined) => void;
    placeholder?: string;
    count?: boolean;
  },
) {
  const { path, label, problems, disabled, onSeal, hint, unit, value, onChange, placeholder, count = false } = props;
  const id = fieldId(path);
  const errors = problems.at(path);
  const text = textOf(value);
  const shown = normalised(text, count ? '' : unit, count);
  const describedBy = [errors.length > 0 ? `${id}-errors` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`pe-field${props.wide ? ' pe-field-wide' : ''}${errors.length > 0 ? ' pe-has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {!count && unit !== '' && <span className="pe-field-unit"> ({unit})</span>}
      </label>
      <div className="pe-field-row">
        <input
          id={id}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={text}
          placeholder={placeholder}
          disabled={disabled}
          aria-invalid={errors.length > 0 || undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : e.target.value)}
          onBlur={onSeal}
        />
        <span className="pe-field-norm mono" data-testid={`norm-${path}`}>
          {shown}
        </span>
      </div>
      {hint && (
        <p className="pe-field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrors id={`${id}-errors`} problems={errors} />
    </div>
  );
}

export function TextField(
  props: Common & { value: string | undefined; onChange: (value: string | undefined) => void; multiline?: boolean; placeholder?: string; required?: boolean },
) {
  const { path, label, problems, disabled, onSeal, value, onChange, multiline, placeholder } = props;
  const id = fieldId(path);
  const errors = problems.at(path);
  const common = {
    id,
    value: value ?? '',
    disabled,
    placeholder,
    'aria-invalid': errors.length > 0 || undefined,
    'aria-describedby': errors.length > 0 ? `${id}-errors` : undefined,
    onBlur: onSeal,
  };
  return (
    <div className={`pe-field${props.wide ? ' pe-field-wide' : ''}${errors.length > 0 ? ' pe-has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      ) : (
        <input {...common} type="text" autoComplete="off" onChange={(e) => onChange(props.required || e.target.value !== '' ? e.target.value : undefined)} />
      )}
      <FieldErrors id={`${id}-errors`} problems={errors} />
    </div>
  );
}

export function SelectField<T extends string>(
  props: Common & { value: T | undefined; options: readonly { value: T; label: string }[]; onChange: (value: T) => void },
) {
  const { path, label, problems, disabled, value, options, onChange } = props;
  const id = fieldId(path);
  const errors = problems.at(path);
  return (
    <div className={`pe-field${errors.length > 0 ? ' pe-has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        disabled={disabled}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={errors.length > 0 ? `${id}-errors` : undefined}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {value === undefined && <option value="">Choose…</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldErrors id={`${id}-errors`} problems={errors} />
    </div>
  );
}

export function CheckField(props: { id: string; label: string; checked: boolean; disabled?: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div className="pe-field pe-field-check">
      <input id={props.id} type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} />
      <label htmlFor={props.id}>{props.label}</label>
    </div>
  );
}

/**
 * A list of values in one input, separated by commas ("100 ms, 200 ms, 1 s"). The text is kept as
 * typed while the list follows it, so the cursor never jumps; each value's problems show below.
 */
export function ValuesField(props: Common & { unit: UnitSymbol; values: readonly Quantity[] | undefined; onChange: (values: string[]) => void }) {
  const { path, label, problems, disabled, onSeal, unit, values, onChange } = props;
  const id = fieldId(path);
  const joined = (values ?? []).map(String).join(', ');
  const [text, setText] = useFollowedText(joined);
  const errors = problems.within(path);
  const parts = text.split(',').map((s) => s.trim());
  const shown = parts.every((p) => p === '' || parseQuantity(p, unit).ok) ? parts.filter((p) => p !== '').map((p) => normalised(p, unit, false).slice(2)).join(', ') : '';
  const localId = useId();
  return (
    <div className={`pe-field pe-field-wide${errors.length > 0 ? ' pe-has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {unit !== '' && <span className="pe-field-unit"> ({unit}, separated by commas)</span>}
      </label>
      <input
        id={id}
        type="text"
        autoComplete="off"
        spellCheck={false}
        value={text}
        disabled={disabled}
        aria-invalid={errors.length > 0 || undefined}
        aria-describedby={`${localId}-norm${errors.length > 0 ? ` ${id}-errors` : ''}`}
        onChange={(e) => {
          const list = e.target.value.trim() === '' ? [] : e.target.value.split(',').map((s) => s.trim());
          setText(e.target.value, list.join(', '));
          onChange(list);
        }}
        onBlur={onSeal}
      />
      <span className="pe-field-norm mono" id={`${localId}-norm`}>
        {shown === '' ? '' : `= ${shown}`}
      </span>
      <FieldErrors id={`${id}-errors`} problems={errors.map((p) => ({ ...p, message: prefixIndex(p, path) }))} />
    </div>
  );
}

function prefixIndex(p: Problem, path: string): string {
  const m = /^\[(\d+)\]/u.exec(p.path.slice(path.length));
  return m ? `value ${Number(m[1]) + 1}: ${p.message}` : p.message;
}

/**
 * The text of a field that edits a list as one string: it follows the document when the document
 * changes from elsewhere (undo, a load), not while the document echoes what is being typed, so the
 * cursor never jumps.
 */
export function useFollowedText(joined: string): [string, (typed: string, echo: string) => void] {
  const [text, setText] = useState(joined);
  const last = useRef(joined);
  useEffect(() => {
    if (joined !== last.current) {
      last.current = joined;
      setText(joined);
    }
  }, [joined]);
  // `echo` is how the document will join what was typed: its coming back is not a change from elsewhere.
  const type = (typed: string, echo: string) => {
    setText(typed);
    last.current = echo;
  };
  return [text, type];
}
