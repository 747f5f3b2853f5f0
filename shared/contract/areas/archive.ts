import { z } from 'zod';
import { boundedName as name, description, searchText, text } from '../bounded';
import { BundleImportResult, Experiment, RunStatus, RunSummary, uint8Array, uuid } from '../domain';
import { FILE_LIMITS, TEXT_LIMITS } from '../limits';

const none = z.strictObject({});

export const deviceKinds = ['simulated', 'instrument'] as const;

/** The device a run used: its kind, and optionally the preset's name (simulated) or the driver (instrument). */
export const RunDeviceFilter = z.strictObject({
  kind: z.enum(deviceKinds),
  name: name.optional(),
});
export type RunDeviceFilter = z.infer<typeof RunDeviceFilter>;

/** An instant as an ISO-8601 date-time with its zone (what toISOString gives): '2025-03-01T00:00:00.000Z'. */
const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO-8601 date and time with its zone, e.g. '2025-03-01T00:00:00Z'" })
  .max(64, "must be an ISO-8601 date and time with its zone, e.g. '2025-03-01T00:00:00Z'");

/** Filter choices: what the archive holds, each with how many runs have it. */
export const RunFacets = z.object({
  /** name: the preset (simulated) or the driver (instrument); null when the run's snapshot names none. */
  devices: z.array(z.object({ kind: z.string(), name: z.string().nullable(), runs: z.number().int().nonnegative() })),
  /** versions: how many different documents (hashes) ran under the name. */
  protocols: z.array(z.object({ name: z.string(), runs: z.number().int().nonnegative(), versions: z.number().int().nonnegative() })),
  tags: z.array(z.object({ tag: z.string(), runs: z.number().int().nonnegative() })),
});
export type RunFacets = z.infer<typeof RunFacets>;

export const archiveRequests = {
  'experiments.list': { input: none, output: z.array(Experiment) },
  'experiments.create': {
    input: z.strictObject({ name, description: description.optional() }),
    output: Experiment,
  },
  /**
   * Runs matching every given filter, newest first, `limit` at a time (default 100) from `offset`,
   * with `total`: how many match over all pages. The filters run in the store (SQL), never over
   * one page: search (name, notes, protocol name), experiment, status, tag (whole), device, protocol
   * (its name, case-insensitive, or its hash or the hash's first 8+ hex digits) and the creation
   * time, from `createdFrom` (inclusive) to `createdTo` (exclusive).
   */
  'runs.list': {
    input: z
      .strictObject({
        experimentId: uuid.optional(),
        status: RunStatus.optional(),
        search: searchText.optional(),
        tag: text(TEXT_LIMITS.tag).optional(),
        device: RunDeviceFilter.optional(),
        protocol: z.string().trim().min(1, 'must be a protocol name or hash, not empty').max(TEXT_LIMITS.name, `must be at most ${TEXT_LIMITS.name} characters`).optional(),
        createdFrom: instant.optional(),
        createdTo: instant.optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .refine((x) => x.createdFrom === undefined || x.createdTo === undefined || Date.parse(x.createdFrom) < Date.parse(x.createdTo), {
        message: 'must be later than createdFrom',
        path: ['createdTo'],
      }),
    output: z.object({ runs: z.array(RunSummary), total: z.number().int().nonnegative() }),
  },
  /** The devices, protocols and tags the runs (of one experiment, or all) have: the Archive's filter choices. */
  'runs.facets': { input: z.strictObject({ experimentId: uuid.optional() }), output: RunFacets },
  'runs.get': { input: z.strictObject({ id: uuid }), output: RunSummary },
  'experiments.update': {
    input: z
      .strictObject({ id: uuid, name: name.optional(), description: description.optional() })
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
    input: z.strictObject({ bytes: uint8Array.refine((b) => b.byteLength <= FILE_LIMITS.bundle, 'a bundle must be at most 2 GiB') }),
    output: BundleImportResult,
  },
  /** Imports the shipped sample experiment (simulated runs of the paper's spike train and relaxation). */
  'archive.loadSample': { input: none, output: BundleImportResult },
} as const;

export const archiveEvents = {} as const;
