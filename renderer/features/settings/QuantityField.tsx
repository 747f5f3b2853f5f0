import type { FieldCheck } from './quantity';

interface Props {
  id: string;
  label: string;
  text: string;
  onText: (text: string) => void;
  check: FieldCheck;
  /** A short explanation under the field. */
  hint?: string;
  placeholder?: string;
}

/** A labelled text input that accepts values with SI prefixes and units, validated as you type. */
export function QuantityField({ id, label, text, onText, check, hint, placeholder }: Props) {
  const messageId = `${id}-message`;
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <div className="field">
        <input
          id={id}
          className="mono quantity-input"
          value={text}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          aria-invalid={!check.ok}
          aria-describedby={messageId}
          onChange={(e) => onText(e.target.value)}
        />
        <span id={messageId} className={check.ok ? 'field-hint muted' : 'field-error'} role={check.ok ? undefined : 'alert'}>
          {check.ok ? hint : `${label}: ${check.message}.`}
        </span>
      </div>
    </>
  );
}
