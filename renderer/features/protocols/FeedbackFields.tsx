/** The forms of the feedback blocks: forming (a staircase or pulses up to a maximum voltage until a target) and converge (pulses until G is within a band). */
import { childPath, type ConvergeBlockOf, type FormingBlockOf, type FormingMode, type Quantity } from '../../../shared/protocol';
import type { UnitSymbol } from '../../../shared/units';
import type { FormContext } from './BlockForm';
import { FieldErrors, QuantityField, SelectField } from './fields';
import { ComplianceFields } from './IvSweepFields';
import { fieldId } from './problems';
import { ReadSettingsFields } from './ReadSettingsFields';

export const FORMING_FIELDS = ['mode', 'from', 'to', 'step', 'width', 'period', 'compliance', 'targetCurrent', 'targetResistance', 'read'] as const;
export const CONVERGE_FIELDS = ['low', 'high', 'setAmplitude', 'setWidth', 'resetAmplitude', 'resetWidth', 'maxPulses', 'compliance', 'read'] as const;

type Q = (key: string, label: string, unit: UnitSymbol, extra?: { placeholder?: string; count?: boolean }) => React.ReactNode;

function quantityFields(block: { id?: string }, path: string, ctx: FormContext): Q {
  const raw = block as unknown as Record<string, Quantity | undefined>;
  return (key, label, unit, extra = {}) => (
    <QuantityField
      key={key}
      path={childPath(path, key)}
      label={label}
      unit={unit}
      value={raw[key]}
      onChange={(v) => ctx.setField(block.id!, key, v)}
      onSeal={ctx.seal}
      problems={ctx.problems}
      disabled={ctx.disabled}
      placeholder={extra.placeholder}
      count={extra.count}
    />
  );
}

/** The settings of a feedback block's reads (it always reads; `read` only changes how). */
function FeedbackReads({ block, path, ctx }: { block: { id?: string; read?: unknown }; path: string; ctx: FormContext }) {
  const readPath = childPath(path, 'read');
  const settings = typeof block.read === 'object' && block.read !== null ? (block.read as { voltage?: Quantity; integration?: Quantity }) : {};
  return (
    <div className="pe-field-group pe-field-wide">
      <ReadSettingsFields block={block} readPath={readPath} settings={settings} whenEmpty={undefined} ctx={ctx} />
      <FieldErrors id={`${fieldId(readPath)}-errors`} problems={ctx.problems.at(readPath)} />
    </div>
  );
}

export function FormingFields({ block, path, ctx }: { block: Partial<FormingBlockOf<Quantity>> & { id?: string }; path: string; ctx: FormContext }) {
  const q = quantityFields(block, path, ctx);
  const pulses = block.mode === 'pulses';
  const raw = block as unknown as Record<string, unknown>;
  // A field of the other mode stays while it has a value, so its problem has a place to show.
  const shown = (key: string) => raw[key] !== undefined;
  return (
    <>
      <SelectField<FormingMode>
        key="mode"
        path={childPath(path, 'mode')}
        label="Mode"
        value={block.mode ?? 'staircase'}
        options={[
          { value: 'staircase', label: 'staircase' },
          { value: 'pulses', label: 'pulses, a read after each' },
        ]}
        onChange={(v) => ctx.setField(block.id!, 'mode', v === 'staircase' ? undefined : v)}
        problems={ctx.problems}
        disabled={ctx.disabled}
      />
      {q('from', 'From', 'V')}
      {q('to', 'Maximum voltage (to)', 'V')}
      {q('step', 'Step', 'V')}
      {q('width', pulses ? 'Pulse width' : 'Dwell per step', 's')}
      {(pulses || shown('period')) && q('period', 'Period', 's', { placeholder: 'back to back' })}
      {q('compliance', 'Compliance', 'A')}
      {q('targetCurrent', 'Target |I| ≥', 'A', { placeholder: 'or a resistance →' })}
      {q('targetResistance', 'Target R ≤', 'Ω', { placeholder: 'or a current ←' })}
      {(pulses || shown('read')) && <FeedbackReads key="read" block={block} path={path} ctx={ctx} />}
    </>
  );
}

export function ConvergeFields({ block, path, ctx }: { block: Partial<ConvergeBlockOf<Quantity>> & { id?: string }; path: string; ctx: FormContext }) {
  const q = quantityFields(block, path, ctx);
  return (
    <>
      {q('low', 'Band: G from', 'S')}
      {q('high', 'Band: G up to', 'S')}
      {q('setAmplitude', 'SET amplitude (G below)', 'V')}
      {q('setWidth', 'SET width', 's')}
      {q('resetAmplitude', 'RESET amplitude (G above)', 'V')}
      {q('resetWidth', 'RESET width', 's')}
      {q('maxPulses', 'At most (pulses)', '', { count: true })}
      <ComplianceFields key="compliance" block={block} path={path} ctx={ctx} />
      <FeedbackReads key="read" block={block} path={path} ctx={ctx} />
    </>
  );
}
