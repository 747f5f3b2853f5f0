/**
 * ArC ONE session files (`.csv`, or gzip-compressed `.csv.gz`), read for `workbench import-arc1`.
 *
 * The layout ArC ONE writes: line 1 the session name, line 2 a date, line 3 the header
 * `Wordline,Bitline,Resistance,Amplitude (V),Pulse width (s),Tag,ReadTag,ReadVoltage`, then one
 * row per operation on a cell, the rows of one module run together (its tag: `FF_s` … `FF_i` …
 * `FF_e` for a module's start, steps and end; `S R` a single read; `P` a single pulse). The body
 * is read by csv-parse (quoted fields allowed), every value checked; the first problem is reported
 * with its line and column (the column counted from 1 as a spreadsheet does, named by its header).
 *
 * Grouping (ours): per cell, consecutive rows whose tags share a module (the tag without a trailing
 * `_s`, `_i…`, `_e`) form one group; a `_s` tag starts a new group and an `_e` tag ends one.
 * Reading (ours): a row with a zero pulse width or the tag `S R` is a read; any other row is a
 * pulse of `Amplitude (V)` for `Pulse width (s)` followed by the read ArC ONE took after it. The
 * file has no clock, so a sample's time is the sum of the pulse widths before it. ArC ONE measures
 * no current during a pulse, so a pulse sample's i and g are NaN: the cycles' HRS and LRS come from
 * the reads (shared/analysis), and a single-pulse SET or RESET has no V_set / V_reset.
 */
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { SampleBuilder, SampleKind, type SampleColumns } from '../../../shared/samples/columns';
import { MAX_CROSSBAR_SIDE } from '../../../shared/contract/areas/samples';
import { TEXT_LIMITS } from '../../../shared/contract/limits';
import { ServiceError } from '../errors';
import { userText } from './read-user-file';

export const ARC1_HEADER = ['Wordline', 'Bitline', 'Resistance', 'Amplitude (V)', 'Pulse width (s)', 'Tag', 'ReadTag', 'ReadVoltage'] as const;

/** The longest row accepted, in bytes (ours): an ArC ONE row is under 200; a longer one is not a session file. */
export const ARC1_MAX_ROW_BYTES = 64 * 1024;
/** The most a .csv.gz may expand to (ours): the CSV cap of FILE_LIMITS. */
export const ARC1_MAX_TEXT_BYTES = 64 * 1024 * 1024;

export interface Arc1Row {
  line: number;
  resistance: number;
  amplitude: number;
  width: number;
  tag: string;
  readTag: string;
  readVoltage: number;
}

export interface Arc1Group {
  /** The module: the tag without its _s/_i/_e suffix. */
  module: string;
  rows: Arc1Row[];
}

export interface Arc1Cell {
  wordLine: number;
  bitLine: number;
  groups: Arc1Group[];
}

export interface Arc1Session {
  name: string;
  date: string;
  /** In the order each cell first appears. */
  cells: Arc1Cell[];
  rows: number;
}

/** A session file that is refused, at its line and column (column 0: the whole line). */
export class Arc1FormatError extends ServiceError {
  override name = 'Arc1FormatError';
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super('invalid_request', `line ${line}${column > 0 ? `, column ${column}${ARC1_HEADER[column - 1] ? ` (${ARC1_HEADER[column - 1]})` : ''}` : ''}: ${message}`, { line, column });
  }
}

/** The text of a session file's bytes: gunzipped when they start with gzip's magic number; UTF-16 or binary refused by name. */
export function arc1Text(file: string, bytes: Uint8Array): string {
  let raw = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes, { maxOutputLength: ARC1_MAX_TEXT_BYTES });
    } catch (e) {
      throw new ServiceError('invalid_request', `the .gz file does not decompress (${(e as Error).message}); a session file is a .csv or a gzip-compressed .csv.gz of at most ${ARC1_MAX_TEXT_BYTES / 1024 / 1024} MiB`);
    }
  }
  return userText(file, 'csv', raw);
}

function headLine(text: string, from: number, line: number): { value: string; next: number } {
  const end = text.indexOf('\n', from);
  const stop = end < 0 ? text.length : end;
  if (stop - from > TEXT_LIMITS.name * 4) throw new Arc1FormatError(line, 0, `the line is ${stop - from} characters long; line ${line} of a session file is its ${line === 1 ? 'name' : 'date'}`);
  const value = text.slice(from, stop).replace(/\r$/, '').trim();
  return { value, next: end < 0 ? text.length : end + 1 };
}

const MODULE_SUFFIX = /_(s|e|i)(_.*)?$/;

