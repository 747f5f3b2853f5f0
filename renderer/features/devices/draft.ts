/**
 * The preset being edited: the preset as loaded, the text typed into each field, and the sources
 * the user picked. Everything else is derived — each field's value and error, whether the whole
 * is a valid preset — so the text the user typed is never rewritten under the cursor and an
 * untouched field keeps its exact value (a fitted k_d of 0.0450057639 is not rounded to what is
 * shown).
 *
 * Field errors are the sentences of the unit parser ("expected a time such as '10 ms', got 'x'")
 * and of shared/device's parseDevicePreset ("tauG must be a positive number of seconds (got -1)").
 */
import {
  paramInfoList,
  parameterSources,
  parseDevicePreset,
  variationInfo,
  type DeviceKind,
  type DevicePreset,
  type ParamInfo,
  type ParameterSource,
} from '../../../shared/device';
import { formatSI, parseQuantity, type UnitSymbol } from '../../../shared/units';

export type Origin = 'shipped' | 'saved' | 'new';

export interface Draft {
  base: DevicePreset;
  /** shipped: read-only; saved: in the store; new: not saved yet (e.g. a fit's result). */
  origin: Origin;
  /** Text typed per field path ('params.kD', 'variation.c2c', 'readVoltage'); absent: untouched. */
  texts: Readonly<Record<string, string>>;
  /** Sources the user picked per parameter key. */
  sources: Readonly<Record<string, ParameterSource>>;
}

export interface FieldSpec {
  path: string;
  /** The key inside its group ('kD'); the path for readVoltage. */
  key: string;
  group: 'params' | 'variation' | 'readVoltage';
  info: ParamInfo;
  unit: UnitSymbol;
  /** Shown as a percentage ("3 %"): the variation spreads. */
  percent: boolean;
}

const READ_VOLTAGE_INFO: ParamInfo = {
  key: 'readVoltage',
  label: 'Read voltage',
  unit: 'V',
  description: 'The voltage reads are taken at; below the threshold V_th, so reads do not disturb the state.',
  range: { min: 0, max: Infinity, minInclusive: false, maxInclusive: false },
  requirement: 'a positive number of volts',
};

const asUnit = (u: string): UnitSymbol => (u === 'V' || u === 's' || u === 'S' ? u : '');

export function fieldsFor(kind: DeviceKind): FieldSpec[] {
  const params = paramInfoList(kind).map((info): FieldSpec => ({ path: `params.${info.key}`, key: info.key, group: 'params', info, unit: asUnit(info.unit), percent: false }));
  const variation = Object.values(variationInfo).map((info): FieldSpec => ({ path: `variation.${info.key}`, key: info.key, group: 'variation', info, unit: '', percent: true }));
  return [...params, { path: 'readVoltage', key: 'readVoltage', group: 'readVoltage', info: READ_VOLTAGE_INFO, unit: 'V', percent: false }, ...variation];
}

export function baseValue(preset: DevicePreset, field: FieldSpec): number {
  if (field.group === 'readVoltage') return preset.readVoltage;
  if (field.group === 'variation') return preset.variation[field.key as keyof DevicePreset['variation']];
  return (preset.params as Record<string, number>)[field.key] ?? Number.NaN;
}

/** How a value is shown in its field: SI prefixes for units, plain seconds from 1 s, percentages for spreads. */
export function formatValue(value: number, field: Pick<FieldSpec, 'unit' | 'percent'>, digits = 6): string {
  if (!Number.isFinite(value)) return '';
  const round = (x: number) => Number(x.toPrecision(digits));
  if (field.percent) return `${round(value * 100)} %`;
  if (field.unit === 's' && Math.abs(value) >= 1 && Math.abs(value) < 1e6) return `${round(value)} s`;
  if (field.unit !== '') return formatSI(round(value), field.unit);
  return String(round(value));
}

export interface DraftState {
  /** The valid preset the fields describe, or null while any field has a problem. */
  preset: DevicePreset | null;
  /** The value each field reads as (NaN when it does not parse). */
  values: Record<string, number>;
  /** One sentence per field with a problem. */
  errors: Record<string, string>;
  /** Problems that belong to no field on the form. */
  other: string[];
  /** Where each parameter's value comes from, as it would be saved. */
  provenance: Record<string, ParameterSource>;
  /** Fields whose value differs from the preset as loaded. */
  edited: Set<string>;
  dirty: boolean;
}

