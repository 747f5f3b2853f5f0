import { parseDecimal, readDelimited, type DecimalMark, type Dialect } from '../csv/delimited';
import type { MeasuredTrace, PulseEvent, ReadEvent } from './trace';

/**
 * Reads a measured trace from delimited text (shared/csv/delimited.ts: comma, semicolon or tab,
 * quoted fields, a decimal comma; the dialect sniffed unless given): columns
 * t, v, i, g, kind and optionally width, one row per sample. kind is read|pulse (or 0|1, as in
 * the sample archive). A header line is optional; with a header, columns are found by name in any
 * order — `t`, `time`, `t (s)` and `t_s` name the same column — and columns it does not use (the
 * workbench export's pulse, cycle and block; anything else) are ignored. Without one, the columns
 * are t, v, i, g, kind[, width] in that order. Lines starting with # are comments, blank lines are
 * skipped. Rows must be in time order. Never throws: returns the trace or every problem found,
 * each naming its line and, where there is one, its column.
 */
export interface TraceCsvError {
  /** 1-based line number in the text (0 for problems with the text as a whole). */
  line: number;
  /** 1-based number of the column (field) the problem is in, when it is in one. */
  column?: number;
  /** That column's name in the header, when there is a header. */
  columnName?: string;
  message: string;
}

export type TraceCsvResult = { ok: true; trace: MeasuredTrace } | { ok: false; errors: TraceCsvError[] };

export interface TraceCsvOptions {
  /** Width (s) for pulse rows that have none (no width column, or an empty cell). */
  pulseWidth?: number;
  /** Stop collecting after this many errors. Default 50. */
  maxErrors?: number;
  /** The delimiter and decimal mark; sniffed from the text where not given. */
  dialect?: Partial<Dialect>;
  /** Where each column is (0-based field index), for a file whose header the reader does not know (the column-mapping step); a header row, if any, is then skipped. */
  columns?: Partial<Record<TraceColumn, number>>;
}

export type TraceColumn = 't' | 'v' | 'i' | 'g' | 'kind' | 'width';
type Column = TraceColumn;
export const TRACE_COLUMNS: readonly TraceColumn[] = ['t', 'v', 'i', 'g', 'kind', 'width'];

const ALIASES: Readonly<Record<string, Column>> = {
  t: 't',
  time: 't',
  v: 'v',
  voltage: 'v',
  i: 'i',
  current: 'i',
  g: 'g',
  conductance: 'g',
  kind: 'kind',
  width: 'width',
};

/** The SI unit a column's name may carry after an underscore: t_s, v_V, i_A, g_S, width_s. */
const UNITS: Readonly<Record<Column, string>> = { t: 's', v: 'v', i: 'a', g: 's', kind: '', width: 's' };


/** The column a header cell names, or null: case, a unit in parentheses and an `_unit` suffix aside. */
function columnOf(cell: string): Column | null {
  const name = cell.trim().toLowerCase().replace(/\s*\(.*\)$/, '');
  const direct = ALIASES[name];
  if (direct) return direct;
  const underscore = /^(.+)_([a-z]+)$/.exec(name);
  const base = underscore ? ALIASES[underscore[1]!] : undefined;
  return base !== undefined && UNITS[base] === underscore![2] ? base : null;
}

/** "line 4, column 1 (t_s): t must be a number of seconds (got "x")", as the CLI and the Devices page show it. */
export function formatTraceCsvError(e: TraceCsvError): string {
  if (e.line <= 0) return e.message;
  const where = e.column === undefined ? `line ${e.line}` : `line ${e.line}, column ${e.column}${e.columnName ? ` (${e.columnName})` : ''}`;
  return `${where}: ${e.message}`;
}

