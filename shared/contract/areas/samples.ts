import { z } from 'zod';
import { boundedName as name, notes, text } from '../bounded';
import { isoTime, uuid } from '../domain';

/**
 * The samples area (#14): the device hierarchy — samples (a wafer or a piece) → chips (a crossbar of
 * rows × cols word and bit lines, or single devices) → devices (at a word line and bit line) —
 * and the device-centric views of the archive: a device's timeline, a chip's map of per-device
 * figures, and the values the variability statistics are computed from. The store checks what a
 * schema cannot (a taken crossing, a coordinate outside the crossbar, a device with runs that is
 * to be deleted: refused — archive it instead).
 */
const none = z.strictObject({});
/** Largest crossbar side (ours; the store's MAX_CROSSBAR_SIDE). */
export const MAX_CROSSBAR_SIDE = 4096;
const stack = text(500);
const date = z
  .string()
  .max(10, 'must be a date YYYY-MM-DD')
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .nullable();
const line = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(MAX_CROSSBAR_SIDE - 1);
const side = z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_CROSSBAR_SIDE, `must be at most ${MAX_CROSSBAR_SIDE}`);
const area = z.number().positive('must be a positive area in m²').finite().nullable();

export const LabSample = z.object({
  id: uuid,
  name: z.string(),
  kind: z.enum(['wafer', 'piece', 'virtual']),
  materialStack: z.string(),
  fabricatedOn: z.string().nullable(),
  notes: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  chips: z.number().int(),
  devices: z.number().int(),
});
export type LabSample = z.infer<typeof LabSample>;

export const LabChip = z.object({
  id: uuid,
  sampleId: uuid,
  sampleName: z.string(),
  name: z.string(),
  rows: z.number().int().nullable(),
  cols: z.number().int().nullable(),
  materialStack: z.string(),
  notes: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  devices: z.number().int(),
});
export type LabChip = z.infer<typeof LabChip>;

export const LabDevice = z.object({
  id: uuid,
  chipId: uuid,
  chipName: z.string(),
  sampleId: uuid,
  sampleName: z.string(),
  name: z.string(),
  kind: z.enum(['physical', 'virtual']),
  virtualKey: z.string().nullable(),
  wordLine: z.number().int().nullable(),
  bitLine: z.number().int().nullable(),
  materialStack: z.string(),
  areaM2: z.number().nullable(),
  fabricatedOn: z.string().nullable(),
  notes: z.string(),
  archivedAt: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  runs: z.number().int(),
});
export type LabDevice = z.infer<typeof LabDevice>;

export const FormingState = z.enum(['pristine', 'unformed', 'formed']);

