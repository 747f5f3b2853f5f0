import { z } from 'zod';
import { devicePresetSchema, deviceKinds, parameterSources } from '../../device';
import { fittableKinds, TRACE_COLUMNS, type TraceColumn } from '../../fit';
import { jsonDocument, text } from '../bounded';
import { isoTime, uuid } from '../domain';
import { TEXT_LIMITS, TRACE_TEXT_LIMIT } from '../limits';

/**
 * The devices area: device presets (the shipped ones, read-only, and the ones the user saved or
 * fitted, kept in the store) and fitting a model to a measured trace. The characteristic curves of
 * the Devices page are computed in the renderer (shared/device runs in the browser) and need no
 * request.
 */
const presetName = z
  .string()
  .max(64, 'must be a short identifier of at most 64 characters')
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a short identifier of lower-case letters, digits and dashes');

export const presetOrigins = ['shipped', 'saved'] as const;

/** One preset in a list: what a picker shows. */
export const DevicePresetEntry = z.object({
  name: z.string(),
  title: z.string(),
  model: z.enum(deviceKinds),
  source: z.enum(parameterSources),
  description: z.string(),
  /** Shipped presets are files and read-only; saved ones live in the store. */
  origin: z.enum(presetOrigins),
  /** When a saved preset was last written; null for shipped ones. */
  updatedAt: isoTime.nullable(),
});
export type DevicePresetEntry = z.infer<typeof DevicePresetEntry>;

/** A number the fit could not determine (a NaN standard error) travels as null. */
const maybeNumber = z.number().nullable();

export const ParameterEstimateOut = z.object({
  value: z.number(),
  /** One standard error; null when the data cannot determine it. */
  standardError: maybeNumber,
  relativeError: maybeNumber,
});

const FitSource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('csv'),
    /** The CSV text: columns t, v, i, g, kind[, width] (see shared/fit's parseTraceCsv). */
    text: text(TRACE_TEXT_LIMIT),
    fileName: text(TEXT_LIMITS.path).optional(),
    /** A foreign file's delimiter and decimal mark (sniffed when absent) and, when its header is not one the reader knows, where each column is (0-based). */
    dialect: z.strictObject({ delimiter: z.enum([',', ';', '\t']).optional(), decimal: z.enum(['.', ',']).optional() }).optional(),
    columns: z.strictObject(Object.fromEntries(TRACE_COLUMNS.map((c) => [c, z.number().int().min(0).max(999).optional()])) as Record<TraceColumn, z.ZodOptional<z.ZodNumber>>).optional(),
  }),
  z.strictObject({ kind: z.literal('run'), runId: uuid }),
]);

export const DeviceFitRequest = z.strictObject({
  model: z.enum(fittableKinds),
  source: FitSource,
  /** Width (s) for pulses that do not carry one (a CSV without a width column, a run without a protocol). */
  pulseWidth: z.number().positive().max(10).optional(),
  /** Parameters to fit; the rest are held at `start` (else the shipped preset's values). */
  free: z.array(z.string().min(1).max(40)).min(1).max(20).optional(),
  /** Starting and held values, by parameter key (e.g. the parameters being edited). */
  start: jsonDocument('start').pipe(z.record(z.string().max(40), z.number())).optional(),
  method: z.enum(['levenberg-marquardt', 'nelder-mead']).optional(),
  /** Name of the fitted preset (default "<model>-fitted"). */
  presetName: presetName.optional(),
});
export type DeviceFitRequest = z.infer<typeof DeviceFitRequest>;

export const DeviceFitOutcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    model: z.enum(fittableKinds),
    free: z.array(z.string()),
    /** Every parameter of the model: fitted and held. */
    params: z.record(z.string(), z.number()),
    estimates: z.record(z.string(), ParameterEstimateOut),
    residualRms: z.number(),
    relativeResidualRms: z.number(),
    converged: z.boolean(),
    status: z.string(),
    reason: z.string(),
    iterations: z.number().int(),
    evaluations: z.number().int(),
    /** The fit as a preset ready to save; null (with the reasons) when its values do not make a valid preset. */
    preset: devicePresetSchema.nullable(),
    presetProblems: z.array(z.string()),
    /** Read times (s), measured and fitted conductance (S) at each read, in time order. */
    t: z.instanceof(Float64Array),
    measured: z.instanceof(Float64Array),
    fitted: z.instanceof(Float64Array),
    /** Pulse times (s). */
    pulses: z.instanceof(Float64Array),
    /** Where the data and the pulse widths came from, in words. */
    sourceDescription: z.string(),
  }),
  z.object({
    ok: z.literal(false),
    /** Every problem with the data or the request, each in a sentence (CSV problems name their line). */
    problems: z.array(z.string()),
  }),
]);
export type DeviceFitOutcome = z.infer<typeof DeviceFitOutcome>;

export const deviceRequests = {
  'devices.presets.list': { input: z.strictObject({}), output: z.array(DevicePresetEntry) },
  'devices.presets.get': {
    input: z.strictObject({ name: presetName, origin: z.enum(presetOrigins).optional() }),
    output: z.object({ entry: DevicePresetEntry, preset: devicePresetSchema }),
  },
  'devices.presets.save': {
    input: z.strictObject({ preset: jsonDocument('the preset').pipe(devicePresetSchema), overwrite: z.boolean().optional() }),
    output: DevicePresetEntry,
  },
  'devices.presets.delete': {
    input: z.strictObject({ name: presetName }),
    output: z.object({ name: z.string(), deleted: z.literal(true) }),
  },
  'devices.fit': { input: DeviceFitRequest, output: DeviceFitOutcome },
} as const;

export const deviceEvents = {} as const;
