/**
 * A run as a tidy CSV table for analysis tools, and its provenance as a JSON sidecar.
 *
 * The CSV is one header line and one row per sample, nothing else, so `pandas.read_csv(f)` with
 * default arguments, Origin's import and a spreadsheet read it unchanged (RFC 4180, UTF-8, LF line
 * ends, a dot as the decimal mark). Units are in the column names (TIDY_COLUMNS says what each
 * holds). Everything else — the run, its device, its protocol and block table, the column
 * descriptions, a checksum of the table — goes to the sidecar (`<file>.json`). On request
 * (`comments`), the provenance is also written above the header as '#' lines, as the workbench
 * did before: then `pandas.read_csv(f, comment='#')`.
 */
import { createHash } from 'node:crypto';
import type { RunDetail } from '../store';
import { replayProtocol, type Replay } from '../../../shared/protocol';
import { SampleKind, type SampleColumns } from '../../../shared/samples/columns';
import { describeDeviceSnapshot } from './devices';
import { isoWithOffset, runProvenance } from './export-provenance';

export interface TidyColumn {
  name: string;
  /** SI unit, or '' for a count or a word. */
  unit: string;
  type: 'number' | 'integer' | 'string';
  description: string;
}

/** Decimals of the times, voltages and widths written: 1 ns and 1 nV (see exactDecimal). */
export const DECIMALS = 9;

export const TIDY_COLUMNS: readonly TidyColumn[] = [
  { name: 't_s', unit: 's', type: 'number', description: `time of the sample since the run started, pauses included; an exact decimal rounded to 1 ns` },
  { name: 'v_V', unit: 'V', type: 'number', description: 'applied voltage: the pulse amplitude on a pulse row, the read voltage on a read row; rounded to 1 nV' },
  { name: 'i_A', unit: 'A', type: 'number', description: 'current: measured on a read; on a pulse, measured when the instrument reports it, else g·v' },
  { name: 'g_S', unit: 'S', type: 'number', description: 'conductance: i/v of a read; on a pulse, the conductance during it (else the last read)' },
  { name: 'kind', unit: '', type: 'string', description: 'read or pulse' },
  { name: 'width_s', unit: 's', type: 'number', description: 'width of the pulse (an I–V sweep step’s dwell), from the run’s protocol; empty on a read, and where the protocol does not replay' },
  {
    name: 'pulse',
    unit: '',
    type: 'integer',
    description: 'pulses the device had received when the sample was taken: on a pulse row its own number (1, 2, …), on a read the number before it (0 before the first pulse)',
  },
  {
    name: 'cycle',
    unit: '',
    type: 'integer',
    description:
      'iteration (from 1) of the outermost repeat, sweep, until or I–V sweep (its cycles) block the sample was taken in — a sample does not store it, so it is found by replaying the protocol against the samples; 0 outside every such block; -1 where unknown (no protocol, or the samples do not follow it)',
  },
  { name: 'block', unit: '', type: 'integer', description: 'index of the protocol block that took the sample, into the sidecar’s blocks; -1 for none' },
  {
    name: 'compliance',
    unit: '',
    type: 'integer',
    description: '1 when the source was in compliance as the current was measured (i_A is then the compliance current the source held, not what the device would draw), else 0; 0 for runs stored before the workbench recorded it',
  },
];

export const CSV_HEADER = TIDY_COLUMNS.map((c) => c.name).join(',');
export const SIDECAR_FORMAT = 'memristor-workbench/run-csv-metadata';

/**
 * A value as an exact decimal of at most `DECIMALS` places, trailing zeros dropped: 0.3 where the
 * double is 0.30000000000000004. Times are sums of protocol times (0.1 s + 0.2 s in binary) or
 * readings of a clock; no instrument the workbench drives times a pulse to better than about a
 * microsecond (the B2901A's shortest pulse is tens of µs) nor sources a voltage to better than a
 * microvolt, so rounding to 1 ns and 1 nV removes the binary noise and nothing measured. toFixed
 * rounds the double's exact value correctly (ECMA-262), so the text is within half a unit of the
 * last place of the stored value, and reading it back and writing it again gives the same text:
 * true for 9 places up to 2²² s (48 days, longer than any protocol); past that the places drop
 * until it is true again. (Exported for the tests: the property is theirs to check.)
 */
