/**
 * Fitting a model to a measured trace: a CSV file (read in the browser and checked line by line
 * before anything is sent) or a stored run, the parameters to fit, and the result — values with
 * standard errors, the fitted curve over the data and the residuals. The fit itself runs on the
 * host ('devices.fit'); its preset can be opened in the editor and saved from there.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DeviceFitOutcome } from '../../../shared/contract/areas/devices';
import { paramInfoByKind, paramInfoList, type DevicePreset, type ParamInfo } from '../../../shared/device';
import { fittableKinds, formatTraceCsvError, parseTraceCsv, traceFileLayout, type FittableKind, type TraceFileLayout } from '../../../shared/fit';
import { ColumnMapping, type ColumnMap } from './ColumnMapping';
import { formatSI, parseQuantity } from '../../../shared/units';
import { useHost, useRequest } from '../../api/context';
import { SeriesChart, type SeriesChartHandle, type SeriesSpec } from '../../components/charts/SeriesChart';
import { formatValue } from './draft';
import { sentence } from './ParamEditor';
import { useSeriesData } from './use-series-data';

/**
 * What is fitted unless the user says otherwise (as `workbench fit` does): the barrier's own
 * parameters (k_s, β, τ_s) and the efficacy's are held, because one train and one recovery cannot
 * separate them from τ_g.
 */
const DEFAULT_FREE: Readonly<Record<FittableKind, readonly string[]>> = {
  'intrinsic-gradient': ['g0', 'kD', 'rho', 'gMin', 'tauG'],
  ideal: ['g0', 'kD', 'gMin'],
};

const MODEL_LABELS: Record<FittableKind, string> = { 'intrinsic-gradient': 'Intrinsic-gradient (second order)', ideal: 'Ideal (first order)' };

/** A chosen file; `layout` and `mapping` when its header is foreign (the column-mapping step). */
type Csv = { name: string; text: string; summary: string; errors: string[]; layout: TraceFileLayout | null; mapping: ColumnMap | null };
type Success = Extract<DeviceFitOutcome, { ok: true }>;

const isFittable = (x: string): x is FittableKind => (fittableKinds as readonly string[]).includes(x);

