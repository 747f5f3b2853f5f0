/** The parameter form of one block: the fields its kind takes, each with its problems. */
import { childPath, SWEEP_PARAMETERS, SWEEP_PARAMETER_NAMES, type Quantity, type ReadAfterOf, type SweepParameter } from '../../../shared/protocol';
import type { UnitSymbol } from '../../../shared/units';
import { CheckField, FieldErrors, QuantityField, SelectField, TextField, ValuesField } from './fields';
import { CONVERGE_FIELDS, ConvergeFields, FORMING_FIELDS, FormingFields } from './FeedbackFields';
import { IV_SWEEP_FIELDS, IvSweepFields } from './IvSweepFields';
import { ReadSettingsFields } from './ReadSettingsFields';
import type { EBlock } from './model';
import { fieldId, type ProblemIndex } from './problems';

export interface FormContext {
  problems: ProblemIndex;
  disabled: boolean;
  /** Parameters an enclosing sweep sets (their own fields may be left empty). */
  bound: ReadonlySet<SweepParameter>;
  /** The document's read settings, for placeholders. */
  readDefaults: { voltage: string; integration: string };
  setField: (id: string, key: string, value: unknown) => void;
  seal: () => void;
}

/** Paths of the fields a block's form shows; problems elsewhere in the block go to its header. */
export function claimedPaths(b: EBlock, path: string): string[] {
  const keys = ['label', ...FIELDS_OF[b.kind]];
  return keys.map((k) => childPath(path, k));
}

const FIELDS_OF: Record<EBlock['kind'], readonly string[]> = {
  pulse: ['amplitude', 'width', 'compliance', 'read'],
  train: ['count', 'amplitude', 'width', 'period', 'read'],
  read: ['voltage', 'integration', 'count', 'interval'],
  wait: ['duration', 'readEvery', 'read'],
  ramp: ['from', 'to', 'step', 'width', 'period', 'read'],
  repeat: ['times'],
  sweep: ['parameter', 'values'],
  until: ['when', 'threshold', 'relative', 'maxIterations'],
  'iv-sweep': IV_SWEEP_FIELDS,
  forming: FORMING_FIELDS,
  converge: CONVERGE_FIELDS,
};

const SWEEP_LABELS: Record<SweepParameter, string> = {
  amplitude: 'Amplitude (pulse, train)',
  width: 'Width (pulse, train, ramp)',
  period: 'Period (train, ramp)',
  duration: 'Duration (wait)',
  interval: 'Interval (read)',
};

