/** The read voltage and integration of a block's `read` (defaults shown as placeholders): BlockForm's and the feedback blocks'. */
import { childPath, type Quantity } from '../../../shared/protocol';
import type { FormContext } from './BlockForm';
import { QuantityField } from './fields';

export function ReadSettingsFields({
  block,
  readPath,
  settings,
  whenEmpty,
  ctx,
}: {
  block: { id?: string };
  readPath: string;
  settings: { voltage?: Quantity; integration?: Quantity };
  /** What `read` becomes when both settings are cleared. */
  whenEmpty: true | undefined;
  ctx: FormContext;
}) {
  const update = (key: 'voltage' | 'integration', v: string | undefined) => {
    const next: Record<string, Quantity> = { ...settings };
    if (v === undefined) delete next[key];
    else next[key] = v;
    ctx.setField(block.id!, 'read', Object.keys(next).length === 0 ? whenEmpty : next);
  };
  const fields = [
    { key: 'voltage', label: 'Read voltage', unit: 'V' },
    { key: 'integration', label: 'Read integration', unit: 's' },
  ] as const;
  return (
    <div className="pe-field-subgrid">
      {fields.map((f) => (
        <QuantityField
          key={f.key}
          path={childPath(readPath, f.key)}
          label={f.label}
          unit={f.unit}
          value={settings[f.key]}
          placeholder={ctx.readDefaults[f.key]}
          onChange={(v) => update(f.key, v)}
          onSeal={ctx.seal}
          problems={ctx.problems}
          disabled={ctx.disabled}
        />
      ))}
    </div>
  );
}