export function FitPanel({ editing, onOpen }: { editing: DevicePreset | null; onOpen: (preset: DevicePreset) => void }) {
  const host = useHost();
  const runs = useRequest('runs.list', { limit: 200 });
  const runList = runs.status === 'ready' ? runs.value.runs.filter((r) => r.sampleCount > 0) : [];
  const [sourceKind, setSourceKind] = useState<'csv' | 'run'>('csv');
  const [csv, setCsv] = useState<Csv | null>(null);
  const [runId, setRunId] = useState('');
  const [widthText, setWidthText] = useState('10 ms');
  const [model, setModel] = useState<FittableKind>(editing && isFittable(editing.model) ? editing.model : 'intrinsic-gradient');
  const [free, setFree] = useState<readonly string[]>(DEFAULT_FREE[model]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<DeviceFitOutcome | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const width = parseQuantity(widthText, 's');
  const widthError = !width.ok ? width.message : !(width.value > 0 && width.value <= 10) ? 'the pulse width must be a positive time of at most 10 s' : null;
  const start = editing && editing.model === model ? (editing.params as Record<string, number>) : undefined;

  // The CSV is checked again when the width for pulses without one changes.
  const widthSeconds = width.ok ? width.value : undefined;
  useEffect(() => {
    setCsv((c) => (c ? { ...c, ...checkCsv(c.text, widthSeconds, c.mapping) } : c));
  }, [widthSeconds]);

  const chooseModel = (m: FittableKind) => {
    setModel(m);
    setFree(DEFAULT_FREE[m]);
  };
  // The model follows the preset being edited, until one is chosen here.
  const [modelChosen, setModelChosen] = useState(false);
  const editingModel = editing?.model;
  useEffect(() => {
    if (!modelChosen && editingModel && isFittable(editingModel) && editingModel !== model) chooseModel(editingModel);
  }, [editingModel, modelChosen, model]);

  const onFile = async (file: File | undefined) => {
    setResult(null);
    setFailure(null);
    if (!file) {
      setCsv(null);
      return;
    }
    try {
      const text = await file.text();
      const layout = traceFileLayout(text);
      const mapping = layout.known ? null : { dialect: layout.dialect, columns: layout.columns };
      setCsv({ name: file.name, text, layout: mapping ? layout : null, mapping, ...checkCsv(text, widthSeconds, mapping) });
    } catch (e) {
      setCsv({ name: file.name, text: '', summary: '', errors: [`the file could not be read: ${e instanceof Error ? e.message : String(e)}`], layout: null, mapping: null });
    }
  };

  const remap = (mapping: ColumnMap) => {
    setResult(null);
    setCsv((c) => (c ? { ...c, mapping, layout: traceFileLayout(c.text, mapping.dialect), ...checkCsv(c.text, widthSeconds, mapping) } : c));
  };

  const blocker =
    free.length === 0
      ? 'Choose at least one parameter to fit.'
      : widthError
        ? `Pulse width: ${sentence(widthError)}`
        : sourceKind === 'csv'
          ? !csv
            ? 'Choose a CSV file with the trace to fit.'
            : csv.errors.length > 0
              ? 'The CSV file has problems (listed above).'
              : null
          : runId === ''
            ? 'Choose a stored run to fit.'
            : null;

  const runFit = async () => {
    if (blocker || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const outcome = await host.call('devices.fit', {
        model,
        source: sourceKind === 'csv' ? { kind: 'csv', text: csv!.text, fileName: csv!.name, ...(csv!.mapping ? { dialect: csv!.mapping.dialect, columns: csv!.mapping.columns } : {}) } : { kind: 'run', runId },
        ...(width.ok ? { pulseWidth: width.value } : {}),
        free: [...free],
        ...(start ? { start } : {}),
      });
      setResult(outcome);
    } catch (e) {
      setResult(null);
      setFailure(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const infos = paramInfoList(model);
  return (
    <section
      className="dev-fit"
      aria-labelledby="dev-fit-title"
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void runFit();
        }
      }}
    >
      <h2 id="dev-fit-title">Fit a model to a measured trace</h2>
      <div className="dev-fit-form">
        <fieldset className="dev-fieldset">
          <legend>Data</legend>
          <label className="dev-radio">
            <input type="radio" name="dev-fit-source" checked={sourceKind === 'csv'} onChange={() => setSourceKind('csv')} /> CSV file
          </label>
          <label className="dev-radio">
            <input type="radio" name="dev-fit-source" checked={sourceKind === 'run'} disabled={runList.length === 0} onChange={() => setSourceKind('run')} /> Stored run
            {runList.length === 0 && <span className="muted"> (none in the archive yet)</span>}
          </label>
          {sourceKind === 'csv' ? (
            <div className="dev-fit-row">
              <label htmlFor="dev-fit-file">Trace (CSV: t, v, i, g, kind[, width] in SI units)</label>
              <input id="dev-fit-file" type="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain" onChange={(e) => void onFile(e.target.files?.[0])} />
              {csv?.layout && csv.mapping && <ColumnMapping layout={csv.layout} value={csv.mapping} onChange={remap} />}
              {csv && csv.errors.length === 0 && (
                <p className="muted" data-testid="fit-csv-summary">
                  {csv.name}: {csv.summary}
                </p>
              )}
              {csv && csv.errors.length > 0 && (
                <ul className="dev-problems" data-testid="fit-csv-errors">
                  {csv.errors.slice(0, 8).map((e, k) => (
                    <li key={k}>{sentence(e)}</li>
                  ))}
                  {csv.errors.length > 8 && <li>… and {csv.errors.length - 8} more.</li>}
                </ul>
              )}
            </div>
          ) : (
            <div className="dev-fit-row">
              <label htmlFor="dev-fit-run">Run</label>
              <select id="dev-fit-run" value={runId} onChange={(e) => setRunId(e.target.value)}>
                <option value="">Choose a run…</option>
                {runList.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name} — {r.experimentName}, {r.sampleCount.toLocaleString()} samples{r.startedAt ? `, ${new Date(r.startedAt).toLocaleString()}` : ''}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="dev-fit-row dev-inline">
            <label htmlFor="dev-fit-width">Width of pulses that carry none</label>
            <input
              id="dev-fit-width"
              className="dev-input mono dev-input-short"
              value={widthText}
              onChange={(e) => setWidthText(e.target.value)}
              aria-invalid={widthError ? true : undefined}
              aria-describedby={widthError ? 'dev-fit-width-error' : undefined}
            />
          </div>
          {widthError && (
            <p className="dev-field-error" id="dev-fit-width-error">
              {sentence(widthError)}
            </p>
          )}
        </fieldset>
        <fieldset className="dev-fieldset">
          <legend>Model and parameters to fit</legend>
          <div className="dev-fit-row dev-inline">
            <label htmlFor="dev-fit-model">Model</label>
            <select
              id="dev-fit-model"
              value={model}
              onChange={(e) => {
                if (!isFittable(e.target.value)) return;
                setModelChosen(true);
                chooseModel(e.target.value);
              }}
            >
              {fittableKinds.map((k) => (
                <option key={k} value={k}>
                  {MODEL_LABELS[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="dev-free" role="group" aria-label="Parameters to fit">
            {infos.map((info) => (
              <label key={info.key} className="dev-check" title={info.description}>
                <input
                  type="checkbox"
                  checked={free.includes(info.key)}
                  onChange={(e) => setFree((f) => (e.target.checked ? [...f, info.key] : f.filter((k) => k !== info.key)))}
                />
                {info.label}
              </label>
            ))}
          </div>
          <p className="muted dev-note">
            {start
              ? 'Starts from, and holds the unchecked parameters at, the values in the editor.'
              : `Starts from, and holds the unchecked parameters at, the shipped ${model} preset’s values (ours).`}{' '}
            The filamentary model switches at random and cannot be fitted.
          </p>
        </fieldset>
      </div>
      <div className="dev-actions">
        <button type="button" className="primary" onClick={() => void runFit()} disabled={blocker !== null || busy} aria-describedby="dev-fit-blocker" title="Ctrl+Enter">
          {busy ? 'Fitting…' : 'Fit'}
        </button>
        <span id="dev-fit-blocker" className="muted">
          {blocker ?? 'Ctrl+Enter fits.'}
        </span>
      </div>
      {failure && (
        <p className="error-text" role="alert">
          {failure}
        </p>
      )}
      {result && !result.ok && (
        <div className="dev-problems-box" role="alert" data-testid="fit-problems">
          <p>The fit could not run:</p>
          <ul className="dev-problems">
            {result.problems.map((p, k) => (
              <li key={k}>{sentence(p)}</li>
            ))}
          </ul>
        </div>
      )}
      {result && result.ok && <FitResult result={result} onOpen={onOpen} />}
    </section>
  );
}

/** Significant figures of a value that match its uncertainty: two beyond the standard error's leading digit. */
function digitsFor(value: number, standardError: number | null): number {
  if (standardError === null || !(standardError > 0) || !(Math.abs(value) > 0)) return 4;
  return Math.min(8, Math.max(2, Math.floor(Math.log10(Math.abs(value))) - Math.floor(Math.log10(standardError)) + 2));
}

function checkCsv(text: string, pulseWidth: number | undefined, mapping: ColumnMap | null): { summary: string; errors: string[] } {
  const parsed = parseTraceCsv(text, { ...(pulseWidth === undefined ? {} : { pulseWidth }), ...(mapping ? { dialect: mapping.dialect, columns: mapping.columns } : {}) });
  if (!parsed.ok) return { summary: '', errors: parsed.errors.map(formatTraceCsvError) };
  const { pulses, reads } = parsed.trace;
  return { summary: `${pulses.length.toLocaleString()} pulses, ${reads.length.toLocaleString()} reads`, errors: [] };
}

// chart.js draws the first dataset on top: the fitted line over the measured points.
const FIT_SERIES: SeriesSpec[] = [
  { id: 'fitted', label: 'Fitted model', colorKey: 'fit-model', style: 'line' },
  { id: 'measured', label: 'Measured', colorKey: 'fit-measured', style: 'points' },
];
const RESIDUAL_SERIES: SeriesSpec[] = [{ id: 'residual', label: 'Residual', colorKey: 'fit-residual', style: 'points' }];

function FitResult({ result, onOpen }: { result: Success; onOpen: (preset: DevicePreset) => void }) {
  const fitRef = useRef<SeriesChartHandle>(null);
  const resRef = useRef<SeriesChartHandle>(null);
  const infos = paramInfoByKind[result.model] as Readonly<Record<string, ParamInfo>>;
  const fitData = useMemo(
    () => [
      { id: 'measured', x: result.t, y: result.measured },
      { id: 'fitted', x: result.t, y: result.fitted },
    ],
    [result],
  );
  const residualData = useMemo(() => {
    const y = new Float64Array(result.t.length);
    for (let k = 0; k < y.length; k++) y[k] = ((result.measured[k]! - result.fitted[k]!) / result.measured[k]!) * 100;
    return [{ id: 'residual', x: result.t, y }];
  }, [result]);
  useSeriesData(fitRef, fitData);
  useSeriesData(resRef, residualData);
  const preset = result.preset as DevicePreset | null;

  return (
    <div className="dev-fit-result" data-testid="fit-result">
      <p className="dev-fit-status">
        {result.sourceDescription}. {result.converged ? 'Converged' : `Stopped (${result.status})`} after {result.iterations} iterations: {result.reason}.
      </p>
      <div className="dev-fit-grid">
        <div>
          <table className="data-table dev-fit-table" data-testid="fit-values">
            <thead>
              <tr>
                <th scope="col">Fitted parameter</th>
                <th scope="col" className="num">
                  Value
                </th>
                <th scope="col" className="num">
                  Standard error
                </th>
                <th scope="col" className="num">
                  Relative
                </th>
              </tr>
            </thead>
            <tbody>
              {result.free.map((key) => {
                const e = result.estimates[key];
                const info = infos[key];
                const field = { unit: (info?.unit ?? '') as 'V' | 's' | 'S' | '', percent: false };
                const se = e?.standardError ?? null;
                return (
                  <tr key={key} data-param={key}>
                    <th scope="row">{info?.label ?? key}</th>
                    <td className="num mono">{e ? formatValue(e.value, field, digitsFor(e.value, se)) : '—'}</td>
                    <td className="num mono">{se !== null ? `± ${formatValue(se, field, 2)}` : 'not determined'}</td>
                    <td className="num mono">{e && e.relativeError !== null ? `${(e.relativeError * 100).toPrecision(2)} %` : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="dev-fit-rms">
            Residual RMS <span className="mono">{formatSI(result.residualRms, 'S', { digits: 3 })}</span> (
            <span className="mono" data-testid="fit-rms-relative">
              {(result.relativeResidualRms * 100).toPrecision(3)} %
            </span>{' '}
            of G) over {result.t.length.toLocaleString()} reads.
          </p>
          {preset ? (
            <button type="button" onClick={() => onOpen(preset)}>
              Open the fitted preset in the editor
            </button>
          ) : (
            <p className="dev-field-error">The fitted values do not make a valid preset: {result.presetProblems.map(sentence).join(' ')}</p>
          )}
        </div>
        <div className="dev-fit-charts">
          <SeriesChart ref={fitRef} title="Data and fit" series={FIT_SERIES} x={{ label: 'Time t (s)' }} y={{ label: 'Conductance G (µS)', scale: 1e6 }} logToggle height={170} testId="chart-fit" />
          <SeriesChart ref={resRef} title="Residuals (G − G_fit)/G" series={RESIDUAL_SERIES} x={{ label: 'Time t (s)' }} y={{ label: 'Relative residual (%)' }} height={140} testId="chart-residuals" />
        </div>
      </div>
    </div>
  );
}
