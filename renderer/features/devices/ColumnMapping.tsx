/**
 * The column-mapping step for a foreign trace file (one whose header the reader does not know):
 * its delimiter and decimal mark (sniffed, changeable), which of its columns holds t, v, i, g, kind
 * and width, and a preview of its first rows to choose by.
 */
import type { Delimiter, DecimalMark, Dialect } from '../../../shared/csv/delimited';
import { TRACE_COLUMNS, type TraceColumn, type TraceFileLayout } from '../../../shared/fit';

export interface ColumnMap {
  dialect: Dialect;
  columns: Partial<Record<TraceColumn, number>>;
}

const DELIMITER_LABELS: readonly [Delimiter, string][] = [
  [',', 'Comma'],
  [';', 'Semicolon'],
  ['\t', 'Tab'],
];
const DECIMAL_LABELS: readonly [DecimalMark, string][] = [
  ['.', 'Point (1.5)'],
  [',', 'Comma (1,5)'],
];
const COLUMN_LABELS: Readonly<Record<TraceColumn, string>> = {
  t: 't — time (s)',
  v: 'v — voltage (V)',
  i: 'i — current (A), optional with g',
  g: 'g — conductance (S), optional with i',
  kind: 'kind — read or pulse (0 or 1)',
  width: 'width — pulse width (s), optional',
};

export function ColumnMapping({ layout, value, onChange }: { layout: TraceFileLayout; value: ColumnMap; onChange: (next: ColumnMap) => void }) {
  const names = Array.from({ length: Math.max(layout.width, layout.header?.length ?? 0) }, (_, k) => layout.header?.[k] || `Column ${k + 1}`);
  const setColumn = (column: TraceColumn, index: string) => {
    const columns = { ...value.columns };
    if (index === '') delete columns[column];
    else columns[column] = Number(index);
    onChange({ ...value, columns });
  };
  return (
    <div className="dev-fit-row dev-mapping" data-testid="fit-column-mapping">
      <p className="muted">This file’s columns are not named t, v, i, g, kind, width: say which is which.</p>
      <div className="dev-mapping-grid">
        <label htmlFor="dev-map-delimiter">Delimiter</label>
        <select id="dev-map-delimiter" value={value.dialect.delimiter} onChange={(e) => onChange({ ...value, dialect: { ...value.dialect, delimiter: e.target.value as Delimiter } })}>
          {DELIMITER_LABELS.map(([d, label]) => (
            <option key={label} value={d}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="dev-map-decimal">Decimal mark</label>
        <select id="dev-map-decimal" value={value.dialect.decimal} onChange={(e) => onChange({ ...value, dialect: { ...value.dialect, decimal: e.target.value as DecimalMark } })}>
          {DECIMAL_LABELS.map(([d, label]) => (
            <option key={label} value={d}>
              {label}
            </option>
          ))}
        </select>
        {TRACE_COLUMNS.map((column) => (
          <Row key={column} column={column} names={names} value={value.columns[column]} onChange={(index) => setColumn(column, index)} />
        ))}
      </div>
      {layout.problem && <p className="dev-field-error">{layout.problem}</p>}
      {layout.preview.length > 0 && (
        <div className="dev-mapping-preview">
          <table className="dev-fit-table" aria-label="The file’s first rows">
            <thead>
              <tr>
                {names.map((n, k) => (
                  <th key={k} scope="col">
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {layout.preview.map((row, r) => (
                <tr key={r}>
                  {names.map((_, k) => (
                    <td key={k} className="mono">
                      {row[k] ?? ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Row({ column, names, value, onChange }: { column: TraceColumn; names: readonly string[]; value: number | undefined; onChange: (index: string) => void }) {
  const id = `dev-map-${column}`;
  return (
    <>
      <label htmlFor={id}>{COLUMN_LABELS[column]}</label>
      <select id={id} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value)}>
        <option value="">— none —</option>
        {names.map((n, k) => (
          <option key={k} value={String(k)}>
            {n}
          </option>
        ))}
      </select>
    </>
  );
}