export function parseTraceCsv(text: string, options: TraceCsvOptions = {}): TraceCsvResult {
  const errors: TraceCsvError[] = [];
  const maxErrors = options.maxErrors ?? 50;
  if (typeof text !== 'string') return { ok: false, errors: [{ line: 0, message: 'the trace must be text' }] };
  if (options.pulseWidth !== undefined && !(options.pulseWidth > 0 && Number.isFinite(options.pulseWidth))) {
    return { ok: false, errors: [{ line: 0, message: `pulseWidth must be a positive number of seconds (got ${options.pulseWidth})` }] };
  }

  if (options.columns !== undefined) {
    const problem = checkHeader(options.columns);
    if (problem !== null) return { ok: false, errors: [{ line: 0, message: `the column mapping: ${problem}` }] };
  }
  const read = readDelimited(text, options.dialect ?? {});
  const decimal: DecimalMark = read.dialect.decimal;
  const parseNumber = (cell: string) => parseDecimal(cell, decimal);
  const pulses: PulseEvent[] = [];
  const reads: ReadEvent[] = [];
  /** Where each column is (field index), by name; the header's names for messages. */
  let at: Partial<Record<Column, number>> = options.columns ?? { t: 0, v: 1, i: 2, g: 3, kind: 4, width: 5 };
  let names: string[] | null = null;
  let headerLine = 0;
  let sawData = false;
  let stop = false;
  let lastT = -Infinity;
  let lastTLine = 0;

  const onRecord = (record: { line: number; fields: string[] }): boolean => {
    const lineNo = record.line;
    const cells = record.fields.map((f) => f.trim());
    const fail = (message: string, column?: Column): void => {
      if (errors.length >= maxErrors) return;
      const k = column === undefined ? undefined : at[column];
      const error: TraceCsvError = { line: lineNo, message };
      if (k !== undefined) {
        error.column = k + 1;
        if (names?.[k]) error.columnName = names[k];
      }
      errors.push(error);
    };
    if (cells.length === 1 && cells[0] === '') return true; // a line of spaces

    if (!sawData) {
      sawData = true;
      if (cells.every((c) => c === '' || parseNumber(c) === undefined)) {
        const problem = options.columns ?? readHeader(cells);
        if (typeof problem === 'string') {
          fail(problem);
          stop = true;
          return false;
        }
        at = problem;
        names = cells;
        headerLine = lineNo;
        return true;
      }
    }

    if (options.columns !== undefined && at === options.columns) {
      const widest = Math.max(...Object.values(options.columns).map((k) => k ?? 0));
      if (cells.length <= widest) {
        fail(`expected at least ${widest + 1} values, as the column mapping names, found ${cells.length}`);
        return errors.length < maxErrors;
      }
    } else if (names ? cells.length !== names.length : cells.length !== 5 && cells.length !== 6) {
      fail(names ? `expected ${names.length} values, as the header on line ${headerLine} names, found ${cells.length}` : `expected 5 or 6 (t, v, i, g, kind[, width]) values, found ${cells.length}`);
      return errors.length < maxErrors;
    }
    const cell = (name: Column): string | undefined => {
      const k = at[name];
      return k === undefined ? undefined : cells[k];
    };

    let bad = false;
    const problem = (message: string, column?: Column): void => {
      bad = true;
      fail(message, column);
    };
    const required = (name: 't' | 'v', what: string): number => {
      const c = cell(name) ?? '';
      const value = parseNumber(c);
      if (value === undefined || !Number.isFinite(value)) problem(`${name} must be a number of ${what} (got ${show(c)})`, name);
      return value ?? NaN;
    };
    const optional = (name: 'i' | 'g' | 'width', what: string): number | undefined => {
      const c = cell(name);
      if (c === undefined || c === '') return undefined;
      const value = parseNumber(c);
      if (value === undefined || !Number.isFinite(value)) {
        problem(`${name} must be a number of ${what} or empty (got ${show(c)})`, name);
        return undefined;
      }
      return value;
    };

    const t = required('t', 'seconds');
    const v = required('v', 'volts');
    const i = optional('i', 'amperes');
    const g = optional('g', 'siemens');
    const width = optional('width', 'seconds');
    const kindCell = (cell('kind') ?? '').toLowerCase();
    const kind = kindCell === 'read' || kindCell === '0' ? 'read' : kindCell === 'pulse' || kindCell === '1' ? 'pulse' : undefined;
    if (!kind) problem(`kind must be read or pulse (or 0 or 1) (got ${show(cell('kind') ?? '')})`, 'kind');

    if (Number.isFinite(t)) {
      if (t < lastT) problem(`t = ${t} s is earlier than t = ${lastT} s on line ${lastTLine}: rows must be in time order`, 't');
      else {
        lastT = t;
        lastTLine = lineNo;
      }
    }

    if (kind === 'pulse') {
      const w = width ?? options.pulseWidth;
      if (w === undefined) problem('a pulse needs a width: add a width column or give a default pulse width', at.width === undefined ? undefined : 'width');
      else if (!(w > 0)) problem(`width must be a positive number of seconds (got ${w})`, 'width');
      if (!bad) pulses.push({ t, v, width: w! });
    } else if (kind === 'read') {
      if (g === undefined && (i === undefined || v === 0)) {
        problem(i === undefined ? 'a read needs g or i' : 'a read without g needs a non-zero v to compute g = i/v', at.g === undefined ? 'i' : 'g');
      }
      if (!bad) {
        const read: ReadEvent = { t, v };
        if (i !== undefined) read.i = i;
        if (g !== undefined) read.g = g;
        reads.push(read);
      }
    }
    return errors.length < maxErrors;
  };

  if (read.ok) {
    for (const record of read.records) if (!onRecord(record)) break;
  } else {
    const syntax = read.error;
    // The first line (when a header, and not the broken one) still names the columns, for the message.
    const firstLine = text.split(/\r\n|\n|\r/, Math.max(0, Math.min(syntax.line - 1, 1000))).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
    const before = readDelimited(firstLine, read.dialect);
    const head = before.ok ? before.records[0]?.fields.map((c) => c.trim()) : undefined;
    const header = head !== undefined && head.every((c) => c === '' || parseNumber(c) === undefined) ? head : undefined;
    const name = header?.[syntax.field - 1];
    errors.push({ line: syntax.line, column: syntax.field, ...(name ? { columnName: name } : {}), message: syntax.message });
  }
  if (errors.length > 0 || stop) return { ok: false, errors };
  if (pulses.length === 0 && reads.length === 0) return { ok: false, errors: [{ line: 0, message: 'the trace has no data rows' }] };
  return { ok: true, trace: { pulses, reads } };
}

