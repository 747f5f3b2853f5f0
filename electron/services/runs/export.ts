/**
 * A run as a file for other tools.
 *
 * CSV: the tidy table of export-csv.ts — one header line (`t_s,v_V,i_A,g_S,kind,width_s,pulse,
 * cycle,block,compliance`), one row per sample — with its provenance in a JSON sidecar, or also as '#' lines
 * above the header when asked.
 *
 * JSON: {format, version, run: provenance, blocks, samples: {t, v, i, g, kind, block, compliance}} with NaN as
 * null, every value the double the store holds.
 */
import type { RunDetail } from '../store';
import type { SampleColumns } from '../../../shared/samples/columns';
import { compileProtocol, type BlockInfo } from '../../../shared/protocol';
import { runToTidyCsv } from './export-csv';
import { isoWithOffset, runProvenance } from './export-provenance';

export { isoWithOffset } from './export-provenance';
export const RUN_JSON_FORMAT = 'memristor-workbench/run';

export interface ExportedText {
  filename: string;
  mime: string;
  text: string;
}

export interface ExportedRun extends ExportedText {
  /** The CSV's provenance, to be saved next to it as `<filename>.json`; null for JSON. */
  sidecar: ExportedText | null;
}

export interface ExportOptions {
  /** CSV: keep the provenance as '#' lines above the header as well. */
  comments?: boolean;
  now?: Date;
}

export function exportRun(run: RunDetail, columns: SampleColumns, format: 'csv' | 'json', options: ExportOptions = {}): ExportedRun {
  const now = options.now ?? new Date();
  if (format === 'json') return { filename: exportFilename(run, 'json'), mime: 'application/json', text: runToJson(run, columns, now), sidecar: null };
  const filename = exportFilename(run, 'csv');
  const { csv, sidecar } = runToTidyCsv(run, columns, { comments: options.comments === true, now });
  return { filename, mime: 'text/csv', text: csv, sidecar: { filename: sidecarFilename(filename), mime: 'application/json', text: sidecar } };
}

/** The sidecar of a CSV file: the same name with '.json' added (run.csv → run.csv.json). */
export function sidecarFilename(csvFile: string): string {
  return `${csvFile}.json`;
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

function protocolBlocks(protocol: unknown): BlockInfo[] {
  if (protocol === null || typeof protocol !== 'object') return [];
  const compiled = compileProtocol(protocol);
  return compiled.ok ? compiled.program.blocks : [];
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
  const doc = {
    format: RUN_JSON_FORMAT,
    version: 1,
    exportedAt: isoWithOffset(now),
    run: runProvenance(run),
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
      compliance: Array.from(c.compliance, (x) => x === 1),
    },
  };
  return `${JSON.stringify(doc)}\n`;
}
