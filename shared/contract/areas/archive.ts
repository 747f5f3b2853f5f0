import { z } from 'zod';
import { Experiment, RunStatus, RunSummary, uuid } from '../domain';

const none = z.strictObject({});
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const archiveRequests = {
  'experiments.list': { input: none, output: z.array(Experiment) },
  'experiments.create': {
    input: z.strictObject({ name, description: z.string().max(10_000).optional() }),
    output: Experiment,
  },
  'runs.list': {
    input: z.strictObject({
      experimentId: uuid.optional(),
      status: RunStatus.optional(),
      search: z.string().max(200).optional(),
      tag: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    output: z.object({ runs: z.array(RunSummary), total: z.number().int().nonnegative() }),
  },
  'runs.get': { input: z.strictObject({ id: uuid }), output: RunSummary },
} as const;

export const archiveEvents = {} as const;
