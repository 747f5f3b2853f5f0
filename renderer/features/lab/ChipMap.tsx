import { useState } from 'react';
import type { ChipCell, LabChip } from '../../../shared/contract/areas/lab';
import { formatSI } from '../../../shared/units';
import { navigate } from '../../app/use-hash-route';

type Metric = 'yield' | 'medianHrs' | 'medianLrs' | 'onOff' | 'cyclesSurvived' | 'pulses';
const METRICS: readonly { id: Metric; label: string; format: (x: number) => string; log: boolean }[] = [
  { id: 'yield', label: 'Yield (switched at least once)', format: (x) => (x >= 1 ? 'yes' : 'no'), log: false },
  { id: 'medianHrs', label: 'Median HRS', format: (x) => formatSI(x, 'Ω', { digits: 3 }), log: true },
  { id: 'medianLrs', label: 'Median LRS', format: (x) => formatSI(x, 'Ω', { digits: 3 }), log: true },
  { id: 'onOff', label: 'On/off (median HRS / LRS)', format: (x) => x.toPrecision(3), log: true },
  { id: 'cyclesSurvived', label: 'Cycles survived', format: (x) => String(x), log: false },
  { id: 'pulses', label: 'Pulses received', format: (x) => String(x), log: false },
];

/** Viridis (colour-blind safe, monotonic in lightness), five stops. */
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
] as const;

function viridis(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - k;
  const a = VIRIDIS[k]!;
  const b = VIRIDIS[k + 1]!;
  return `rgb(${a.map((c, i) => Math.round(c + (b[i]! - c) * f)).join(', ')})`;
}

/**
 * A chip's crossbar as a heat map of one per-device figure (#14): one cell per crossing, coloured
 * by the figure (viridis; logarithmic for resistances and ratios), empty crossings dashed; a cell
 * opens its device. A chip of single devices shows them in a row.
 */
export function ChipMap({ chip, cells }: { chip: LabChip; cells: readonly ChipCell[] }) {
  const [metric, setMetric] = useState<Metric>('medianHrs');
  const m = METRICS.find((x) => x.id === metric) ?? METRICS[0]!;
  const value = (c: ChipCell): number | null => {
    const v = c[metric];
    return v === null || !Number.isFinite(v) || (m.log && v <= 0) ? null : v;
  };
  const scaled = (v: number) => (m.log ? Math.log10(v) : v);
  const known = cells.map(value).filter((v): v is number => v !== null).map(scaled);
  const lo = known.length > 0 ? Math.min(...known) : 0;
  const hi = known.length > 0 ? Math.max(...known) : 1;
  const t = (v: number) => (hi > lo ? (scaled(v) - lo) / (hi - lo) : 0.5);
  const rows = chip.rows ?? 1;
  const cols = chip.cols ?? Math.max(1, cells.length);
  const at = new Map(cells.map((c, k) => [chip.rows === null ? `0,${k}` : `${c.wordLine},${c.bitLine}`, c]));
  const showText = cols <= 16;

  return (
    <section className="lab-panel" aria-label="Chip map">
      <div className="lab-panel-header">
        <h2>Chip map</h2>
        <label className="inline-field">
          Figure{' '}
          <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)} data-testid="chip-metric">
            {METRICS.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small-text">{chip.rows !== null ? `${chip.rows} word lines × ${chip.cols} bit lines` : 'single devices'}</span>
      </div>
      <div className="chip-map-scroll">
        <div className="chip-map" role="grid" aria-label={`${m.label} over chip ${chip.name}`} data-testid="chip-map" style={{ gridTemplateColumns: `auto repeat(${cols}, minmax(${showText ? 52 : 14}px, 1fr))` }}>
          <span className="chip-axis muted small-text">WL \ BL</span>
          {Array.from({ length: cols }, (_, b) => (
            <span key={`h${b}`} className="chip-axis muted small-text">
              {chip.rows === null ? '' : b}
            </span>
          ))}
          {Array.from({ length: rows }, (_, w) => (
            <div key={`r${w}`} role="row" className="chip-row">
              <span className="chip-axis muted small-text">{chip.rows === null ? '' : w}</span>
              {Array.from({ length: cols }, (_, b) => {
                const c = at.get(`${w},${b}`);
                if (!c) return <span key={b} role="gridcell" className="chip-cell empty" aria-label={`word line ${w}, bit line ${b}: no device`} />;
                const v = value(c);
                const tt = v === null ? null : t(v);
                const text = v === null ? '—' : m.format(v);
                return (
                  <button
                    key={b}
                    type="button"
                    role="gridcell"
                    className={v === null ? 'chip-cell unmeasured' : 'chip-cell'}
                    style={tt === null ? undefined : { background: viridis(tt), color: tt > 0.6 ? '#111' : '#fff' }}
                    title={`${c.name}: ${m.label} ${text}; ${c.runs} run${c.runs === 1 ? '' : 's'}, ${c.pulses} pulses`}
                    aria-label={`${c.name}: ${m.label} ${text}`}
                    data-testid={`chip-cell-${c.name}`}
                    onClick={() => navigate('samples', { device: c.deviceId })}
                  >
                    {showText ? text : ''}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {known.length > 0 && (
        <div className="chip-legend small-text" aria-label="Colour scale">
          <span className="mono">{m.format(m.log ? 10 ** lo : lo)}</span>
          <span className="chip-legend-bar" style={{ background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(viridis).join(', ')})` }} />
          <span className="mono">{m.format(m.log ? 10 ** hi : hi)}</span>
          {m.log && <span className="muted">(log scale)</span>}
        </div>
      )}
    </section>
  );
}
