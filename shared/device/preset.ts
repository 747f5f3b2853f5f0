import { describeValue } from './param-info';
import { deviceKinds, paramInfoByKind, type DeviceKind, type ParamsByKind, type Variation } from './params';
import { devicePresetSchema, parameterSources, type ParameterSource } from './schema';

/**
 * A device preset: a model, its parameters (SI units), variation, and where each parameter came
 * from. The JSON files in resources/devices are presets; a fit produces one.
 */
export type DevicePresetOf<K extends DeviceKind> = {
  schema: 1;
  name: string;
  title: string;
  model: K;
  description: string;
  /** Where the preset as a whole comes from. */
  source: ParameterSource;
  /** Suggested read voltage (V), below the threshold so reads do not disturb the state. */
  readVoltage: number;
  params: ParamsByKind[K];
  variation: Variation;
  /** Where each parameter comes from; complete after parsing ('ours' = the workbench's calibration). */
  provenance: Record<string, ParameterSource>;
  notes?: string;
};

export type DevicePreset = { [K in DeviceKind]: DevicePresetOf<K> }[DeviceKind];

export interface PresetProblem {
  /** Dotted path of the offending field, e.g. "params.tauG" ("" for the preset as a whole). */
  path: string;
  /** The field's own name, e.g. "tauG". */
  field: string;
  /** One sentence naming the field and its allowed range. */
  message: string;
}

export type PresetParseResult = { ok: true; preset: DevicePreset } | { ok: false; problems: PresetProblem[] };

/** Validates a parsed JSON value as a preset. Never throws. */
export function parseDevicePreset(value: unknown): PresetParseResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem('', '', `a device preset must be a JSON object (got ${describeValue(value)})`);
  }
  const model = (value as { model?: unknown }).model;
  if (!deviceKinds.includes(model as DeviceKind)) {
    const got = model === undefined ? 'it is missing' : `got ${describeValue(model)}`;
    return problem('model', 'model', `model must be one of ${deviceKinds.join(', ')} (${got})`);
  }
  const result = devicePresetSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue): PresetProblem[] => {
      const path = issue.path.map(String);
      // An unknown field is reported at its own path, so every problem names one field.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: [...path, key].join('.'), field: key, message: issue.message }));
      }
      const field = path[path.length - 1] ?? '';
      if (path[0] === 'provenance' && path.length === 2) {
        // zod's record reports the value without its key; say which entry it was.
        const got = describeValue(readPath(value, path));
        const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? `provenance.${field}` : `provenance[${JSON.stringify(field)}]`;
        const message = `${name} must be one of ${parameterSources.join(', ')} (got ${got})`;
        return [{ path: path.join('.'), field, message }];
      }
      return [{ path: path.join('.'), field, message: issue.message }];
    });
    return { ok: false, problems };
  }
  const parsed = result.data;
  const provenance: Record<string, ParameterSource> = {};
  for (const key of Object.keys(paramInfoByKind[parsed.model])) provenance[key] = parsed.provenance?.[key] ?? parsed.source;
  const preset = { ...parsed, provenance } as DevicePreset;
  if (parsed.notes === undefined) delete preset.notes;
  return { ok: true, preset };
}

/** Parses JSON text, then validates it. Never throws. */
export function parseDevicePresetText(text: string): PresetParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return problem('', '', `the preset is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseDevicePreset(value);
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let at: unknown = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

function problem(path: string, field: string, message: string): PresetParseResult {
  return { ok: false, problems: [{ path, field, message }] };
}

/** Parameters that are the workbench's own calibration rather than fitted or measured. */
export function ourParameters(preset: DevicePreset): string[] {
  return Object.entries(preset.provenance)
    .filter(([, source]) => source === 'ours')
    .map(([key]) => key);
}