export function exactDecimal(x: number): string {
  if (!Number.isFinite(x)) return '';
  if (Math.abs(x) < EXACT_BELOW) {
    // Below 2²² half a double's spacing is under half a nanosecond, so the nearest 9-place decimal
    // is the answer and reads back to itself. When the shortest round-trip text already has at
    // most 9 places (0.1, 2, 1.001 — most values) it is that decimal: no rounding to do.
    const short = String(x);
    const dot = short.indexOf('.');
    if (!short.includes('e') && (dot < 0 || short.length - dot - 1 <= DECIMALS)) return short;
    return trimZeros(x.toFixed(DECIMALS));
  }
  if (Math.abs(x) >= 1e21) return String(x);
  for (let d = DECIMALS; d > 0; d--) {
    const text = trimZeros(x.toFixed(d));
    if (trimZeros(Number(text).toFixed(d)) === text) return text;
  }
  return trimZeros(x.toFixed(0));
}

const EXACT_BELOW = 2 ** 22;

function trimZeros(text: string): string {
  let end = text.length;
  if (text.includes('.')) {
    while (text.charCodeAt(end - 1) === 48) end--; // '0'
    if (text.charCodeAt(end - 1) === 46) end--; // '.'
  }
  const out = end === text.length ? text : text.slice(0, end);
  return out === '-0' ? '0' : out;
}

/** A measured value in the shortest text that reads back to the same double; empty when not a number. */
function measured(x: number): string {
  return Number.isFinite(x) ? String(x) : '';
}

export interface TidyCsv {
  csv: string;
  sidecar: string;
}

export interface TidyCsvOptions {
  /** Write the provenance as '#' lines above the header too. */
  comments?: boolean;
  now?: Date;
}

/** The tidy CSV of a run and its sidecar. */
export function runToTidyCsv(run: RunDetail, c: SampleColumns, options: TidyCsvOptions = {}): TidyCsv {
  const now = options.now ?? new Date();
  const replay = replayProtocol(run.protocol, c);
  const lines: string[] = options.comments ? commentLines(run, c, replay, now) : [];
  lines.push(CSV_HEADER);
  const { t, v, i, g, kind, block, compliance } = c;
  let pulses = 0;
  for (let k = 0; k < c.length; k++) {
    const isPulse = kind[k] === SampleKind.pulse;
    if (isPulse) pulses++;
    const width = isPulse ? exactDecimal(replay.width[k] as number) : '';
    lines.push(
      `${exactDecimal(t[k] as number)},${exactDecimal(v[k] as number)},${measured(i[k] as number)},${measured(g[k] as number)},${isPulse ? 'pulse' : 'read'},${width},${pulses},${replay.cycle[k]},${block[k]},${compliance[k]}`,
    );
  }
  lines.push('');
  const csv = lines.join('\n');
  return { csv, sidecar: sidecarJson(run, c, replay, csv, now) };
}

function sidecarJson(run: RunDetail, c: SampleColumns, replay: Replay, csv: string, now: Date): string {
  const doc = {
    format: SIDECAR_FORMAT,
    version: 1,
    exportedAt: isoWithOffset(now),
    table: {
      header: CSV_HEADER,
      rows: c.length,
      sha256: createHash('sha256').update(csv).digest('hex'),
      dialect: { delimiter: ',', quoteChar: '"', lineTerminator: '\n', decimal: '.', encoding: 'utf-8', header: true, comment: null },
    },
    columns: TIDY_COLUMNS,
    kinds: ['read', 'pulse'],
    replay: {
      samples: c.length,
      matched: replay.matched,
      problem: replay.problem,
      note: 'width_s and cycle come from replaying the run’s protocol against its samples; where it does not replay they are empty and -1',
    },
    run: runProvenance(run),
    blocks: replay.blocks,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ');
}

/** The provenance as '#' lines (the workbench's CSV before the sidecar), for `comments`. */
function commentLines(run: RunDetail, c: SampleColumns, replay: Replay, now: Date): string[] {
  const meta: [string, string][] = [
    ['run_id', run.id],
    ['run_name', oneLine(run.name)],
    ['experiment', oneLine(run.experimentName)],
    ['experiment_id', run.experimentId],
    ['status', run.status],
    ['exit_reason', oneLine(run.exitReason ?? '')],
    ['protocol', oneLine(run.protocolName || '(none)')],
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
  const lines = ['# Memristor Workbench run export (memristor-workbench/run-csv, version 2; read with comment="#")'];
  for (const [k, value] of meta) lines.push(`# ${k}: ${value}`);
  replay.blocks.forEach((b, k) => {
    lines.push(`# block ${k}: ${b.kind} at ${b.path}${b.id ? ` id ${b.id}` : ''}${b.label ? ` "${oneLine(b.label)}"` : ''}`);
  });
  for (const col of TIDY_COLUMNS) lines.push(`# column ${col.name}: ${col.description}`);
  return lines;
}
