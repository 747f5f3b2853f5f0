/**
 * Finding runs: the Archive's filters (experiment, status, text, tags, dates, device, protocol by
 * name or hash prefix), one page at a time, and the values those filters can take.
 */
import type { StoreContext } from './context';
import { FROM, SUMMARY_COLUMNS, toSummary, type SummaryRow } from './run-rows';
import type { RunFilter, RunList } from './types';
import { checkInteger, checkStatus, checkTags, checkText, checkTime, checkUuid, invalid } from './validate';

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

/**
 * The filters of RunFilter and two more the Archive needs: the device a run used (its kind, and
 * the preset's name or the instrument's driver, see migration 7) and its protocol, by name
 * (case-insensitive, whole) or by hash (whole, or its first 8 or more hex digits).
 */
export interface RunQuery extends RunFilter {
  deviceName?: string;
  protocol?: string;
}

/** What the archive holds, to offer as filter choices: each value with how many runs have it. */
export interface RunFacets {
  devices: { kind: string; name: string | null; runs: number }[];
  /** Protocol names (case-insensitively distinct) and how many versions (hashes) ran under each. */
  protocols: { name: string; runs: number; versions: number }[];
  tags: { tag: string; runs: number }[];
}

/** A protocol filter this long, all hex digits, also matches hashes that start with it. */
const MIN_HASH_PREFIX = 8;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Runs matching every given filter, newest first, one page at a time, with the total count. */
export function listRuns(ctx: StoreContext, filter: RunQuery = {}): RunList {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.experimentId !== undefined) {
    where.push('r.experiment_id = ?');
    params.push(checkUuid(filter.experimentId, 'experiment id'));
  }
  if (filter.status !== undefined) {
    const list = (typeof filter.status === 'string' ? [filter.status] : [...filter.status]).map((s) => checkStatus(s));
    if (list.length === 0) throw invalid('status filter must name at least one status');
    where.push(`r.status IN (${list.map(() => '?').join(',')})`);
    params.push(...list);
  }
  if (filter.search !== undefined) {
    const s = checkText(filter.search, 'search text', 200).trim();
    if (s !== '') {
      const like = `%${escapeLike(s)}%`;
      where.push("(r.name LIKE ? ESCAPE '\\' OR r.notes LIKE ? ESCAPE '\\' OR r.protocol_name LIKE ? ESCAPE '\\')");
      params.push(like, like, like);
    }
  }
  if (filter.tag !== undefined) {
    const tags = checkTags(typeof filter.tag === 'string' ? [filter.tag] : [...filter.tag]);
    for (const t of tags) {
      where.push('EXISTS (SELECT 1 FROM json_each(r.tags) WHERE json_each.value = ?)');
      params.push(t);
    }
  }
  if (filter.createdFrom !== undefined) {
    where.push('r.created_at >= ?');
    params.push(checkTime(filter.createdFrom, 'createdFrom'));
  }
  if (filter.createdTo !== undefined) {
    where.push('r.created_at < ?');
    params.push(checkTime(filter.createdTo, 'createdTo'));
  }
  if (filter.deviceKind !== undefined) {
    where.push('r.device_kind = ?');
    params.push(checkText(filter.deviceKind, 'device kind', 200));
  }
  if (filter.deviceName !== undefined) {
    where.push('r.device_name = ?');
    params.push(checkText(filter.deviceName, 'device name', 200));
  }
  if (filter.protocol !== undefined) {
    const p = checkText(filter.protocol, 'protocol', 200).trim();
    if (p === '') throw invalid('the protocol filter must be a protocol name or hash, not empty');
    if (new RegExp(`^[0-9a-f]{${MIN_HASH_PREFIX},}$`, 'i').test(p)) {
      // A range, not LIKE, so the hash index serves it.
      const prefix = p.toLowerCase();
      where.push('(r.protocol_name = ? COLLATE NOCASE OR (r.protocol_hash >= ? AND r.protocol_hash < ?))');
      params.push(p, prefix, `${prefix}\uffff`);
    } else {
      where.push('r.protocol_name = ? COLLATE NOCASE');
      params.push(p);
    }
  }
  const limit = filter.limit === undefined ? DEFAULT_PAGE : checkInteger(filter.limit, 'limit', 1, MAX_PAGE);
  const offset = filter.offset === undefined ? 0 : checkInteger(filter.offset, 'offset', 0);
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';

  const total = ctx.stmt(`SELECT count(*) AS n ${FROM} ${clause}`).get(...params) as { n: number };
  const rows = ctx
    .stmt(`SELECT ${SUMMARY_COLUMNS} ${FROM} ${clause} ORDER BY r.created_at DESC, r.id LIMIT ? OFFSET ?`)
    .all(...params, limit, offset) as SummaryRow[];
  return { runs: rows.map(toSummary), total: total.n };
}

/** The devices, protocols and tags of the runs (of one experiment, or all), for the Archive's filter choices. */
export function runFacets(ctx: StoreContext, experimentId?: string): RunFacets {
  const scope = experimentId === undefined ? '' : 'WHERE r.experiment_id = ?';
  const params = experimentId === undefined ? [] : [checkUuid(experimentId, 'experiment id')];
  const and = (cond: string) => (scope === '' ? `WHERE ${cond}` : `${scope} AND ${cond}`);
  const devices = ctx
    .stmt(
      `SELECT r.device_kind AS kind, r.device_name AS name, count(*) AS runs FROM runs r ${and('r.device_kind IS NOT NULL')}
       GROUP BY r.device_kind, r.device_name ORDER BY r.device_kind, r.device_name`,
    )
    .all(...params) as RunFacets['devices'];
  const protocols = ctx
    .stmt(
      `SELECT min(r.protocol_name) AS name, count(*) AS runs, count(DISTINCT r.protocol_hash) AS versions FROM runs r ${and('r.protocol_name IS NOT NULL')}
       GROUP BY r.protocol_name COLLATE NOCASE ORDER BY r.protocol_name COLLATE NOCASE`,
    )
    .all(...params) as RunFacets['protocols'];
  const tags = ctx
    .stmt(`SELECT t.value AS tag, count(*) AS runs FROM runs r, json_each(r.tags) t ${scope} GROUP BY t.value ORDER BY t.value`)
    .all(...params) as RunFacets['tags'];
  return { devices, protocols, tags };
}
