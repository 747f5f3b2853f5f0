/**
 * The live preview: the compiled protocol's voltage against time (pulses as rectangles, reads
 * marked) and, underneath, the conductance a simulated device would show, updated as you edit.
 * The work runs in a worker (PreviewEngine); the charts take the traces as typed arrays.
 *
 * When a preview has been drawn, the panel's element carries data-preview-version (the request's
 * sequence number) and data-preview-drawn-at (performance.now()), and a performance mark
 * 'protocol-preview-drawn' is set: the editor benchmark and the tests wait for these.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { builtInPresets, type DevicePreset } from '../../../shared/device';
import type { ProgramEstimate, SafetyLimits } from '../../../shared/protocol';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import type { EDoc } from './model';
import type { PreviewResult } from './preview-compute';
import { PreviewEngine } from './preview-engine';
import { presetShortTitle } from '../devices/preset-title';

export interface PreviewSummary {
  seq: number;
  estimate: ProgramEstimate;
  limits: SafetyLimits;
  energy: number;
  maxPulseCurrent: number;
  truncated: boolean;
  operations: number;
  computeMs: number;
  preset: string;
}

const VOLTAGE_SERIES: SeriesSpec[] = [
  { id: 'pulses', label: 'Pulses', colorKey: 'protocol-pulses', style: 'line' },
  { id: 'reads', label: 'Reads', colorKey: 'protocol-reads', style: 'points' },
];
const G_SERIES: SeriesSpec[] = [{ id: 'g', label: 'G', colorKey: 'protocol-conductance', style: 'line' }];
const TIME_AXIS = { label: 'Time t (s)' };
const VOLTAGE_AXIS = { label: 'Voltage V (V)' };
const G_AXIS = { label: 'Conductance G (µS)', scale: 1e6 };

/** The seed of the preview's simulated device: fixed, so the same document always previews the same. */
const PREVIEW_SEED = 1;

