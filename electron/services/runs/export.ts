/**
 * A run as a file for other tools.
 *
 * CSV: metadata first, each line starting with '#' (run id, name, experiment, status and why,
 * protocol name and hash, device, app version, host, times in ISO-8601 with the time zone offset),
 * then one header line with SI units — `t (s),v (V),i (A),g (S),kind,block` — and one row per
 * sample. Numbers are written in the shortest form that reads back to the same double; a value
 * that is not a number is an empty field. `pandas.read_csv(f, comment='#')` reads it as is; Excel
 * and Origin show the '#' lines above the table.
 *
 * JSON: {format, version, run: provenance, blocks, samples: {t, v, i, g, kind, block}} with NaN as
 * null.
 */
import type { RunDetail } from '../store';
import type { SampleColumns } from '../../../shared/samples/columns';
import { compileProtocol, type BlockInfo } from '../../../shared/protocol';
import { describeDeviceSnapshot } from './devices';

export const CSV_HEADER = 't (s),v (V),i (A),g (S),kind,block';
export const RUN_JSON_FORMAT = 'memristor-workbench/run';
const KIND_NAMES = ['read', 'pulse'] as const;

export interface ExportedText {
  filename: string;
  mime: string;
  text: string;
}

export function exportRun(run: RunDetail, columns: SampleColumns, format: 'csv' | 'json', now = new Date()): ExportedText {
  return format === 'csv'
    ? { filename: exportFilename(run, 'csv'), mime: 'text/csv', text: runToCsv(run, columns, now) }
    : { filename: exportFilename(run, 'json'), mime: 'application/json', text: runToJson(run, columns, now) };
}

/** 'paper-spike-train-3f2b8c1e.csv': the run's name made file-safe, and the start of its id. */
export function exportFilename(run: { name: string; id: string }, extension: string): string {
  const slug =
    run.name
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .replace(/-+/g, '-')
      .toLowerCase()
      .slice(0, 60) || 'run';
  return `${slug}-${run.id.slice(0, 8)}.${extension}`;
}

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

function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ');
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

function protocolBlocks(protocol: unknown): BlockInfo[] {
  if (protocol === null || typeof protocol !== 'object') return [];
  const compiled = compileProtocol(protocol);
  return compiled.ok ? compiled.program.blocks : [];
}

function protocolName(run: RunDetail): string {
  return run.protocolName || '(none)';
}

export function runToCsv(run: RunDetail, c: SampleColumns, now = new Date()): string {
  const meta: [string, string][] = [
    ['run_id', run.id],
    ['run_name', oneLine(run.name)],
    ['experiment', oneLine(run.experimentName)],
    ['experiment_id', run.experimentId],
    ['status', run.status],
    ['exit_reason', oneLine(run.exitReason ?? '')],
    ['protocol', oneLine(protocolName(run))],
    ['protocol_sha256', run.protocolHash ?? ''],
    ['device', oneLine(describeDeviceSnapshot(run.device))],
    ['device_json', run.device === null ? '' : JSON.stringify(run.device)],
    ['instrument_idn', oneLine(run.instrumentIdn ?? '')],
    ['app_version', run.appVersion],
    ['host', oneLine(run.host)],
    ['created_at', isoWithOffset(run.createdAt)],
    ['started_at', isoWithOffset(run.startedAt)],
    ['ended_at', isoWithOffset(run.endedAt)],
    ['exported_at', isoWithOffset(now)],
    ['samples', String(c.length)],
    ['tags', run.tags.map(oneLine).join('; ')],
    ['notes', JSON.stringify(run.notes)],
  ];
  const lines = ['# Memristor Workbench run export (memristor-workbench/run-csv, version 1)'];
  for (const [k, v] of meta) lines.push(`# ${k}: ${v}`);
  protocolBlocks(run.protocol).forEach((b, k) => {
    lines.push(`# block ${k}: ${b.kind} at ${b.path}${b.id ? ` id ${b.id}` : ''}${b.label ? ` "${oneLine(b.label)}"` : ''}`);
  });
  lines.push('# columns: t = seconds since the run started; v = applied voltage; i = current; g = conductance; kind = read or pulse; block = index of the protocol block (-1: none)');
  lines.push(CSV_HEADER);
  const { t, v, i, g, kind, block } = c;
  for (let k = 0; k < c.length; k++) {
    lines.push(`${num(t[k] as number)},${num(v[k] as number)},${num(i[k] as number)},${num(g[k] as number)},${KIND_NAMES[kind[k] as 0 | 1] ?? String(kind[k])},${block[k]}`);
  }
  lines.push('');
  return lines.join('\n');
}

function jsonNumbers(a: Float64Array): (number | null)[] {
  const out = new Array<number | null>(a.length);
  for (let k = 0; k < a.length; k++) {
    const x = a[k] as number;
    out[k] = Number.isFinite(x) ? x : null;
  }
  return out;
}

export function runToJson(run: RunDetail, c: SampleColumns, now = new Date()): string {
  const { owner: _owner, ...provenance } = run;
  const doc = {
    format: RUN_JSON_FORMAT,
    version: 1,
    exportedAt: isoWithOffset(now),
    run: {
      ...provenance,
      createdAt: isoWithOffset(run.createdAt),
      updatedAt: isoWithOffset(run.updatedAt),
      startedAt: run.startedAt === null ? null : isoWithOffset(run.startedAt),
      endedAt: run.endedAt === null ? null : isoWithOffset(run.endedAt),
    },
    blocks: protocolBlocks(run.protocol),
    units: { t: 's', v: 'V', i: 'A', g: 'S' },
    kinds: { 0: 'read', 1: 'pulse' },
    samples: {
      length: c.length,
      t: jsonNumbers(c.t),
      v: jsonNumbers(c.v),
      i: jsonNumbers(c.i),
      g: jsonNumbers(c.g),
      kind: Array.from(c.kind),
      block: Array.from(c.block),
    },
  };
  return `${JSON.stringify(doc)}\n`;
}
