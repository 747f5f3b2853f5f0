import { z } from 'zod';
import { FORMING_MODES, IV_SPACINGS, PROTOCOL_FORMAT, PROTOCOL_VERSION, SWEEP_PARAMETER_NAMES, type BlockOf, type FormingMode, type ProtocolDocumentOf, type Quantity, type SweepParameter } from './document';

/*
 * zod schemas of the document's shape, for the host contract and for tools. They check structure
 * only (fields, types, nesting); validateProtocol is the full check — units, ranges, timing and
 * safety limits — and the only way to a Program. Tests keep the two in agreement: whatever
 * validateProtocol accepts, these accept.
 */

function documentSchemas<Q>(q: z.ZodType<Q>) {
  const readSettings = z.strictObject({ voltage: q.optional(), integration: q.optional() });
  const readAfter = z.union([z.boolean(), readSettings]).optional();
  const common = { id: z.string().optional(), label: z.string().optional() };
  const block: z.ZodType<BlockOf<Q>> = z.lazy(() =>
    z.discriminatedUnion('kind', [pulse, train, read, wait, ramp, repeat, sweep, until, ivSweep, forming, converge]),
  );
  const body = z.array(block).min(1);
  const pulse = z.strictObject({ kind: z.literal('pulse'), ...common, amplitude: q.optional(), width: q.optional(), compliance: q.optional(), read: readAfter });
  const train = z.strictObject({
    kind: z.literal('train'),
    ...common,
    count: q,
    amplitude: q.optional(),
    width: q.optional(),
    period: q.optional(),
    read: readAfter,
  });
  const read = z.strictObject({ kind: z.literal('read'), ...common, voltage: q.optional(), integration: q.optional(), count: q.optional(), interval: q.optional() });
  const wait = z.strictObject({ kind: z.literal('wait'), ...common, duration: q.optional(), readEvery: q.optional(), read: readAfter });
  const ramp = z.strictObject({ kind: z.literal('ramp'), ...common, from: q, to: q, step: q, width: q.optional(), period: q.optional(), read: readAfter });
  const repeat = z.strictObject({ kind: z.literal('repeat'), ...common, times: q, body });
  const sweep = z.strictObject({
    kind: z.literal('sweep'),
    ...common,
    parameter: z.enum(SWEEP_PARAMETER_NAMES as [SweepParameter, ...SweepParameter[]]),
    values: z.array(q).min(1),
    body,
  });
  const until = z.strictObject({
    kind: z.literal('until'),
    ...common,
    when: z.enum(['above', 'below']),
    threshold: q.optional(),
    relative: q.optional(),
    maxIterations: q,
    body,
  });
  const ivSweep = z.strictObject({
    kind: z.literal('iv-sweep'),
    ...common,
    points: z.array(q).min(2),
    spacing: z.enum(IV_SPACINGS).optional(),
    step: q.optional(),
    pointsPerDecade: q.optional(),
    floor: q.optional(),
    dwell: q.optional(),
    rate: q.optional(),
    cycles: q.optional(),
    compliance: z.union([q, z.strictObject({ positive: q.optional(), negative: q.optional() })]).optional(),
  });
  const compliance = z.union([q, z.strictObject({ positive: q.optional(), negative: q.optional() })]).optional();
  const forming = z.strictObject({
    kind: z.literal('forming'),
    ...common,
    mode: z.enum(FORMING_MODES as unknown as [FormingMode, ...FormingMode[]]).optional(),
    from: q,
    to: q,
    step: q,
    width: q,
    period: q.optional(),
    compliance: q,
    targetCurrent: q.optional(),
    targetResistance: q.optional(),
    read: readSettings.optional(),
  });
  const converge = z.strictObject({
    kind: z.literal('converge'),
    ...common,
    low: q,
    high: q,
    setAmplitude: q,
    setWidth: q,
    resetAmplitude: q,
    resetWidth: q,
    maxPulses: q,
    compliance,
    read: readSettings.optional(),
  });
  const limits = z.strictObject({
    maxVoltage: q.optional(),
    compliance: q.optional(),
    maxWidth: q.optional(),
    maxDutyCycle: q.optional(),
    maxPulses: q.optional(),
    maxReads: q.optional(),
  });
  const document: z.ZodType<ProtocolDocumentOf<Q>> = z.strictObject({
    format: z.literal(PROTOCOL_FORMAT),
    version: z.literal(PROTOCOL_VERSION),
    name: z.string().min(1),
    description: z.string().optional(),
    limits: limits.optional(),
    read: readSettings.optional(),
    blocks: body,
  });
  return { block, document };
}

const normalised = documentSchemas(z.number());
const input = documentSchemas<Quantity>(z.union([z.number(), z.string()]));

/** A normalised document: every value a finite number in SI base units. */
export const ProtocolDocumentSchema = normalised.document;
export const BlockSchema = normalised.block;
/** A document as written: values are numbers (SI) or strings with units. */
export const ProtocolInputSchema = input.document;
export const BlockInputSchema = input.block;
