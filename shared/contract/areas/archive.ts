import { z } from 'zod';
import { BundleImportResult, Experiment, RunStatus, RunSummary, uint8Array, uuid } from '../domain';

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
  'experiments.update': {
    input: z
      .strictObject({ id: uuid, name: name.optional(), description: z.string().max(10_000).optional() })
      .refine((x) => x.name !== undefined || x.description !== undefined, { message: 'give name or description to change' }),
    output: Experiment,
  },
  /** Deletes an experiment; one holding runs is refused ('conflict') unless withRuns, which deletes them too. */
  'experiments.delete': {
    input: z.strictObject({ id: uuid, withRuns: z.boolean().optional() }),
    output: z.object({ deletedRuns: z.number().int().nonnegative() }),
  },
  /** The experiment, its runs and their samples as a portable .sqlite bundle (bytes to save as `filename`). */
  'experiments.exportBundle': {
    input: z.strictObject({ id: uuid }),
    output: z.object({
      filename: z.string(),
      bytes: uint8Array,
      runs: z.number().int().nonnegative(),
      samples: z.number().int().nonnegative(),
    }),
  },
  /**
   * Imports a bundle atomically: every run whose UUID the archive lacks is added, the others are
   * skipped. A file that is not a bundle, or is damaged or truncated, is refused (invalid_request,
   * with the reason) and nothing is written.
   */
  'experiments.importBundle': {
    input: z.strictObject({ bytes: uint8Array.refine((b) => b.byteLength <= 2 ** 31, 'a bundle must be smaller than 2 GiB') }),
    output: BundleImportResult,
  },
  /** Imports the shipped sample experiment (simulated runs of the paper's spike train and relaxation). */
  'archive.loadSample': { input: none, output: BundleImportResult },
} as const;

export const archiveEvents = {} as const;