/** Where each column is, from the header's cells; or what is wrong with the header. Unknown names are ignored. */
function readHeader(cells: readonly string[]): Partial<Record<Column, number>> | string {
  const at: Partial<Record<Column, number>> = {};
  for (let k = 0; k < cells.length; k++) {
    const column = columnOf(cells[k]!);
    if (column === null) continue;
    if (at[column] !== undefined) return `columns ${at[column]! + 1} (${cells[at[column]!]}) and ${k + 1} (${cells[k]}) both name ${column}`;
    at[column] = k;
  }
  const problem = checkHeader(at);
  return problem === null ? at : `${problem} (found: ${cells.map((c) => (c === '' ? '(empty)' : c)).join(', ')}; the columns are t, v, i, g, kind[, width] — units as t (s) or t_s — and others are ignored)`;
}

function checkHeader(at: Partial<Record<Column, number>>): string | null {
  const missing = (['t', 'v', 'kind'] as const).filter((c) => at[c] === undefined);
  if (missing.length > 0) return `the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (at.i === undefined && at.g === undefined) return 'the header needs an i or a g column for the reads';
  return null;
}

function show(cell: string): string {
  if (cell === '') return 'an empty cell';
  return JSON.stringify(cell.length > 30 ? `${cell.slice(0, 30)}…` : cell);
}

/** Writes a trace as CSV with a header (t,v,i,g,kind,width), merged in time order, pulses first at equal times. */
export function formatTraceCsv(trace: MeasuredTrace, comments: readonly string[] = []): string {
  type Row = { t: number; order: number; text: string };
  const rows: Row[] = [];
  trace.pulses.forEach((p, k) => rows.push({ t: p.t, order: k, text: `${p.t},${p.v},,,pulse,${p.width}` }));
  const offset = trace.pulses.length;
  trace.reads.forEach((r, k) =>
    rows.push({ t: r.t, order: offset + k, text: `${r.t},${r.v},${r.i ?? ''},${r.g ?? ''},read,` }),
  );
  rows.sort((a, b) => a.t - b.t || a.order - b.order);
  const lines = [...comments.map((c) => `# ${c}`), 't,v,i,g,kind,width', ...rows.map((r) => r.text)];
  return `${lines.join('\n')}\n`;
}

export interface TraceFileLayout {
  dialect: Dialect;
  /** The first row's cells when it is a header (no number in it), else null. */
  header: string[] | null;
  /** Where the reader finds each column by itself (from the header's names, or the t, v, i, g, kind[, width] order). */
  columns: Partial<Record<TraceColumn, number>>;
  /** Whether those columns are enough to read the file without a mapping. */
  known: boolean;
  /** Up to five data rows, for a person to map the columns by. */
  preview: string[][];
  /** How many fields the first data row has. */
  width: number;
  /** A syntax error, at its line and field, if the text has one. */
  problem: string | null;
}

/** What a delimited file looks like, for the column-mapping step: its dialect, header, a preview and the columns already known. */
export function traceFileLayout(text: string, dialect: Partial<Dialect> = {}): TraceFileLayout {
  const read = readDelimited(text, dialect);
  if (!read.ok) return { dialect: read.dialect, header: null, columns: {}, known: false, preview: [], width: 0, problem: formatTraceCsvError({ line: read.error.line, column: read.error.field, message: read.error.message }) };
  const first = read.records[0]?.fields.map((c) => c.trim()) ?? [];
  const isHeader = first.length > 0 && first.every((c) => c === '' || parseDecimal(c, read.dialect.decimal) === undefined);
  const data = read.records.slice(isHeader ? 1 : 0, isHeader ? 6 : 5).map((r) => r.fields.map((c) => c.trim()));
  const fromHeader = isHeader ? readHeader(first) : null;
  const columns: Partial<Record<TraceColumn, number>> = isHeader
    ? typeof fromHeader === 'string' || fromHeader === null
      ? Object.fromEntries(first.flatMap((c, k) => (columnOf(c) === null ? [] : [[columnOf(c)!, k]])))
      : fromHeader
    : { t: 0, v: 1, i: 2, g: 3, kind: 4, ...((data[0]?.length ?? 0) > 5 ? { width: 5 } : {}) };
  return { dialect: read.dialect, header: isHeader ? first : null, columns, known: checkHeader(columns) === null, preview: data, width: data[0]?.length ?? first.length, problem: null };
}