export const TimelineEntry = z.object({
  kind: z.enum(['run', 'rl']),
  id: uuid,
  name: z.string(),
  status: z.string(),
  protocolName: z.string().nullable(),
  createdAt: isoTime,
  endedAt: z.string().nullable(),
  samples: z.number().int(),
  pulses: z.number().int(),
  cumulativePulses: z.number().int(),
  /** Σ |V|·width of the run's pulses, V·s; null for an RL run. */
  stressVs: z.number().nullable(),
  cumulativeStressVs: z.number(),
  cycles: z.number().int(),
  forming: FormingState,
  hrs: z.number().nullable(),
  lrs: z.number().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const ChipCell = z.object({
  deviceId: uuid,
  name: z.string(),
  wordLine: z.number().int().nullable(),
  bitLine: z.number().int().nullable(),
  runs: z.number().int(),
  pulses: z.number().int(),
  cyclesSurvived: z.number().int(),
  yield: z.number().nullable(),
  medianHrs: z.number().nullable(),
  medianLrs: z.number().nullable(),
  onOff: z.number().nullable(),
});
export type ChipCell = z.infer<typeof ChipCell>;

export const VariabilityMode = z.enum(['c2c', 'd2d']);
export const VariabilityValues = z.object({
  mode: VariabilityMode,
  devices: z.number().int(),
  hrs: z.array(z.number()),
  lrs: z.array(z.number()),
  vSet: z.array(z.number()),
  vReset: z.array(z.number()),
});
export type VariabilityValues = z.infer<typeof VariabilityValues>;

const sampleFields = { name, materialStack: stack.optional(), fabricatedOn: date.optional(), notes: notes.optional() };
const deviceFields = {
  name: name.optional(),
  wordLine: line.nullable().optional(),
  bitLine: line.nullable().optional(),
  materialStack: stack.optional(),
  areaM2: area.optional(),
  fabricatedOn: date.optional(),
  notes: notes.optional(),
};

export const samplesRequests = {
  /** Every sample (the virtual one, "Virtual devices", last). */
  'samples.list': { input: none, output: z.array(LabSample) },
  'samples.create': { input: z.strictObject({ ...sampleFields, kind: z.enum(['wafer', 'piece']) }), output: LabSample },
  'samples.update': {
    input: z.strictObject({ id: uuid, name: name.optional(), kind: z.enum(['wafer', 'piece']).optional(), materialStack: stack.optional(), fabricatedOn: date.optional(), notes: notes.optional() }),
    output: LabSample,
  },
  /** The chips of a sample, or every chip. */
  'samples.chips.list': { input: z.strictObject({ sampleId: uuid.optional() }), output: z.array(LabChip) },
  /** A crossbar gives rows (word lines) and cols (bit lines), both or neither. */
  'samples.chips.create': {
    input: z
      .strictObject({ sampleId: uuid, name, rows: side.nullable().optional(), cols: side.nullable().optional(), materialStack: stack.optional(), notes: notes.optional() })
      .refine((x) => (x.rows === undefined || x.rows === null) === (x.cols === undefined || x.cols === null), { message: 'a crossbar needs both rows and cols', path: ['cols'] }),
    output: LabChip,
  },
  'samples.chips.update': { input: z.strictObject({ id: uuid, name: name.optional(), materialStack: stack.optional(), notes: notes.optional() }), output: LabChip },
  /** The devices of a chip, or all; archived ones only with includeArchived. */
  'samples.devices.list': { input: z.strictObject({ chipId: uuid.optional(), includeArchived: z.boolean().optional() }), output: z.array(LabDevice) },
  /** On a crossbar: wordLine and bitLine inside it, at a free crossing ('conflict' when taken). */
  'samples.devices.create': { input: z.strictObject({ chipId: uuid, ...deviceFields }), output: LabDevice },
  /** archived: true hides the device from pickers and new runs; its runs stay. */
  'samples.devices.update': { input: z.strictObject({ id: uuid, ...deviceFields, archived: z.boolean().optional() }), output: LabDevice },
  /** Deletes a device without runs; one with runs is refused ('conflict') — archive it instead. */
  'samples.devices.delete': { input: z.strictObject({ id: uuid }), output: z.object({ id: uuid }) },
  /** Every run and RL run of a device, oldest first, with cumulative pulses and stress (V·s), forming state, last HRS/LRS. */
  'samples.devices.timeline': { input: z.strictObject({ id: uuid }), output: z.object({ device: LabDevice, entries: z.array(TimelineEntry) }) },
  /** One cell per device of a chip with its figures (yield, median HRS/LRS, on/off, cycles survived). */
  'samples.chips.map': { input: z.strictObject({ id: uuid }), output: z.object({ chip: LabChip, cells: z.array(ChipCell) }) },
  /** The values of the variability statistics over devices (or a chip's): per cycle (c2c) or per device (d2d). */
  'samples.variability': {
    input: z
      .strictObject({ deviceIds: z.array(uuid).max(10_000, 'at most 10,000 devices').optional(), chipId: uuid.optional(), mode: VariabilityMode })
      .refine((x) => (x.deviceIds === undefined) !== (x.chipId === undefined), { message: 'give deviceIds or chipId, one of them' }),
    output: VariabilityValues,
  },
} as const;
