import { z } from 'zod';
import { jsonDocument } from '../bounded';
import { float64Array, int32Array, isoTime, uuid } from '../domain';

/**
 * RL on a device (#12): one device strategy of a comparison reads its learning rate from the
 * connected instrument (any driver, the virtual ones included) while the other strategies run in
 * simulation. Before it starts, `rl.plan` shows what it will do to the device and how long it will
 * take; while it runs, 'rl.device' reports every episode (α, G as read) and the pause state; a
 * stopped, aborted or cut-off run resumes from its last checkpoint with `rl.resume`.
 */
const none = z.strictObject({});
const defId = z.string().max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an id from the experiment (letters, digits, . _ -)');

/** Where the α map's reference conductance G0 comes from. */
export const RlReference = z.discriminatedUnion('kind', [
  /** A burst of reads of the device when the run starts (median). */
  z.strictObject({ kind: z.literal('read') }),
  /** A value the user enters (S). */
  z.strictObject({ kind: z.literal('entered'), value: z.number().positive().finite().max(1) }),
  /** A stored run's first read (e.g. the device measured fresh). */
  z.strictObject({ kind: z.literal('run'), runId: uuid }),
]);
export type RlReference = z.infer<typeof RlReference>;

/** Which strategy runs on the connected instrument, and how. */
export const RlHardwareChoice = z.strictObject({
  strategy: defId,
  g0: RlReference,
  /** Device time (s) with the output off between seeds, so the device recovers. */
  restSeconds: z.number().min(0).max(86_400).optional(),
});
export type RlHardwareChoice = z.infer<typeof RlHardwareChoice>;

const EpisodeReport = z.object({
  environmentId: z.string(),
  seed: z.number().int(),
  episode: z.number().int().nonnegative(),
  episodes: z.number().int().nonnegative(),
  alpha: z.number(),
  g: z.number(),
  gAfter: z.number(),
  steps: z.number().int(),
  success: z.boolean(),
  pulses: z.number().int().nonnegative(),
});

/** The device side of a running RL run. */
export const RlDeviceState = z.object({
  id: uuid,
  strategyId: z.string(),
  state: z.enum(['running', 'paused', 'stopping', 'ended']),
  g0: z.number(),
  /** Jobs (environment × seed) of the device strategy done, of total. */
  jobsDone: z.number().int().nonnegative(),
  jobsTotal: z.number().int().nonnegative(),
  /** The last episode done on the device; null before the first. */
  last: EpisodeReport.nullable(),
});
export type RlDeviceState = z.infer<typeof RlDeviceState>;

const Problem = z.object({ path: z.string(), message: z.string() });

export const RlPlan = z.object({
  /** The connected instrument; null when none is connected (the run is then refused). */
  instrument: z.object({ port: z.string(), driver: z.string(), idn: z.string().nullable() }).nullable(),
  strategyId: z.string(),
  environments: z.number().int(),
  seeds: z.number().int(),
  episodesPerSeed: z.number().int(),
  secondsPerEpisode: z.number(),
  /** Measured on the instrument: one pulse and one read's round trips (s); null when not measured. */
  overheadPerEpisode: z.number().nullable(),
  restSeconds: z.number(),
  wallSeconds: z.number(),
  pulses: z.object({ max: z.number().int(), amplitude: z.number(), width: z.number() }),
  /** G0 as chosen (null for 'read': measured when the run starts) and the G the device reads now. */
  g0: z.object({ value: z.number(), source: z.string() }).nullable(),
  gNow: z.number().nullable(),
  /** Set when the device reads far from its reference: the run would start with α far from α_max. */
  warning: z.string().nullable(),
  /** Every reason the run would be refused, with its path. */
  problems: z.array(Problem),
});
export type RlPlan = z.infer<typeof RlPlan>;

export const rlDeviceRequests = {
  /**
   * What running `strategy` of the experiment on the connected instrument would do: the pulses
   * checked against the safety limits in force, the wall time (episodes × device time per episode
   * × seeds, plus the overhead measured by timing reads of the instrument), G0 and the G now.
   */
  'rl.plan': {
    input: z.strictObject({ experiment: jsonDocument('the experiment'), seeds: z.number().int().min(1).max(10_000).optional(), hardware: RlHardwareChoice }),
    output: RlPlan,
  },
  /** Pauses the device side between episodes, output off. */
  'rl.pause': { input: z.strictObject({ id: uuid }), output: RlDeviceState },
  /** Resumes a paused device side. */
  'rl.continue': { input: z.strictObject({ id: uuid }), output: RlDeviceState },
  /** Stops after the episode in flight: status 'cancelled', resumable. (rl.cancel aborts at once.) */
  'rl.stop': { input: z.strictObject({ id: uuid }), output: RlDeviceState },
  /**
   * Continues a stopped, aborted or interrupted run on a device: an instrument run on the connected
   * instrument (its *IDN? must be the run's), a simulated or measured-trace run on its own device.
   */
  'rl.resume': { input: z.strictObject({ id: uuid }), output: z.object({ rlRunId: uuid }) },
  /** What each episode on the device did: G before and after, α, pulses, times, steps. */
  'rl.deviceEpisodes': {
    input: z.strictObject({ id: uuid }),
    output: z.object({
      environmentId: z.array(z.string()),
      seed: int32Array,
      episode: int32Array,
      gBefore: float64Array,
      gAfter: float64Array,
      alpha: float64Array,
      pulses: int32Array,
      steps: int32Array,
      success: z.array(z.boolean()),
      startedAt: z.array(isoTime),
      endedAt: z.array(isoTime),
      /** The run's device: what it was (driver, port, *IDN?, settings), G0 and where it came from. */
      hardware: z.unknown(),
    }),
  },
  /** The device side of the running run, or null. */
  'rl.deviceState': { input: none, output: RlDeviceState.nullable() },
} as const;

export const rlDeviceEvents = {
  /** Every episode done on the device, and every change of its pause state. */
  'rl.device': RlDeviceState,
} as const;
