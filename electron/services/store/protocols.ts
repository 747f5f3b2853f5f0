/**
 * The protocol library: protocols with every saved version. A save never rewrites a version, it
 * adds one; restoring an old version adds a new one equal to it, so nothing is ever lost but by
 * deleting the whole protocol (which takes its versions with it; runs keep their own snapshot of
 * the document they ran).
 *
 * Documents are stored as written (values may carry units: "2 V") and only after validateProtocol
 * accepted them, the safety limits included; the document's name and description are kept equal
 * to the library's.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DOCUMENT_LIMITS, TEXT_LIMITS } from '../../../shared/contract/limits';
import { formatProblem, validateProtocol, type Problem, type ValidateOptions } from '../../../shared/protocol';
import type { StoreContext } from './context';
import { StoreError } from './errors';
import { checkInteger, checkName, checkTags, checkText, checkUuid, describe, invalid } from './validate';

export interface ProtocolSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProtocolVersionInfo {
  version: number;
  name: string;
  createdAt: string;
  restoredFrom: number | null;
  hash: string;
}

export interface ProtocolRecord extends ProtocolSummary {
  version: number;
  restoredFrom: number | null;
  /** The document as written (parsed JSON). */
  document: Record<string, unknown>;
}

export interface SaveProtocol {
  /** A new version of this protocol; a new protocol when absent. */
  id?: string;
  name: string;
  description?: string;
  tags?: string[];
  document: unknown;
}

export interface ProtocolFilter {
  /** Matches name, description or a tag, ignoring ASCII case. */
  search?: string;
  /** Only protocols with exactly this tag. */
  tag?: string;
}

/** Thrown (as StoreError 'invalid') when a document does not validate; details.problems lists why. */
export interface InvalidProtocolDetails {
  problems: Problem[];
}

interface ProtocolRow {
  id: string;
  name: string;
  description: string;
  tags: string;
  latest_version: number;
  created_at: string;
  updated_at: string;
}

interface VersionRow {
  version: number;
  name: string;
  description: string;
  tags: string;
  document_json: string;
  document_hash: string;
  restored_from: number | null;
  created_at: string;
}

/** The contract's document bound (shared/contract/limits.ts), in characters of JSON. */
const MAX_DOCUMENT_CHARACTERS = DOCUMENT_LIMITS.characters;

