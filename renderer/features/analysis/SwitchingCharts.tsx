import '../../styles/analysis.css';
import { forwardRef, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { analyzeSwitching, type SwitchingAnalysis } from '../../../shared/analysis';
import { SampleBuilder, SampleKind, type SampleColumns } from '../../../shared/samples/columns';
import { formatSI } from '../../../shared/units';
import { cycleColor, distribution, ivTraces, resistanceOf, retention, statesByCycle, type Trace } from './traces';
import { XYChart, type XYSeries } from './XYChart';

/**
 * The switching charts of a run (#13), live and in the Archive: I–V per cycle coloured by cycle
 * (linear or log|I|), R–V, HRS/LRS against cycle (log x), cumulative distributions of HRS, LRS,
 * V_set and |V_reset|, and retention (G against log t) for a run that ends in reads. Fed like the
 * live charts (append batches, or show a stored run); the analysis is recomputed at most every
 * REFRESH_MS while samples stream in. Shows nothing for a run with no sweep and no retention.
 */
export interface SwitchingChartsHandle {
  append(columns: SampleColumns, from?: number, to?: number): void;
  show(columns: SampleColumns): void;
  clear(): void;
}

/** How often a live run's analysis and charts are brought up to date (ours): a loop is seconds long. */
export const REFRESH_MS = 400;

const OTHER = '#7a7a7a';

interface View {
  samples: SampleColumns;
  analysis: SwitchingAnalysis;
}

export const SwitchingCharts = forwardRef<SwitchingChartsHandle, { idPrefix?: string; height?: number }>(function SwitchingCharts({ idPrefix = 'live', height = 230 }, ref) {
  const builder = useRef(new SampleBuilder(4096));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [view, setView] = useState<View | null>(null);
  /** What the samples so far hold: the analysis runs only once there is something to draw (a pulse train has nothing). */
  const seen = useRef(freshSeen());

  const refresh = () => {
    timer.current = null;
    const s = seen.current;
    if (!s.negative && s.voltages.size < 5 && s.readsAfterDrive < 3) return;
    const samples = builder.current.view();
    setView({ samples, analysis: analyzeSwitching(samples) });
  };

  const append = (c: SampleColumns, from = 0, to = c.length) => {
    const n = to - from;
    if (n <= 0) return;
    const b = builder.current;
    const at = b.length;
    const a = b.reserve(n);
    a.t.set(c.t.subarray(from, to), at);
    a.v.set(c.v.subarray(from, to), at);
    a.i.set(c.i.subarray(from, to), at);
    a.g.set(c.g.subarray(from, to), at);
    a.kind.set(c.kind.subarray(from, to), at);
    a.block.set(c.block.subarray(from, to), at);
    a.compliance.set(c.compliance.subarray(from, to), at);
    b.added(n);
    const s = seen.current;
    for (let k = from; k < to; k++) {
      if (c.kind[k] === SampleKind.read) s.readsAfterDrive++;
      else if (c.v[k] !== 0) {
        s.readsAfterDrive = 0;
        if (c.v[k]! < 0) s.negative = true;
        if (s.voltages.size < 5) s.voltages.add(c.v[k]!);
      }
    }
  };

  useImperativeHandle(ref, () => ({
    append(c, from, to) {
      append(c, from, to);
      if (timer.current === null) timer.current = setTimeout(refresh, REFRESH_MS);
    },
    show(c) {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      builder.current = new SampleBuilder(Math.max(1, c.length));
      seen.current = freshSeen();
      append(c);
      refresh();
    },
    clear() {
      if (timer.current !== null) clearTimeout(timer.current);
      timer.current = null;
      builder.current = new SampleBuilder(4096);
      seen.current = freshSeen();
      setView(null);
    },
  }));

  if (view === null) return null;
  return <SwitchingView view={view} idPrefix={idPrefix} height={height} />;
});

function freshSeen(): { negative: boolean; voltages: Set<number>; readsAfterDrive: number } {
  return { negative: false, voltages: new Set(), readsAfterDrive: 0 };
}

function SwitchingView({ view, idPrefix, height }: { view: View; idPrefix: string; height: number }) {
  const { samples, analysis: a } = view;
  const traces = useMemo(() => ivTraces(samples, a), [samples, a]);
  const sweep = a.cycles.length > 0 || traces.some((t) => distinctVoltages(t) >= 5);
  const ret = useMemo(() => (a.cycles.length === 0 ? retentionTail(samples) : null), [samples, a]);
  const iv = useMemo(() => traces.map((t) => traceSeries(t, t.i)), [traces]);
  const rv = useMemo(() => traces.map((t) => traceSeries(t, resistanceOf(t))), [traces]);
  const states = useMemo(() => {
    const s = statesByCycle(a);
    return [
      { label: 'HRS', color: '#0072B2', x: s.n, y: s.hrs, style: 'points' as const },
      { label: 'LRS', color: '#D55E00', x: s.n, y: s.lrs, style: 'points' as const },
    ];
  }, [a]);
  const cdfR = useMemo(() => {
    const h = distribution(a, 'hrs');
    const l = distribution(a, 'lrs');
    return [
      { label: 'HRS', color: '#0072B2', x: h.x, y: h.p },
      { label: 'LRS', color: '#D55E00', x: l.x, y: l.p, dash: [6, 3] },
    ];
  }, [a]);
  const cdfV = useMemo(() => {
    const s = distribution(a, 'vSet');
    const r = distribution(a, 'vReset');
    return [
      { label: 'V_set', color: '#009E73', x: s.x, y: s.p },
      { label: '|V_reset|', color: '#CC79A7', x: r.x, y: r.p, dash: [6, 3] },
    ];
  }, [a]);
  const retSeries = useMemo(() => (ret ? [{ label: 'G (read)', color: '#0072B2', x: ret.t, y: ret.g, style: 'points' as const }] : []), [ret]);
  if (!sweep && !ret) return null;
  const iScale = currentScale(traces);
  const drawn = traces.filter((t) => t.position !== null).length;
  const note = a.cycles.length > drawn ? `${drawn} of ${a.cycles.length} cycles drawn, evenly spaced` : undefined;
  const cycles = a.cycles.length > 0;
  return (
    <section className="switching" aria-label="Switching analysis" data-testid={`${idPrefix}-switching`} data-cycles={a.cycles.length}>
      {cycles && <Summary a={a} idPrefix={idPrefix} />}
      <div className="switching-grid">
        {sweep && (
          <>
            <div className="switching-iv">
              <XYChart
                testId={`${idPrefix}-chart-iv`}
                title="I–V per cycle"
                series={iv}
                x={{ label: 'Voltage V (V)' }}
                y={{ label: `Current I (${iScale.prefix}A)`, scale: iScale.factor, logLabel: `|Current| |I| (${iScale.prefix}A)` }}
                logToggle
                absWhenLog
                toggleLabel="log|I|"
                note={note}
                height={height}
              />
              {cycles && <CycleKey n={a.cycles.length} />}
            </div>
            <XYChart testId={`${idPrefix}-chart-rv`} title="R–V" series={rv} x={{ label: 'Voltage V (V)' }} y={{ label: 'Resistance R = |V/I| (Ω)', log: true }} logToggle height={height} />
          </>
        )}
        {cycles && (
          <>
            <XYChart testId={`${idPrefix}-chart-states`} title="HRS and LRS against cycle" series={states} legend x={{ label: 'Cycle n', log: true }} y={{ label: 'Resistance R (Ω)', log: true }} logToggle height={height} />
            <XYChart testId={`${idPrefix}-chart-cdf-r`} title="Distribution of HRS and LRS" series={cdfR} legend x={{ label: 'Resistance R (Ω)', log: true }} y={{ label: 'Cumulative fraction' }} height={height} />
            <XYChart testId={`${idPrefix}-chart-cdf-v`} title="Distribution of V_set and |V_reset|" series={cdfV} legend x={{ label: 'Voltage |V| (V)' }} y={{ label: 'Cumulative fraction' }} height={height} />
          </>
        )}
        {ret && (
          <XYChart testId={`${idPrefix}-chart-retention`} title="Retention" series={retSeries} x={{ label: 'Time since the last pulse t (s)', log: true }} y={{ label: 'Conductance G (µS)', scale: 1e6, logLabel: 'Conductance G (µS)' }} logToggle height={height} />
        )}
      </div>
    </section>
  );
}

function traceSeries(t: Trace, y: Float64Array): XYSeries {
  return { label: t.label, color: t.position === null ? OTHER : cycleColor(t.position), x: t.v, y, ...(t.position === null ? { dash: [4, 3] } : {}) };
}

function distinctVoltages(t: Trace): number {
  const seen = new Set<number>();
  for (const v of t.v) {
    if (v !== 0) seen.add(v);
    if (seen.size >= 5) break;
  }
  return seen.size;
}

/** Retention only for a run that ends in reads (nothing applied after the first read). */
function retentionTail(s: SampleColumns): ReturnType<typeof retention> {
  let firstRead = -1;
  for (let k = 0; k < s.length; k++) {
    if (s.kind[k] === SampleKind.read) {
      if (firstRead < 0) firstRead = k;
    } else if (firstRead >= 0 && s.v[k] !== 0) return null;
  }
  return retention(s);
}

/** µA or mA (or A) for the linear current axis, from the largest |I| drawn. */
function currentScale(traces: readonly Trace[]): { factor: number; prefix: string } {
  let m = 0;
  for (const t of traces) for (const i of t.i) if (Math.abs(i) > m) m = Math.abs(i);
  if (m >= 0.1) return { factor: 1, prefix: '' };
  if (m >= 1e-4) return { factor: 1e3, prefix: 'm' };
  if (m >= 1e-7) return { factor: 1e6, prefix: 'µ' };
  return { factor: 1e9, prefix: 'n' };
}

function CycleKey({ n }: { n: number }) {
  return (
    <div className="cycle-key" aria-label={`Colour by cycle, from cycle 1 to cycle ${n}`}>
      <span>cycle 1</span>
      <span className="cycle-key-bar" style={{ background: `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(cycleColor).join(', ')})` }} />
      <span>cycle {n}</span>
      <span className="cycle-key-other">dashed grey: forming / in progress</span>
    </div>
  );
}

const v = (x: number | null, unit: string) => (x === null ? '—' : formatSI(x, unit));
const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)} %`);

/** The figures the extraction gives, as a compact table (medians and cycle-to-cycle CV). */
export function Summary({ a, idPrefix }: { a: SwitchingAnalysis; idPrefix: string }) {
  const rows: [string, string, string][] = [
    ['V_set', v(a.median.vSet, 'V'), pct(a.cv.vSet)],
    ['V_reset', v(a.median.vReset, 'V'), pct(a.cv.vReset)],
    ['HRS', v(a.median.hrs, 'Ω'), pct(a.cv.hrs)],
    ['LRS', v(a.median.lrs, 'Ω'), pct(a.cv.lrs)],
  ];
  return (
    <div className="switching-summary" data-testid={`${idPrefix}-switching-summary`}>
      <table className="mono">
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Median</th>
            <th scope="col">CV</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, med, cv]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{med}</td>
              <td>{cv}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small-text">
        {a.cycles.length} cycle{a.cycles.length === 1 ? '' : 's'}
        {a.failed > 0 ? `, ${a.failed} without a SET or RESET` : ''} · on/off median {a.onOff.median === null ? '—' : a.onOff.median.toPrecision(3)} · SET compliance {v(a.complianceSet, 'A')} · states read at {v(a.read.voltage, 'V')} ({a.read.from === 'reads' ? 'reads' : 'from the sweep'})
      </p>
      {a.cycles.length > 0 && a.median.vSet === null && a.median.vReset === null && (
        // A pulsed endurance run showed "—" for V_set and V_reset with no word why.
        <p className="small-text muted" data-testid={`${idPrefix}-no-switching-voltages`}>
          V_set and V_reset are read off I–V sweeps; this run’s SET and RESET are pulses, so they have none (—).
        </p>
      )}
    </div>
  );
}
