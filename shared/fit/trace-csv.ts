import type { MeasuredTrace, PulseEvent, ReadEvent } from './trace';

/**
 * Reads a measured trace from CSV: columns t, v, i, g, kind and optionally width, one row per
 * sample. kind is read|pulse (or 0|1, as in the sample archive). A header line is optional; with a
 * header, columns may come in any order. Lines starting with # are comments, blank lines are
 * skipped. Rows must be in time order. Never throws: returns the trace or every problem found,
 * each naming its line.
 */
export interface TraceCsvError {
  /** 1-based line number in the text (0 for problems with the text as a whole). */
  line: number;
  message: string;
}

export type TraceCsvResult = { ok: true; trace: MeasuredTrace } | { ok: false; errors: TraceCsvError[] };

export interface TraceCsvOptions {
  /** Width (s) for pulse rows that have none (no width column, or an empty cell). */
  pulseWidth?: number;
  /** Stop collecting after this many errors. Default 50. */
  maxErrors?: number;
}

const COLUMNS = ['t', 'v', 'i', 'g', 'kind', 'width'] as const;
type Column = (typeof COLUMNS)[number];

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

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(cell: string): number | undefined {
  return NUMBER.test(cell) ? Number(cell) : undefined;
}

function splitCells(line: string): string[] {
  return line.split(',').map((cell) => {
    const trimmed = cell.trim();
    return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).trim() : trimmed;
  });
}

function headerColumns(cells: readonly string[]): { columns: Column[] } | { unknown: string[] } | null {
  const normalised = cells.map((c) => c.toLowerCase().replace(/\s*\(.*\)$/, ''));
  if (normalised.some((c) => c !== '' && parseNumber(c) !== undefined)) return null;
  const unknown = normalised.filter((c) => !(c in ALIASES));
  if (unknown.length > 0) {
    // Only a line with at least one known column name is a header with typos; otherwise it is a bad row.
    return normalised.some((c) => c in ALIASES) ? { unknown } : null;
  }
  return { columns: normalised.map((c) => ALIASES[c]!) };
}

export function parseTraceCsv(text: string, options: TraceCsvOptions = {}): TraceCsvResult {
  const errors: TraceCsvError[] = [];
  const maxErrors = options.maxErrors ?? 50;
  const fail = (line: number, message: string): void => {
    if (errors.length < maxErrors) errors.push({ line, message });
  };
  if (typeof text !== 'string') return { ok: false, errors: [{ line: 0, message: 'the trace must be text' }] };
  if (options.pulseWidth !== undefined && !(options.pulseWidth > 0 && Number.isFinite(options.pulseWidth))) {
    return { ok: false, errors: [{ line: 0, message: `pulseWidth must be a positive number of seconds (got ${options.pulseWidth})` }] };
  }

  const pulses: PulseEvent[] = [];
  const reads: ReadEvent[] = [];
  let columns: Column[] = ['t', 'v', 'i', 'g', 'kind', 'width'];
  let positional = true;
  let sawData = false;
  let lastT = -Infinity;
  let lastTLine = 0;

  const lines = text.split(/\r\n|\r|\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index]!.replace(/^\uFEFF/, '');
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const cells = splitCells(trimmed);

    if (!sawData) {
      sawData = true;
      const header = headerColumns(cells);
      if (header && 'unknown' in header) {
        fail(lineNo, `unknown column ${header.unknown.map((c) => `"${c}"`).join(', ')} in the header (known: ${COLUMNS.join(', ')})`);
        return { ok: false, errors };
      }
      if (header) {
        const problems = checkHeader(header.columns);
        if (problems) {
          fail(lineNo, problems);
          return { ok: false, errors };
        }
        columns = header.columns;
        positional = false;
        continue;
      }
    }

    if (positional ? cells.length !== 5 && cells.length !== 6 : cells.length !== columns.length) {
      const expected = positional ? '5 or 6 (t, v, i, g, kind[, width])' : `${columns.length} (${columns.join(', ')})`;
      fail(lineNo, `expected ${expected} values, found ${cells.length}`);
      continue;
    }
    const cell = (name: Column): string | undefined => {
      const k = columns.indexOf(name);
      return k >= 0 ? cells[k] : undefined;
    };

    const rowErrors: string[] = [];
    const required = (name: 't' | 'v', what: string): number => {
      const c = cell(name) ?? '';
      const value = parseNumber(c);
      if (value === undefined || !Number.isFinite(value)) rowErrors.push(`${name} must be a number of ${what} (got ${show(c)})`);
      return value ?? NaN;
    };
    const optional = (name: 'i' | 'g' | 'width', what: string): number | undefined => {
      const c = cell(name);
      if (c === undefined || c === '') return undefined;
      const value = parseNumber(c);
      if (value === undefined || !Number.isFinite(value)) {
        rowErrors.push(`${name} must be a number of ${what} or empty (got ${show(c)})`);
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
    if (!kind) rowErrors.push(`kind must be read or pulse (or 0 or 1) (got ${show(cell('kind') ?? '')})`);

    if (Number.isFinite(t)) {
      if (t < lastT) rowErrors.push(`t = ${t} s is earlier than t = ${lastT} s on line ${lastTLine}: rows must be in time order`);
      else {
        lastT = t;
        lastTLine = lineNo;
      }
    }

    if (kind === 'pulse') {
      const w = width ?? options.pulseWidth;
      if (w === undefined) rowErrors.push('a pulse needs a width: add a width column or give a default pulse width');
      else if (!(w > 0)) rowErrors.push(`width must be a positive number of seconds (got ${w})`);
      if (rowErrors.length === 0) pulses.push({ t, v, width: w! });
    } else if (kind === 'read') {
      if (g === undefined && (i === undefined || v === 0)) {
        rowErrors.push(i === undefined ? 'a read needs g or i' : 'a read without g needs a non-zero v to compute g = i/v');
      }
      if (rowErrors.length === 0) {
        const read: ReadEvent = { t, v };
        if (i !== undefined) read.i = i;
        if (g !== undefined) read.g = g;
        reads.push(read);
      }
    }
    for (const message of rowErrors) fail(lineNo, message);
  }

  if (errors.length > 0) return { ok: false, errors };
  if (pulses.length === 0 && reads.length === 0) return { ok: false, errors: [{ line: 0, message: 'the trace has no data rows' }] };
  return { ok: true, trace: { pulses, reads } };
}

function checkHeader(columns: readonly Column[]): string | null {
  const seen = new Set<Column>();
  for (const c of columns) {
    if (seen.has(c)) return `column ${c} appears twice in the header`;
    seen.add(c);
  }
  const missing = (['t', 'v', 'kind'] as const).filter((c) => !seen.has(c));
  if (missing.length > 0) return `the header lacks the required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
  if (!seen.has('i') && !seen.has('g')) return 'the header needs an i or a g column for the reads';
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