function toSummary(r: ProtocolRow): ProtocolSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    tags: JSON.parse(r.tags) as string[],
    latestVersion: r.latest_version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function hashOf(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

export class Protocols {
  constructor(private readonly ctx: StoreContext) {}

  /** Library protocols, most recently changed first. */
  list(filter: ProtocolFilter = {}): ProtocolSummary[] {
    const where: string[] = [];
    const args: string[] = [];
    const search = filter.search === undefined ? '' : checkText(filter.search, 'search', TEXT_LIMITS.search).trim();
    if (search !== '') {
      const like = `%${escapeLike(search)}%`;
      where.push(`(p.name LIKE ? ESCAPE '\\' OR p.description LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value LIKE ? ESCAPE '\\'))`);
      args.push(like, like, like);
    }
    const tag = filter.tag === undefined ? '' : checkText(filter.tag, 'tag', TEXT_LIMITS.tag).trim();
    if (tag !== '') {
      where.push('EXISTS (SELECT 1 FROM json_each(p.tags) WHERE value = ?)');
      args.push(tag);
    }
    const sql = `SELECT p.* FROM protocols p ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.updated_at DESC, p.name COLLATE NOCASE`;
    return (this.ctx.stmt(sql).all(...args) as ProtocolRow[]).map(toSummary);
  }

  /** Every tag in use, sorted, for a filter. */
  tags(): string[] {
    return this.ctx
      .stmt('SELECT DISTINCT j.value FROM protocols p, json_each(p.tags) j ORDER BY j.value COLLATE NOCASE')
      .pluck()
      .all() as string[];
  }

  /** A protocol at its latest version or at `version`; 'not_found' when either is missing. */
  get(id: string, version?: number): ProtocolRecord {
    const key = checkUuid(id, 'protocol id');
    const row = this.row(key);
    const v = version === undefined ? row.latest_version : checkInteger(version, 'version', 1);
    const vr = this.ctx
      .stmt('SELECT * FROM protocol_versions WHERE protocol_id = ? AND version = ?')
      .get(key, v) as VersionRow | undefined;
    if (!vr) {
      throw new StoreError('not_found', `Protocol "${row.name}" has no version ${v}; its versions are 1 to ${row.latest_version}.`, { latestVersion: row.latest_version });
    }
    return {
      ...toSummary(row),
      // An old version shows the name, description and tags it was saved with.
      name: vr.name,
      description: vr.description,
      tags: JSON.parse(vr.tags) as string[],
      version: vr.version,
      restoredFrom: vr.restored_from,
      document: JSON.parse(vr.document_json) as Record<string, unknown>,
    };
  }

  /** Every version, newest first. */
  versions(id: string): ProtocolVersionInfo[] {
    const key = checkUuid(id, 'protocol id');
    this.row(key);
    const rows = this.ctx
      .stmt('SELECT version, name, created_at, restored_from, document_hash FROM protocol_versions WHERE protocol_id = ? ORDER BY version DESC')
      .all(key) as Pick<VersionRow, 'version' | 'name' | 'created_at' | 'restored_from' | 'document_hash'>[];
    return rows.map((r) => ({ version: r.version, name: r.name, createdAt: r.created_at, restoredFrom: r.restored_from, hash: r.document_hash }));
  }

  /**
   * Saves a new protocol (no id) or a new version of one. The document is validated first (with
   * the workbench's limits in `options`); an invalid one is refused with StoreError 'invalid' and
   * `details.problems`, and nothing is written.
   */
  save(input: SaveProtocol, options: ValidateOptions = {}): ProtocolRecord {
    if (input === null || typeof input !== 'object') throw invalid('a protocol to save must be described by an object');
    const name = checkName(input.name, 'protocol name');
    const description = input.description === undefined ? '' : checkText(input.description, 'protocol description', TEXT_LIMITS.description);
    const tags = input.tags === undefined ? [] : checkTags(input.tags);
    const id = input.id === undefined ? undefined : checkUuid(input.id, 'protocol id');
    const json = this.checkedDocument(input.document, name, description, options);
    return this.ctx.tx(() => this.addVersion(id, { name, description, tags, json, restoredFrom: null }));
  }

  /** Adds a version equal to `version` (its document, name, description and tags). */
  restore(id: string, version: number): ProtocolRecord {
    const key = checkUuid(id, 'protocol id');
    const v = checkInteger(version, 'version', 1);
    return this.ctx.tx(() => {
      const old = this.get(key, v);
      const json = JSON.stringify(old.document);
      return this.addVersion(key, { name: old.name, description: old.description, tags: old.tags, json, restoredFrom: v });
    });
  }

  /** A new protocol whose version 1 is a copy of a version of another (the latest by default). */
  duplicate(id: string, options: { version?: number; name?: string } = {}): ProtocolRecord {
    const key = checkUuid(id, 'protocol id');
    return this.ctx.tx(() => {
      const source = this.get(key, options.version);
      const name = options.name === undefined ? this.copyName(source.name) : checkName(options.name, 'protocol name');
      const document = { ...source.document, name };
      return this.addVersion(undefined, { name, description: source.description, tags: source.tags, json: JSON.stringify(document), restoredFrom: null });
    });
  }

  /** Deletes a protocol with all its versions. */
  delete(id: string): { id: string; name: string; deletedVersions: number } {
    const key = checkUuid(id, 'protocol id');
    return this.ctx.tx(() => {
      const row = this.row(key);
      const n = this.ctx.stmt('DELETE FROM protocol_versions WHERE protocol_id = ?').run(key).changes;
      this.ctx.stmt('DELETE FROM protocols WHERE id = ?').run(key);
      return { id: key, name: row.name, deletedVersions: n };
    });
  }

  private row(id: string): ProtocolRow {
    const row = this.ctx.stmt('SELECT * FROM protocols WHERE id = ?').get(id) as ProtocolRow | undefined;
    if (!row) throw new StoreError('not_found', `No protocol with id ${id} in the library.`);
    return row;
  }

  /** "X (copy)", or "X (copy 2)", … — a name no other protocol has. */
  private copyName(name: string): string {
    const taken = new Set((this.ctx.stmt('SELECT lower(name) FROM protocols').pluck().all() as string[]));
    const base = name.replace(/ \(copy(?: \d+)?\)$/u, '');
    for (let k = 1; ; k++) {
      const candidate = `${base} (copy${k === 1 ? '' : ` ${k}`})`.slice(0, 200);
      if (!taken.has(candidate.toLowerCase())) return candidate;
    }
  }

  /** The document as JSON text with the library's name and description, after validation. */
  private checkedDocument(document: unknown, name: string, description: string, options: ValidateOptions): string {
    if (document === null || typeof document !== 'object' || Array.isArray(document)) {
      throw invalid(`the protocol document must be an object, got ${describe(document)}`, { problems: [{ path: '', code: 'type', message: 'a protocol must be a JSON object' }] });
    }
    const { description: _old, ...rest } = document as Record<string, unknown>;
    const doc: Record<string, unknown> = { ...rest, name, ...(description.trim() === '' ? {} : { description }) };
    const result = validateProtocol(doc, options);
    if (!result.ok) {
      const n = result.problems.length;
      const first = result.problems[0];
      throw invalid(`The protocol "${name}" has ${n} problem${n === 1 ? '' : 's'}${first ? `; first: ${formatProblem(first)}` : ''}. Nothing was saved.`, {
        problems: result.problems,
      } satisfies InvalidProtocolDetails);
    }
    const json = JSON.stringify(doc);
    if (json.length > MAX_DOCUMENT_CHARACTERS) throw invalid(`the protocol document is too large (${json.length} characters of JSON; at most ${MAX_DOCUMENT_CHARACTERS})`);
    return json;
  }

  private addVersion(
    id: string | undefined,
    v: { name: string; description: string; tags: string[]; json: string; restoredFrom: number | null },
  ): ProtocolRecord {
    const now = this.ctx.now();
    const tags = JSON.stringify(v.tags);
    let key: string;
    let version: number;
    if (id === undefined) {
      key = randomUUID();
      version = 1;
      this.ctx
        .stmt('INSERT INTO protocols (id, name, description, tags, latest_version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)')
        .run(key, v.name, v.description, tags, now, now);
    } else {
      key = id;
      version = this.row(key).latest_version + 1;
      this.ctx
        .stmt('UPDATE protocols SET name = ?, description = ?, tags = ?, latest_version = ?, updated_at = ? WHERE id = ?')
        .run(v.name, v.description, tags, version, now, key);
    }
    this.ctx
      .stmt(
        `INSERT INTO protocol_versions (protocol_id, version, name, description, tags, document_json, document_hash, restored_from, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(key, version, v.name, v.description, tags, v.json, hashOf(v.json), v.restoredFrom, now);
    return this.get(key, version);
  }
}
