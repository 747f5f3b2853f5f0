/** The document's own settings: description, library tags, default read settings and self-imposed limits. */
import { DEFAULT_READ_INTEGRATION, DEFAULT_READ_VOLTAGE, LIMIT_INFO, LIMIT_NAMES, formatLimit, type Quantity, type SafetyLimits } from '../../../shared/protocol';
import { formatSI, type UnitSymbol } from '../../../shared/units';
import { QuantityField, TextField, useFollowedText } from './fields';
import type { EDoc } from './model';
import type { ProblemIndex } from './problems';
import type { EditorAction } from './state';

export function DocumentSettings({
  doc,
  tags,
  problems,
  readOnly,
  dispatch,
  ceiling,
}: {
  /** The workbench's limits, which the document's own may only tighten. */
  ceiling: SafetyLimits;
  doc: EDoc;
  tags: readonly string[];
  problems: ProblemIndex;
  readOnly: boolean;
  dispatch: (a: EditorAction) => void;
}) {
  const seal = () => dispatch({ type: 'seal' });
  const read = (doc.read ?? {}) as Record<string, Quantity | undefined>;
  const limits = (doc.limits ?? {}) as Record<string, Quantity | undefined>;
  const settingsProblems = problems.within('read').length + problems.within('limits').length + problems.within('description').length;
  return (
    <details className="pe-doc-settings" open={settingsProblems > 0 || undefined}>
      <summary>
        Document settings
        {settingsProblems > 0 && <span className="pe-problem-count">{settingsProblems}</span>}
      </summary>
      <div className="pe-block-form">
        <TextField
          path="description"
          label="Description"
          multiline
          wide
          value={doc.description}
          onChange={(v) => dispatch({ type: 'setDoc', section: null, key: 'description', value: v })}
          onSeal={seal}
          problems={problems}
          disabled={readOnly}
        />
        <TagsField tags={tags} disabled={readOnly} onChange={(t) => dispatch({ type: 'setTags', tags: t })} onSeal={seal} />
        <QuantityField
          path="read.voltage"
          label="Read voltage"
          unit="V"
          value={read.voltage}
          placeholder={formatSI(DEFAULT_READ_VOLTAGE, 'V')}
          onChange={(v) => dispatch({ type: 'setDoc', section: 'read', key: 'voltage', value: v })}
          onSeal={seal}
          problems={problems}
          disabled={readOnly}
          hint="Default of every read; the workbench's default when empty."
        />
        <QuantityField
          path="read.integration"
          label="Read integration"
          unit="s"
          value={read.integration}
          placeholder={formatSI(DEFAULT_READ_INTEGRATION, 's')}
          onChange={(v) => dispatch({ type: 'setDoc', section: 'read', key: 'integration', value: v })}
          onSeal={seal}
          problems={problems}
          disabled={readOnly}
        />
      </div>
      <h3 className="pe-subhead">Limits this protocol sets for itself</h3>
      <p className="pe-fine-print">A protocol may tighten the workbench&apos;s limits, never loosen them. Empty: the workbench&apos;s limit applies.</p>
      <div className="pe-block-form">
        {LIMIT_NAMES.map((name) => {
          const { unit, title } = LIMIT_INFO[name];
          const u: UnitSymbol = unit === 'ratio' || unit === 'count' ? '' : unit;
          return (
            <QuantityField
              key={name}
              path={`limits.${name}`}
              label={title.charAt(0).toUpperCase() + title.slice(1)}
              unit={u}
              count={unit === 'count'}
              value={limits[name]}
              placeholder={formatLimit(name, ceiling[name])}
              onChange={(v) => dispatch({ type: 'setDoc', section: 'limits', key: name, value: v })}
              onSeal={seal}
              problems={problems}
              disabled={readOnly}
            />
          );
        })}
      </div>
    </details>
  );
}

/** Tags as one comma-separated input; the list follows as you type. */
function TagsField({ tags, disabled, onChange, onSeal }: { tags: readonly string[]; disabled: boolean; onChange: (tags: string[]) => void; onSeal: () => void }) {
  const [text, setText] = useFollowedText(tags.join(', '));
  return (
    <div className="pe-field pe-field-wide">
      <label htmlFor="protocol-tags">
        Tags<span className="pe-field-unit"> (separated by commas; for the library)</span>
      </label>
      <input
        id="protocol-tags"
        type="text"
        autoComplete="off"
        value={text}
        disabled={disabled}
        onChange={(e) => {
          const list = [...new Set(e.target.value.split(',').map((t) => t.trim()).filter((t) => t !== ''))];
          setText(e.target.value, list.join(', '));
          onChange(list);
        }}
        onBlur={onSeal}
      />
    </div>
  );
}
