import { z } from 'zod';

/** Schemas of the domain objects that cross the host boundary. */

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, 'must be a UUID');
export const isoTime = z.string().min(1);

export const runStatuses = ['queued', 'running', 'paused', 'completed', 'stopped', 'aborted', 'interrupted', 'failed'] as const;
export const RunStatus = z.enum(runStatuses);
export type RunStatus = z.infer<typeof RunStatus>;

export const Experiment = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
  runCount: z.number().int().nonnegative(),
});
export type Experiment = z.infer<typeof Experiment>;

export const RunSummary = z.object({
  id: uuid,
  experimentId: uuid,
  experimentName: z.string(),
  name: z.string(),
  status: RunStatus,
  exitReason: z.string().nullable(),
  deviceKind: z.string(),
  protocolName: z.string(),
  createdAt: isoTime,
  startedAt: isoTime.nullable(),
  endedAt: isoTime.nullable(),
  tags: z.array(z.string()),
  notes: z.string(),
  sampleCount: z.number().int().nonnegative(),
  initialG: z.number().nullable(),
  finalG: z.number().nullable(),
  minG: z.number().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const instrumentStates = ['disconnected', 'connecting', 'connected', 'error'] as const;
export const InstrumentState = z.object({
  state: z.enum(instrumentStates),
  /** Port path or 'virtual:…' of the connected instrument, if any. */
  port: z.string().nullable(),
  /** The identification reply (`*IDN?` or its equivalent), once connected. */
  idn: z.string().nullable(),
  /** What went wrong, in a sentence, when state is 'error'. */
  message: z.string().nullable(),
});
export type InstrumentState = z.infer<typeof InstrumentState>;

export const AppInfo = z.object({
  appName: z.string(),
  appVersion: z.string(),
  hostKind: z.enum(['desktop', 'web']),
  dataDir: z.string(),
  dataFile: z.string(),
  schemaVersion: z.number().int(),
  platform: z.string(),
  versions: z.record(z.string(), z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;
