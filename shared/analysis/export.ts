import type { SwitchingAnalysis } from './extract';

/** The per-cycle table as CSV (one header line, one row per cycle; empty cells where a figure is null). */
export const ANALYSIS_CSV_HEADER = 'cycle,set,reset,v_set_V,v_reset_V,hrs_ohm,lrs_ohm,on_off,max_set_current_A,set_in_compliance';

export function analysisToCsv(a: SwitchingAnalysis): string {
  const cell = (x: number | boolean | null): string => (x === null ? '' : String(x));
  const rows = a.cycles.map((c) => [c.index + 1, c.set, c.reset, c.vSet, c.vReset, c.hrs, c.lrs, c.onOff, c.maxSetCurrent, c.setInCompliance].map(cell).join(','));
  return `${[ANALYSIS_CSV_HEADER, ...rows].join('\n')}\n`;
}

/** The JSON `workbench analyze --json` prints: the fields first, then the rest of the analysis. */
export function analysisToJson(runId: string, a: SwitchingAnalysis): object {
  return {
    runId,
    cycles: a.cycles.map((c) => ({ vSet: c.vSet, vReset: c.vReset, hrs: c.hrs, lrs: c.lrs, maxSetCurrent: c.maxSetCurrent, index: c.index, set: c.set, reset: c.reset, onOff: c.onOff, setInCompliance: c.setInCompliance })),
    complianceSet: a.complianceSet,
    onOff: a.onOff,
    cv: a.cv,
    median: a.median,
    read: a.read,
    failed: a.failed,
    unpaired: a.unpaired,
  };
}

