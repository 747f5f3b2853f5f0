/** The form of an I–V sweep block: its path, spacing, timing, cycles and compliance per polarity. */
import { childPath, type ComplianceOf, type IvSweepBlockOf, type Quantity } from '../../../shared/protocol';
import type { UnitSymbol } from '../../../shared/units';
import type { FormContext } from './BlockForm';
import { QuantityField, SelectField, ValuesField } from './fields';

export const IV_SWEEP_FIELDS = ['points', 'spacing', 'step', 'pointsPerDecade', 'floor', 'dwell', 'rate', 'cycles', 'compliance'] as const;

export function IvSweepFields({ block, path, ctx }: { block: Partial<IvSweepBlockOf<Quantity>> & { id?: string }; path: string; ctx: FormContext }) {
  const { problems, disabled } = ctx;
  const id = block.id!;
  const set = (key: string) => (value: unknown) => ctx.setField(id, key, value);
  const raw = block as unknown as Record<string, Quantity | undefined>;
  const log = block.spacing === 'log';
  const shown = (key: string) => raw[key] !== undefined;
  const q = (key: string, label: string, unit: UnitSymbol, extra: { placeholder?: string; count?: boolean } = {}) => (
    <QuantityField
      key={key}
      path={childPath(path, key)}
      label={label}
      unit={unit}
      value={raw[key]}
      onChange={set(key)}
      onSeal={ctx.seal}
      problems={problems}
      disabled={disabled}
      placeholder={extra.placeholder}
      count={extra.count}
    />
  );
  return (
    <>
      <ValuesField
        key="points"
        path={childPath(path, 'points')}
        label="Points (0 → +V → 0 → −V → 0)"
        unit="V"
        values={Array.isArray(block.points) ? block.points : undefined}
        onChange={set('points')}
        onSeal={ctx.seal}
        problems={problems}
        disabled={disabled}
      />
      <SelectField
        key="spacing"
        path={childPath(path, 'spacing')}
        label="Spacing"
        value={block.spacing ?? 'linear'}
        options={[
          { value: 'linear', label: 'linear (equal steps)' },
          { value: 'log', label: 'logarithmic in |V|' },
        ]}
        onChange={(v) => ctx.setField(id, 'spacing', v === 'linear' ? undefined : v)}
        problems={problems}
        disabled={disabled}
      />
      {/* A field of the other spacing stays while it has a value, so its problem has a place to show. */}
      {(!log || shown('step')) && q('step', 'Step', 'V')}
      {(log || shown('pointsPerDecade')) && q('pointsPerDecade', 'Points per decade', '', { count: true })}
      {(log || shown('floor')) && q('floor', 'Smallest |V|', 'V')}
      {q('dwell', 'Dwell per step', 's', { placeholder: log ? undefined : 'or a rate →' })}
      {(!log || shown('rate')) && q('rate', 'Sweep rate', 'V/s', { placeholder: 'or a dwell ←' })}
      {q('cycles', 'Cycles', '', { count: true, placeholder: '1' })}
      <ComplianceFields block={block} path={path} ctx={ctx} />
    </>
  );
}

/**
 * Compliance for V ≥ 0 and for V < 0. A single value applies to both and is edited in the first
 * field; changing either polarity on its own turns it into {positive, negative}.
 */
export function ComplianceFields({ block, path, ctx }: { block: { id?: string; compliance?: ComplianceOf<Quantity> }; path: string; ctx: FormContext }) {
  const c = block.compliance;
  const scalar = typeof c === 'number' || typeof c === 'string';
  const parts: { positive?: Quantity; negative?: Quantity } = scalar ? { positive: c, negative: c } : (c ?? {});
  const at = childPath(path, 'compliance');
  const update = (key: 'positive' | 'negative', v: string | undefined) => {
    const next: Record<string, Quantity> = {};
    for (const k of ['positive', 'negative'] as const) {
      const value = k === key ? v : parts[k];
      if (value !== undefined) next[k] = value;
    }
    ctx.setField(block.id!, 'compliance', Object.keys(next).length === 0 ? undefined : next);
  };
  return (
    <div className="pe-field-subgrid pe-field-wide">
      {(['positive', 'negative'] as const).map((k) => (
        <QuantityField
          key={k}
          // A single value's problems are at `compliance`: the first field shows them.
          path={scalar && k === 'positive' ? at : childPath(at, k)}
          label={k === 'positive' ? 'Compliance, V ≥ 0' : 'Compliance, V < 0'}
          unit="A"
          value={parts[k]}
          placeholder="the protocol’s limit"
          onChange={(v) => update(k, v)}
          onSeal={ctx.seal}
          problems={ctx.problems}
          disabled={ctx.disabled}
        />
      ))}
    </div>
  );
}