/** The source of a parameter: as picked, else as loaded — except that a value the user changed is no longer the workbench's calibration. */
export function sourceOf(draft: Draft, key: string, edited: boolean): ParameterSource {
  const picked = draft.sources[key];
  if (picked) return picked;
  const loaded = draft.base.provenance[key] ?? draft.base.source;
  return edited && loaded === 'ours' ? 'measured' : loaded;
}

/** The source of the preset as a whole, from its parameters'. */
function presetSource(base: DevicePreset, provenance: Record<string, ParameterSource>): ParameterSource {
  const all = Object.values(provenance);
  if (all.every((s) => s === 'ours')) return 'ours';
  if (base.source !== 'ours') return base.source;
  return all.includes('fitted') ? 'fitted' : 'measured';
}

export function evaluateDraft(draft: Draft, overrides: { name?: string; title?: string; description?: string } = {}): DraftState {
  const base = draft.base;
  const fields = fieldsFor(base.model);
  const values: Record<string, number> = {};
  const errors: Record<string, string> = {};
  const edited = new Set<string>();
  const params: Record<string, number | undefined> = { ...(base.params as Record<string, number>) };
  const variation: Record<string, number | undefined> = { ...base.variation };
  let readVoltage: number | undefined = base.readVoltage;

  for (const field of fields) {
    const text = draft.texts[field.path];
    let value: number | undefined = baseValue(base, field);
    if (text !== undefined) {
      if (text.trim() === '') value = undefined;
      else {
        const parsed = parseQuantity(text, field.unit);
        if (parsed.ok) value = parsed.value;
        else {
          errors[field.path] = parsed.message;
          value = Number.NaN;
        }
      }
    }
    values[field.path] = value ?? Number.NaN;
    if (value !== baseValue(base, field)) edited.add(field.path);
    // A field that does not parse keeps the loaded value for the rest of the check.
    const forCheck = errors[field.path] ? baseValue(base, field) : value;
    if (field.group === 'params') params[field.key] = forCheck;
    else if (field.group === 'variation') variation[field.key] = forCheck;
    else readVoltage = forCheck;
  }

  const provenance: Record<string, ParameterSource> = {};
  for (const field of fields) if (field.group === 'params') provenance[field.key] = sourceOf(draft, field.key, edited.has(field.path));

  const candidate: Record<string, unknown> = {
    ...base,
    ...overrides,
    params,
    variation,
    readVoltage,
    provenance,
    source: presetSource(base, provenance),
  };
  const parsed = parseDevicePreset(candidate);
  const other: string[] = [];
  const known = new Set(fields.map((f) => f.path));
  const collect = (problems: readonly { path: string; message: string }[]) => {
    for (const p of problems) {
      if (known.has(p.path)) errors[p.path] ??= p.message;
      else if (!other.includes(p.message)) other.push(p.message);
    }
  };
  if (!parsed.ok) {
    collect(parsed.problems);
    // The checks between fields (rho against gMin, the read voltage against vTh) only run once every
    // field is valid on its own: check again with the fields in error at their loaded values, so all
    // problems show at once.
    const retry = { ...candidate, params: { ...params }, variation: { ...variation }, readVoltage } as Record<string, unknown> & {
      params: Record<string, number | undefined>;
      variation: Record<string, number | undefined>;
    };
    for (const field of fields) {
      if (!errors[field.path]) continue;
      const loaded = baseValue(base, field);
      if (field.group === 'params') retry.params[field.key] = loaded;
      else if (field.group === 'variation') retry.variation[field.key] = loaded;
      else retry.readVoltage = loaded;
    }
    const again = parseDevicePreset(retry);
    if (!again.ok) collect(again.problems);
  }
  const ok = parsed.ok && Object.keys(errors).length === 0;
  const dirty = edited.size > 0 || Object.keys(draft.sources).some((k) => draft.sources[k] !== (base.provenance[k] ?? base.source));
  return { preset: ok ? parsed.preset : null, values, errors, other, provenance, edited, dirty };
}

export function isParameterSource(x: string): x is ParameterSource {
  return (parameterSources as readonly string[]).includes(x);
}

export function newDraft(base: DevicePreset, origin: Origin): Draft {
  return { base, origin, texts: {}, sources: {} };
}