export function parseArc1Session(input: string): Arc1Session {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const first = headLine(text, 0, 1);
  const second = headLine(text, first.next, 2);
  if (first.value === '') throw new Arc1FormatError(1, 0, 'the session name is missing (an ArC ONE session file starts with its name, then a date, then the header)');
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text.slice(second.next), { info: true, relax_column_count: true, max_record_size: ARC1_MAX_ROW_BYTES, skip_empty_lines: true, trim: true }) as never;
  } catch (e) {
    const err = e as { code?: string; lines?: number; column?: number; message: string };
    const line = (err.lines ?? 1) + 2;
    const column = typeof err.column === 'number' ? err.column + 1 : 0;
    if (err.code === 'CSV_MAX_RECORD_SIZE') throw new Arc1FormatError(line, column, `the row is longer than ${ARC1_MAX_ROW_BYTES} bytes; an ArC ONE row is a few numbers and tags`);
    throw new Arc1FormatError(line, column, err.message.replace(/ at line \d+.*$/, ''));
  }
  const header = records[0];
  if (header === undefined) throw new Arc1FormatError(3, 0, `the header is missing; expected ${ARC1_HEADER.join(',')}`);
  ARC1_HEADER.forEach((name, k) => {
    if (header.record[k] !== name) {
      throw new Arc1FormatError(3, k + 1, header.record[k] === undefined ? `missing column '${name}'` : `expected the column '${name}', found '${header.record[k]}'`);
    }
  });
  if (header.record.length > ARC1_HEADER.length) throw new Arc1FormatError(3, ARC1_HEADER.length + 1, `unexpected column '${header.record[ARC1_HEADER.length]}'`);
  const cells = new Map<string, Arc1Cell & { open: Arc1Group | null }>();
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r]!;
    const line = info.lines + 2;
    if (record.length !== ARC1_HEADER.length) {
      throw new Arc1FormatError(line, Math.min(record.length, ARC1_HEADER.length) + 1, `expected ${ARC1_HEADER.length} values, as the header names, found ${record.length}`);
    }
    const number = (k: number, check: (x: number) => boolean, what: string) => {
      const raw = record[k] as string;
      const x = raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(x)) throw new Arc1FormatError(line, k + 1, `'${raw.slice(0, 40)}' is not a number`);
      if (!check(x)) throw new Arc1FormatError(line, k + 1, `${raw} is not ${what}`);
      return x;
    };
    const coordinate = (k: number) => number(k, (x) => Number.isInteger(x) && x >= 0 && x < MAX_CROSSBAR_SIDE, `a line number from 0 to ${MAX_CROSSBAR_SIDE - 1}`);
    const wordLine = coordinate(0);
    const bitLine = coordinate(1);
    const row: Arc1Row = {
      line,
      resistance: number(2, (x) => x > 0, 'a resistance above 0 Ω'),
      amplitude: number(3, () => true, ''),
      width: number(4, (x) => x >= 0, 'a pulse width of 0 s or more'),
      tag: record[5] as string,
      readTag: record[6] as string,
      readVoltage: number(7, () => true, ''),
    };
    if (row.tag === '') throw new Arc1FormatError(line, 6, 'the tag is empty; every operation names its module');
    if (row.tag.length > TEXT_LIMITS.tag) throw new Arc1FormatError(line, 6, `the tag is longer than ${TEXT_LIMITS.tag} characters`);
    const key = `${wordLine},${bitLine}`;
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = { wordLine, bitLine, groups: [], open: null };
      cells.set(key, cell);
    }
    const module = row.tag.replace(MODULE_SUFFIX, '');
    const starts = /_s(_.*)?$/.test(row.tag);
    if (cell.open === null || starts || cell.open.module !== module) {
      cell.open = { module, rows: [] };
      cell.groups.push(cell.open);
    }
    cell.open.rows.push(row);
    if (/_e(_.*)?$/.test(row.tag)) cell.open = null;
  }
  return { name: first.value, date: second.value, rows: records.length - 1, cells: [...cells.values()].map(({ open: _open, ...c }) => c) };
}

/** A group's samples: each read (and the pulse before it, when the row is a pulse), at the sum of the pulse widths before it. */
export function groupSamples(group: Arc1Group): SampleColumns {
  const b = new SampleBuilder(group.rows.length * 2);
  let t = 0;
  for (const r of group.rows) {
    const g = 1 / r.resistance;
    const read = r.width === 0 || r.tag === 'S R';
    if (!read) {
      b.push(t, r.amplitude, Number.NaN, Number.NaN, SampleKind.pulse, -1);
      t += r.width;
    }
    b.push(t, r.readVoltage, r.readVoltage * g, g, SampleKind.read, -1);
  }
  return b.take();
}
