import { z } from 'zod';
import { ProtocolInputSchema } from '../../protocol/schema';
import { boundedName as name, description, jsonValue, searchText, tags, text } from '../bounded';
import { isoTime, uuid } from '../domain';
import { TEXT_LIMITS } from '../limits';

/**
 * The protocol library: user protocols kept in the store with every saved version, and the shipped
 * protocols (resources/protocols) offered as read-only templates to copy.
 *
 * A document travels as written (values may be strings with units, "2 V", "10 ms"), so what a
 * person typed is what they get back. `protocols.save` checks it with validateProtocol — units,
 * ranges, timing and the safety limits — and refuses an invalid one with code 'invalid_request'
 * and `details.problems`, each problem `{path, code, message}` (path like `blocks[2].width`).
 */
const version = z.number().int().min(1);

export const ProtocolSummary = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  /** The newest version's number (versions count from 1). */
  latestVersion: version,
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type ProtocolSummary = z.infer<typeof ProtocolSummary>;

export const ProtocolVersionInfo = z.object({
  version,
  name: z.string(),
  createdAt: isoTime,
  /** The version this one was restored from, when it was made by a restore. */
  restoredFrom: version.nullable(),
  /** SHA-256 of the document's JSON, to see at a glance which versions are the same. */
  hash: z.string(),
});
export type ProtocolVersionInfo = z.infer<typeof ProtocolVersionInfo>;

/** One version of a library protocol, with its document. */
export const ProtocolRecord = ProtocolSummary.extend({
  /** Which version this is (the latest unless an older one was asked for). */
  version,
  restoredFrom: version.nullable(),
  document: ProtocolInputSchema,
});
export type ProtocolRecord = z.infer<typeof ProtocolRecord>;

export const ProtocolTemplate = z.object({
  /** The shipped file's name without .json, e.g. 'paper-spike-train'. */
  id: z.string(),
  name: z.string(),
  description: z.string(),
  document: ProtocolInputSchema,
});
export type ProtocolTemplate = z.infer<typeof ProtocolTemplate>;

export const protocolRequests = {
  /** Library protocols, newest first; `search` matches name, description and tags, `tag` is exact. */
  'protocols.list': {
    input: z.strictObject({ search: searchText.optional(), tag: text(TEXT_LIMITS.tag).optional() }),
    output: z.object({ protocols: z.array(ProtocolSummary), tags: z.array(z.string()) }),
  },
  /** A protocol at its latest version, or at `version`. */
  'protocols.get': { input: z.strictObject({ id: uuid, version: version.optional() }), output: ProtocolRecord },
  /** Every version of a protocol, newest first. */
  'protocols.versions': { input: z.strictObject({ id: uuid }), output: z.array(ProtocolVersionInfo) },
  /**
   * Saves a new protocol (no id) or a new version of one. The document's name and description are
   * set from `name` and `description`. Refused, with the problems in details, when invalid.
   */
  'protocols.save': {
    input: z.strictObject({ id: uuid.optional(), name, description, tags, document: jsonValue('the protocol') }),
    output: ProtocolRecord,
  },
  /** Makes a new version equal to an earlier one; nothing is lost. */
  'protocols.restore': { input: z.strictObject({ id: uuid, version }), output: ProtocolRecord },
  /** A new protocol (version 1) from a version of another (its latest by default). */
  'protocols.duplicate': {
    input: z.strictObject({ id: uuid, version: version.optional(), name: name.optional() }),
    output: ProtocolRecord,
  },
  /** Deletes a protocol and every version of it. Runs keep their own copy of the document. */
  'protocols.delete': { input: z.strictObject({ id: uuid }), output: z.object({ id: uuid, name: z.string(), deletedVersions: z.number().int().nonnegative() }) },
  /** The shipped protocols, read-only, to copy. */
  'protocols.templates': { input: z.strictObject({}), output: z.array(ProtocolTemplate) },
} as const;

export const protocolEvents = {} as const;