export function PreviewPanel({
  document,
  valid,
  problemCount,
  idleText,
  limits,
  onSummary,
  presetName,
  onPresetName,
}: {
  document: EDoc;
  valid: boolean;
  problemCount: number;
  /** Said instead of "paused" when there is nothing to preview yet (not an error). */
  idleText: string | null;
  /** The workbench's limits (Settings) the document is compiled under. */
  limits: SafetyLimits;
  onSummary: (summary: PreviewSummary | null) => void;
  /** The preset the preview simulates; the page keeps it, and Run takes it to the Live page. */
  presetName: string;
  onPresetName: (name: string) => void;
}) {
  const [noise, setNoise] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [truncated, setTruncated] = useState<number | null>(null);
  const [exits, setExits] = useState<string[]>([]);
  /** Operations but no read (an I–V sweep): the conductance chart says why it is empty. */
  const [noReads, setNoReads] = useState(false);
  const preset: DevicePreset = useMemo(() => builtInPresets.find((p) => p.name === presetName) ?? builtInPresets[0]!, [presetName]);
  const voltageRef = useRef<SeriesChartHandle>(null);
  const gRef = useRef<SeriesChartHandle>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const engineRef = useRef<PreviewEngine | null>(null);
  const onSummaryRef = useRef(onSummary);
  onSummaryRef.current = onSummary;
  const presetRef = useRef(preset);
  presetRef.current = preset;

  useEffect(() => {
    const engine = new PreviewEngine((result: PreviewResult) => {
      if (!result.ok) {
        setFailure(result.problems[0]?.message ?? 'the preview failed');
        onSummaryRef.current(null);
        return;
      }
      setFailure(null);
      const t = result.traces;
      voltageRef.current?.setData('pulses', t.pulseT, t.pulseV);
      voltageRef.current?.setData('reads', t.readT, t.readV);
      gRef.current?.setData('g', t.gT, t.gY);
      // The charts redraw in the next animation frame; this callback runs right after theirs.
      requestAnimationFrame(() => {
        const el = rootRef.current;
        if (!el) return;
        el.dataset.previewVersion = String(result.seq);
        el.dataset.previewDrawnAt = performance.now().toFixed(3);
        el.dataset.previewComputeMs = result.computeMs.toFixed(3);
        el.dataset.pulses = String(t.pulseT.length / 4);
        el.dataset.reads = String(t.readT.length);
        el.dataset.conductancePoints = String(t.gT.length);
        performance.mark('protocol-preview-drawn', { detail: { seq: result.seq } });
      });
      setTruncated(result.truncated ? result.operations : null);
      setExits(result.exits);
      setNoReads(t.readT.length === 0 && t.pulseT.length > 0);
      onSummaryRef.current({
        seq: result.seq,
        estimate: result.estimate,
        limits: result.limits,
        energy: result.energy,
        maxPulseCurrent: result.maxPulseCurrent,
        truncated: result.truncated,
        operations: result.operations,
        computeMs: result.computeMs,
        preset: presetRef.current.title,
      });
    });
    engineRef.current = engine;
    return () => {
      engine.dispose();
      engineRef.current = null;
    };
  }, []);

  useEffect(() => {
    const engine = engineRef.current;
    if (!engine) return;
    if (!valid) {
      engine.cancelPending();
      onSummaryRef.current(null);
      return;
    }
    const seq = engine.request({ document, preset, seed: PREVIEW_SEED, noise, limits });
    if (rootRef.current) rootRef.current.dataset.previewRequested = String(seq);
  }, [document, valid, preset, noise, limits]);

  const stale = !valid || failure !== null;
  return (
    <section className="pe-preview-panel" aria-label="Preview" data-testid="protocol-preview" ref={rootRef}>
      <header className="pe-panel-header">
        <h2>Preview</h2>
        <span className="spacer" />
        <label className="pe-inline-field">
          Device
          <select value={presetName} onChange={(e) => onPresetName(e.target.value)} aria-label="Device preset for the preview" title={preset.title}>
            {builtInPresets.map((p) => (
              <option key={p.name} value={p.name}>
                {presetShortTitle(p.title)}
              </option>
            ))}
          </select>
        </label>
        <label className="pe-inline-field">
          <input type="checkbox" checked={noise} onChange={(e) => setNoise(e.target.checked)} /> noise
        </label>
      </header>
      <div className={`pe-preview-charts${stale ? ' pe-stale' : ''}`}>
        {stale && (
          <p className="pe-preview-stale" role="status">
            {failure !== null
              ? `Preview unavailable: ${failure}`
              : idleText !== null
                ? idleText
                : `Preview paused: the protocol has ${problemCount} problem${problemCount === 1 ? '' : 's'}. It follows again once they are fixed.`}
          </p>
        )}
        <SeriesChart ref={voltageRef} title="Applied voltage" series={VOLTAGE_SERIES} x={TIME_AXIS} y={VOLTAGE_AXIS} height={150} testId="preview-voltage" />
        <SeriesChart ref={gRef} title="Simulated conductance" series={G_SERIES} x={TIME_AXIS} y={G_AXIS} logToggle height={165} testId="preview-conductance" />
      </div>
      {noReads && !stale && (
        <p className="pe-fine-print" data-testid="preview-no-reads">
          No reads: the simulated conductance is drawn at reads, so its chart stays empty. Add a read block or a read after each pulse; an I–V sweep’s loops are drawn on the Live page.
        </p>
      )}
      {exits.length > 0 && !stale && (
        <ul className="pe-fine-print" data-testid="preview-exits" aria-label="How the feedback blocks ended on the simulated device">
          {exits.map((text, k) => (
            <li key={k}>{text}</li>
          ))}
        </ul>
      )}
      <p className="pe-fine-print">
        {truncated !== null ? `Showing the first ${truncated.toLocaleString()} operations. ` : ''}
        {noise ? `With noise (seed ${PREVIEW_SEED})` : 'Without noise'}; the workbench&apos;s own device parameters, not the paper&apos;s.
      </p>
    </section>
  );
}