export function BlockForm({ block, path, ctx }: { block: EBlock; path: string; ctx: FormContext }) {
  const id = block.id!;
  const { problems, disabled, bound } = ctx;
  const set = (key: string) => (value: unknown) => ctx.setField(id, key, value);
  const raw = block as unknown as Record<string, Quantity | undefined>;
  const q = (key: string, label: string, unit: UnitSymbol, extra: { placeholder?: string; count?: boolean; hint?: string } = {}) => {
    const sweepable = key in SWEEP_PARAMETERS && bound.has(key as SweepParameter);
    return (
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
        placeholder={sweepable ? 'set by the sweep' : extra.placeholder}
        count={extra.count}
        hint={extra.hint}
      />
    );
  };
  const readAfter = (label: string) => <ReadAfter key="read" block={block} path={path} label={label} ctx={ctx} />;

  let fields: React.ReactNode[];
  switch (block.kind) {
    case 'pulse':
      fields = [q('amplitude', 'Amplitude', 'V'), q('width', 'Width', 's'), q('compliance', 'Compliance', 'A', { placeholder: 'none' }), readAfter('Read after the pulse')];
      break;
    case 'train':
      fields = [q('count', 'Count', '', { count: true }), q('amplitude', 'Amplitude', 'V'), q('width', 'Width', 's'), q('period', 'Period', 's'), readAfter('Read after each pulse')];
      break;
    case 'read':
      fields = [
        q('voltage', 'Voltage', 'V', { placeholder: ctx.readDefaults.voltage }),
        q('integration', 'Integration', 's', { placeholder: ctx.readDefaults.integration }),
        q('count', 'Count', '', { count: true, placeholder: '1' }),
        q('interval', 'Interval', 's', { placeholder: 'needed for count > 1' }),
      ];
      break;
    case 'wait':
      fields = [q('duration', 'Duration', 's'), q('readEvery', 'Read every', 's', { placeholder: 'no reads' }), <WaitReadSettings key="read" block={block} path={path} ctx={ctx} />];
      break;
    case 'ramp':
      fields = [
        q('from', 'From', 'V'),
        q('to', 'To', 'V'),
        q('step', 'Step', 'V'),
        q('width', 'Width', 's'),
        q('period', 'Period', 's'),
        readAfter('Read after each pulse'),
      ];
      break;
    case 'repeat':
      fields = [q('times', 'Times', '', { count: true })];
      break;
    case 'sweep': {
      const parameter = block.parameter;
      const unit: UnitSymbol = parameter && parameter in SWEEP_PARAMETERS ? SWEEP_PARAMETERS[parameter].unit : '';
      fields = [
        <SelectField
          key="parameter"
          path={childPath(path, 'parameter')}
          label="Parameter"
          value={parameter}
          options={SWEEP_PARAMETER_NAMES.map((p) => ({ value: p, label: SWEEP_LABELS[p] }))}
          onChange={set('parameter')}
          problems={problems}
          disabled={disabled}
        />,
        <ValuesField
          key="values"
          path={childPath(path, 'values')}
          label="Values"
          unit={unit}
          values={Array.isArray(block.values) ? block.values : undefined}
          onChange={set('values')}
          onSeal={ctx.seal}
          problems={problems}
          disabled={disabled}
        />,
      ];
      break;
    }
    case 'until':
      fields = [
        <SelectField
          key="when"
          path={childPath(path, 'when')}
          label="Stop when G is"
          value={block.when}
          options={[
            { value: 'below', label: 'below' },
            { value: 'above', label: 'above' },
          ]}
          onChange={set('when')}
          problems={problems}
          disabled={disabled}
        />,
        q('threshold', 'Threshold', 'S', { placeholder: 'or relative →' }),
        q('relative', 'Relative to starting G', '', { placeholder: "e.g. '50 %'" }),
        q('maxIterations', 'At most (iterations)', '', { count: true }),
      ];
      break;
    case 'iv-sweep':
      fields = [<IvSweepFields key="iv-sweep" block={block} path={path} ctx={ctx} />];
      break;
    case 'forming':
      fields = [<FormingFields key="forming" block={block} path={path} ctx={ctx} />];
      break;
    case 'converge':
      fields = [<ConvergeFields key="converge" block={block} path={path} ctx={ctx} />];
      break;
  }
  return (
    <div className="pe-block-form">
      {fields}
      <TextField
        path={childPath(path, 'label')}
        label="Label"
        wide
        value={block.label}
        onChange={set('label')}
        onSeal={ctx.seal}
        problems={problems}
        disabled={disabled}
        placeholder="optional"
      />
    </div>
  );
}

/** read: true / false / {voltage, integration} after each pulse, as a checkbox with optional overrides. */
function ReadAfter({ block, path, label, ctx }: { block: EBlock; path: string; label: string; ctx: FormContext }) {
  const value = (block as { read?: ReadAfterOf<Quantity> }).read;
  const checked = value !== undefined && value !== false;
  const settings = typeof value === 'object' ? value : {};
  const readPath = childPath(path, 'read');
  return (
    <div className="pe-field-group pe-field-wide">
      <CheckField id={fieldId(readPath)} label={label} checked={checked} disabled={ctx.disabled} onChange={(on) => ctx.setField(block.id!, 'read', on ? true : undefined)} />
      {/* With no setting of its own the read after a pulse is still on: `true`. */}
      {checked && <ReadSettingsFields block={block} readPath={readPath} settings={settings} whenEmpty={true} ctx={ctx} />}
      <FieldErrors id={`${fieldId(readPath)}-errors`} problems={ctx.problems.at(readPath)} />
    </div>
  );
}

/** A wait's `read` is the settings of the reads taken every `readEvery`. */
function WaitReadSettings({ block, path, ctx }: { block: EBlock; path: string; ctx: FormContext }) {
  const raw = (block as { read?: ReadAfterOf<Quantity>; readEvery?: Quantity }).read;
  const readPath = childPath(path, 'read');
  const settings = typeof raw === 'object' ? raw : {};
  const hasReads = (block as { readEvery?: Quantity }).readEvery !== undefined;
  if (!hasReads && raw === undefined) return null;
  return (
    <div className="pe-field-group pe-field-wide">
      {/* A wait's reads follow readEvery: with no setting of its own, `read` goes away. */}
      <ReadSettingsFields block={block} readPath={readPath} settings={settings} whenEmpty={undefined} ctx={ctx} />
      <FieldErrors id={`${fieldId(readPath)}-errors`} problems={ctx.problems.at(readPath)} />
    </div>
  );
}
