import { z } from 'zod';
import { describeValue, type ParamInfo } from './param-info';
import {
  bipolarParamInfo,
  deviceKinds,
  filamentaryParamInfo,
  idealParamInfo,
  intrinsicGradientParamInfo,
  variationInfo,
  paramInfoByKind,
  type DeviceKind,
} from './params';

/**
 * zod schemas for device presets. Every message names the field and states its allowed range in a
 * sentence, because these messages are shown to lab users editing preset files by hand.
 */
export const PRESET_SCHEMA_VERSION = 1;

export const parameterSources = ['ours', 'fitted', 'measured', 'literature'] as const;
export type ParameterSource = (typeof parameterSources)[number];

interface RawIssue {
  readonly code?: string;
  readonly input?: unknown;
}

function fieldMessage(name: string, requirement: string) {
  return (issue: RawIssue): string =>
    issue.input === undefined
      ? `${name} is missing: it must be ${requirement}`
      : `${name} must be ${requirement} (got ${describeValue(issue.input)})`;
}

function numberSchema(name: string, info: ParamInfo): z.ZodNumber {
  const error = fieldMessage(name, info.requirement);
  const { min, max, minInclusive, maxInclusive } = info.range;
  let schema = z.number({ error });
  schema = minInclusive ? schema.gte(min, { error }) : schema.gt(min, { error });
  if (max !== Infinity) schema = maxInclusive ? schema.lte(max, { error }) : schema.lt(max, { error });
  return schema;
}

function unknownKeysMessage(where: string, known: readonly string[]) {
  return (issue: RawIssue & { keys?: readonly string[] }): string | undefined => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const keys = issue.keys ?? [];
    const shown = keys.map((k) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : JSON.stringify(k)));
    return `${where} has unknown ${keys.length === 1 ? 'field' : 'fields'} ${shown.join(', ')} (known: ${known.join(', ')})`;
  };
}

function objectOf<K extends string>(
  infos: Readonly<Record<K, ParamInfo>>,
  where: string,
  prefix: string,
): z.ZodObject<{ [P in K]: z.ZodNumber }, z.core.$strict> {
  const keys = Object.keys(infos) as K[];
  const shape = {} as { [P in K]: z.ZodNumber };
  for (const key of keys) shape[key] = numberSchema(`${prefix}${key}`, infos[key]);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'invalid_type' ? `${where} must be an object with ${keys.join(', ')}` : unknownKeysMessage(where, keys)(issue),
  });
}

export const intrinsicGradientParamsSchema = objectOf(intrinsicGradientParamInfo, 'params', '');
export const filamentaryParamsSchema = objectOf(filamentaryParamInfo, 'params', '');
export const idealParamsSchema = objectOf(idealParamInfo, 'params', '');
export const bipolarParamsSchema = objectOf(bipolarParamInfo, 'params', '');
export const variationSchema = objectOf(variationInfo, 'variation', 'variation.');

const sourceSchema = z.enum(parameterSources, {
  error: fieldMessage('source', `one of ${parameterSources.join(', ')}`),
});

const presetFields = [
  'schema',
  'name',
  'title',
  'model',
  'description',
  'source',
  'readVoltage',
  'params',
  'variation',
  'provenance',
  'notes',
];

const nameRequirement = 'a short identifier of lower-case letters, digits and dashes';

function presetShape<K extends DeviceKind, P extends z.ZodObject>(kind: K, params: P) {
  return {
    schema: z.literal(PRESET_SCHEMA_VERSION, {
      error: fieldMessage('schema', `the preset format version ${PRESET_SCHEMA_VERSION}`),
    }),
    name: z
      .string({ error: fieldMessage('name', nameRequirement) })
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: fieldMessage('name', nameRequirement) }),
    title: z.string({ error: fieldMessage('title', 'a non-empty text') }).min(1, { error: fieldMessage('title', 'a non-empty text') }),
    model: z.literal(kind),
    description: z.string({ error: fieldMessage('description', 'a text') }),
    source: sourceSchema,
    readVoltage: z
      .number({ error: fieldMessage('readVoltage', 'a positive number of volts') })
      .gt(0, { error: fieldMessage('readVoltage', 'a positive number of volts') }),
    params,
    variation: variationSchema,
    provenance: z
      .record(z.string(), z.enum(parameterSources), {
        error: fieldMessage('provenance', `an object mapping parameter names to ${parameterSources.join(', ')}`),
      })
      .optional(),
    notes: z.string({ error: fieldMessage('notes', 'a text') }).optional(),
  };
}

