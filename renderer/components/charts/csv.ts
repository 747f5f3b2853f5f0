/** Chart data as CSV: one row per point, long format, units in the header. */
export interface CsvSeries {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export function seriesToCsv(series: readonly CsvSeries[], xHeader: string, yHeader: string): string {
  const lines = [`series,${quote(xHeader)},${quote(yHeader)}`];
  for (const s of series) {
    const label = quote(s.label);
    const n = Math.min(s.x.length, s.y.length);
    for (let k = 0; k < n; k++) lines.push(`${label},${num(s.x[k]!)},${num(s.y[k]!)}`);
  }
  return `${lines.join('\n')}\n`;
}

function num(v: number): string {
  return Number.isFinite(v) ? String(v) : '';
}

function quote(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Saves text or a data URL as a file through the browser's download (Electron shows a save dialog). */
export function download(filename: string, content: string | Blob): void {
  const blob = typeof content === 'string' ? new Blob([content], { type: 'text/csv;charset=utf-8' }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
