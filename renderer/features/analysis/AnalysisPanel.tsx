import { useEffect, useState } from 'react';
import { analysisToCsv, analysisToJson, type SwitchingAnalysis } from '../../../shared/analysis';
import { formatSI } from '../../../shared/units';
import { useHost } from '../../api/context';
import { saveFile } from '../archive/download';
import { Summary } from './SwitchingCharts';

/** Most per-cycle rows shown in the table (ours); the exports hold every cycle. */
const MAX_ROWS = 200;

/**
 * The switching figures stored with a run (runs.analysis: computed once, then read back), in the
 * Archive: medians and CV, the per-cycle table, CSV and JSON export. Nothing for a run without a
 * SET/RESET cycle.
 */
export function AnalysisPanel({ runId, runName }: { runId: string; runName: string }) {
  const host = useHost();
  const [result, setResult] = useState<{ analysis: SwitchingAnalysis; stored: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setResult(null);
    setError(null);
    host.call('runs.analysis', { id: runId }).then(
      (r) => live && setResult({ analysis: r.analysis as SwitchingAnalysis, stored: r.stored }),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [host, runId]);

  if (error) return <p className="error-text">Could not extract the switching figures: {error}</p>;
  if (result === null || result.analysis.cycles.length === 0) return null;
  const a = result.analysis;
  const base = runName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'run';
  const cell = (x: number | null, unit: string) => (x === null ? '—' : formatSI(x, unit));
  return (
    <section className="analysis-panel" aria-label="Switching figures" data-testid="run-analysis">
      <h3>Switching figures</h3>
      <Summary a={a} idPrefix="archive" />
      <div className="analysis-actions">
        <span className="small-text">{result.stored ? 'Stored with the run.' : 'The run is still going: not stored yet.'}</span>
        <button type="button" className="small" onClick={() => saveFile(`${base}-cycles.csv`, analysisToCsv(a), 'text/csv')}>
          Export cycles CSV
        </button>
        <button type="button" className="small" onClick={() => saveFile(`${base}-analysis.json`, `${JSON.stringify(analysisToJson(runId, a), null, 1)}\n`, 'application/json')}>
          Export JSON
        </button>
      </div>
      <div className="analysis-cycles" tabIndex={0} aria-label="Figures per cycle">
        <table className="mono">
          <thead>
            <tr>
              {['Cycle', 'V_set', 'V_reset', 'HRS', 'LRS', 'On/off', 'Max I_SET', 'In compliance'].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {a.cycles.slice(0, MAX_ROWS).map((c) => (
              <tr key={c.index} className={c.set && c.reset ? undefined : 'analysis-failed'}>
                <td>{c.index + 1}</td>
                <td>{c.set ? cell(c.vSet, 'V') : 'no SET'}</td>
                <td>{c.reset ? cell(c.vReset, 'V') : 'no RESET'}</td>
                <td>{cell(c.hrs, 'Ω')}</td>
                <td>{cell(c.lrs, 'Ω')}</td>
                <td>{c.onOff === null ? '—' : c.onOff.toPrecision(3)}</td>
                <td>{cell(c.maxSetCurrent, 'A')}</td>
                <td>{c.setInCompliance === null ? '—' : c.setInCompliance ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {a.cycles.length > MAX_ROWS && <p className="small-text">The first {MAX_ROWS} of {a.cycles.length} cycles; the exports hold all of them.</p>}
      </div>
    </section>
  );
}