const presetOptions = { error: unknownKeysMessage('the preset', presetFields) };

interface CommonPresetFields {
  model: DeviceKind;
  readVoltage: number;
  params: { vTh: number } | { vSet: number; vReset: number };
  provenance?: Record<string, unknown> | undefined;
}

/** The lowest |V| at which the model switches: reads must stay below it. */
function readThreshold(params: CommonPresetFields['params']): { value: number; name: string } {
  if ('vTh' in params) return { value: params.vTh, name: 'the threshold vTh' };
  return params.vSet <= params.vReset ? { value: params.vSet, name: 'the SET voltage vSet' } : { value: params.vReset, name: 'the RESET voltage vReset' };
}

function checkCommon(preset: CommonPresetFields, ctx: z.RefinementCtx): void {
  const paramKeys = Object.keys(paramInfoByKind[preset.model]);
  for (const key of Object.keys(preset.provenance ?? {})) {
    if (!paramKeys.includes(key)) {
      ctx.addIssue({
        code: 'custom',
        path: ['provenance', key],
        message: `provenance names ${key}, which is not a parameter of the ${preset.model} model (known: ${paramKeys.join(', ')})`,
      });
    }
  }
  const threshold = readThreshold(preset.params);
  if (!(preset.readVoltage < threshold.value)) {
    ctx.addIssue({
      code: 'custom',
      path: ['readVoltage'],
      message: `readVoltage must be below ${threshold.name} = ${threshold.value} V so reads do not disturb the device (got ${preset.readVoltage})`,
    });
  }
}

export const intrinsicGradientPresetSchema = z
  .strictObject(presetShape('intrinsic-gradient', intrinsicGradientParamsSchema), presetOptions)
  .superRefine(checkCommon)
  .superRefine((preset, ctx) => {
    const { rho, gMin } = preset.params;
    if (rho > 1 - gMin) {
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'rho'],
        message: `rho must be in [0, 1 − gMin] = [0, ${Number((1 - gMin).toPrecision(12))}] so the recovery level 1 − rho·s never falls below gMin (got ${rho})`,
      });
    }
  });

export const filamentaryPresetSchema = z
  .strictObject(presetShape('filamentary', filamentaryParamsSchema), presetOptions)
  .superRefine(checkCommon)
  .superRefine((preset, ctx) => {
    const { dropMin, dropMax } = preset.params;
    if (dropMax < dropMin) {
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'dropMax'],
        message: `dropMax must be at least dropMin = ${dropMin} (got ${dropMax})`,
      });
    }
  });

export const idealPresetSchema = z
  .strictObject(presetShape('ideal', idealParamsSchema), presetOptions)
  .superRefine(checkCommon);

export const bipolarPresetSchema = z
  .strictObject(presetShape('bipolar', bipolarParamsSchema), presetOptions)
  .superRefine(checkCommon)
  .superRefine((preset, ctx) => {
    const { gVirgin, gHrs, gLrs, vForm, vSet } = preset.params;
    const order = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: ['params', path], message });
    if (!(gHrs < gLrs)) order('gLrs', `gLrs must be above gHrs = ${gHrs} S: the LRS conducts more than the HRS (got ${gLrs})`);
    if (!(gVirgin < gHrs)) order('gVirgin', `gVirgin must be below gHrs = ${gHrs} S: a virgin device conducts less than a reset one (got ${gVirgin})`);
    if (!(vSet < vForm)) order('vForm', `vForm must be above vSet = ${vSet} V: forming takes more than a SET (got ${vForm})`);
  });

export const devicePresetSchema = z.discriminatedUnion(
  'model',
  [intrinsicGradientPresetSchema, filamentaryPresetSchema, idealPresetSchema, bipolarPresetSchema],
  { error: fieldMessage('model', `one of ${deviceKinds.join(', ')}`) },
);

export type DevicePresetInput = z.input<typeof devicePresetSchema>;
