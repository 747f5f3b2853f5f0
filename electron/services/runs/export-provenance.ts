import type { RunDetail } from '../store';

/** An ISO-8601 time with this machine's time zone offset, e.g. 2025-03-01T14:05:09.123+01:00. */
export function isoWithOffset(value: string | Date | null): string {
  if (value === null) return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const offsetMin = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + offsetMin * 60_000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local.toISOString().slice(0, 23)}${sign}${hh}:${mm}`;
}

/** Everything recorded about a run but its samples, times with their offset: what the JSON export and the CSV's sidecar carry. */
export function runProvenance(run: RunDetail) {
  const { owner: _owner, ...provenance } = run;
  return {
    ...provenance,
    createdAt: isoWithOffset(run.createdAt),
    updatedAt: isoWithOffset(run.updatedAt),
    startedAt: run.startedAt === null ? null : isoWithOffset(run.startedAt),
    endedAt: run.endedAt === null ? null : isoWithOffset(run.endedAt),
  };
}
