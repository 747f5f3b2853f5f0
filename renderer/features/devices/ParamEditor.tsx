/**
 * The parameters of the preset being edited: one row per parameter with its label and unit, the
 * value as typed (SI prefixes accepted: "10u", "150 s", "2.5 min"), where the value comes from
 * ("ours" = the workbench's own calibration), and the problem with it in a sentence, as you type.
 */
import { parameterSources, type ParameterSource } from '../../../shared/device';
import { baseValue, fieldsFor, formatValue, isParameterSource, type Draft, type DraftState, type FieldSpec } from './draft';

const SOURCE_TITLES: Record<ParameterSource, string> = {
  ours: 'ours — the workbench’s own value (for the paper’s model, its calibration to the figures reported by Ming et al. 2026), not a value from a paper or a device',
  fitted: 'fitted — from a least-squares fit to a measured run',
  measured: 'measured — entered by you (a measurement, an estimate)',
  literature: 'literature — taken from a publication',
};

export function ParamEditor({
  draft,
  state,
  onText,
  onSource,
}: {
  draft: Draft;
  state: DraftState;
  onText: (path: string, text: string) => void;
  onSource: (key: string, source: ParameterSource) => void;
}) {
  const fields = fieldsFor(draft.base.model);
  const params = fields.filter((f) => f.group === 'params');
  const rest = fields.filter((f) => f.group !== 'params');
  return (
    <div className="dev-params" data-testid="param-editor">
      <table className="dev-param-table">
        <caption className="dev-caption">Model parameters</caption>
        <Columns />
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col">Value</th>
            <th scope="col">
              <abbr title="Where the value comes from. Every shipped default is ours: the workbench’s own calibration, not the paper’s fitted values.">Source</abbr>
            </th>
          </tr>
        </thead>
        <tbody>
          {params.map((f) => (
            <FieldRow key={f.path} field={f} draft={draft} state={state} onText={onText}>
              <select
                className={`dev-source dev-source-${state.provenance[f.key]}`}
                aria-label={`Source of ${f.info.label}`}
                title={SOURCE_TITLES[state.provenance[f.key] ?? 'ours']}
                value={state.provenance[f.key]}
                onChange={(e) => isParameterSource(e.target.value) && onSource(f.key, e.target.value)}
              >
                {parameterSources.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </FieldRow>
          ))}
        </tbody>
      </table>
      <table className="dev-param-table">
        <caption className="dev-caption">Reads and variation</caption>
        <Columns />
        <tbody>
          {rest.map((f) => (
            <FieldRow key={f.path} field={f} draft={draft} state={state} onText={onText}>
              <span className="muted dev-source-none">{f.group === 'variation' ? 'σ' : ''}</span>
            </FieldRow>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Columns() {
  return (
    <colgroup>
      <col className="dev-col-label" />
      <col className="dev-col-value" />
      <col className="dev-col-source" />
    </colgroup>
  );
}

function FieldRow({
  field,
  draft,
  state,
  onText,
  children,
}: {
  field: FieldSpec;
  draft: Draft;
  state: DraftState;
  onText: (path: string, text: string) => void;
  children: React.ReactNode;
}) {
  const id = `dev-field-${field.path.replace(/\./g, '-')}`;
  const error = state.errors[field.path];
  const text = draft.texts[field.path] ?? formatValue(baseValue(draft.base, field), field);
  const unit = field.percent ? '%' : field.info.unit;
  const edited = state.edited.has(field.path);
  return (
    <>
      <tr className={`dev-param-row${error ? ' has-error' : ''}${edited ? ' is-edited' : ''}`}>
        <th scope="row">
          <label htmlFor={id} title={field.info.description}>
            {field.info.label}
            {unit !== '' && <span className="dev-unit"> ({unit})</span>}
          </label>
        </th>
        <td>
          <input
            id={id}
            className="dev-input mono"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            onChange={(e) => onText(field.path, e.target.value)}
          />
        </td>
        <td>{children}</td>
      </tr>
      {error && (
        <tr className="dev-error-row">
          <td colSpan={3}>
            <p className="dev-field-error" id={`${id}-error`} role="alert">
              {sentence(error)}
            </p>
          </td>
        </tr>
      )}
    </>
  );
}

/** Messages are sentences on the page; they start with a field name ("tauG must be …"), which keeps its case. */
export function sentence(message: string): string {
  const m = message.trim();
  return m === '' || /[.!?]$/.test(m) ? m : `${m}.`;
}
