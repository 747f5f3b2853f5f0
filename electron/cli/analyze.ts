import { analysisToCsv, analysisToJson, type SwitchingAnalysis } from '../../shared/analysis';
import { formatSI } from '../../shared/units';
import { defineCommand } from './command';
import { call } from './router-call';
import { openCliServices } from './services';
import { inline } from './terminal-text';

export { ANALYSIS_CSV_HEADER } from '../../shared/analysis';

const fmt = (x: number | null, unit: string): string => (x === null ? '—' : formatSI(x, unit));
const pct = (x: number | null): string => (x === null ? '—' : `${x.toFixed(1)} %`);

/** "N SET/RESET cycles, …": how many cycles, how many did not switch, what lay outside them. */
export function cyclesSentence(a: SwitchingAnalysis): string {
  const n = a.cycles.length;
  const failed = a.failed > 0 ? `, ${a.failed} without a SET or a RESET` : '';
  const outside = a.unpaired > 0 ? ` (${a.unpaired} excursion${a.unpaired === 1 ? '' : 's'} outside a cycle, such as forming)` : '';
  return `${n} SET/RESET cycle${n === 1 ? '' : 's'}${failed}${outside}.`;
}

/** The figures' medians and CVs, indented, as `analyze` and `simulate` print them; `note` ends the read-voltage line. */
export function switchingFigureLines(a: SwitchingAnalysis, note: string): string[] {
  const lines = [
    `  V_set   median ${fmt(a.median.vSet, 'V')}, CV ${pct(a.cv.vSet)}`,
    `  V_reset median ${fmt(a.median.vReset, 'V')}, CV ${pct(a.cv.vReset)}`,
    `  HRS     median ${fmt(a.median.hrs, 'Ω')}, CV ${pct(a.cv.hrs)}`,
    `  LRS     median ${fmt(a.median.lrs, 'Ω')}, CV ${pct(a.cv.lrs)}`,
    `  on/off  median ${a.onOff.median === null ? '—' : a.onOff.median.toPrecision(3)}; SET compliance ${fmt(a.complianceSet, 'A')}`,
    `  states read at ${fmt(a.read.voltage, 'V')} (${a.read.from ?? 'nothing to read'}); ${note}`,
  ];
  // A switched cycle without its voltage was driven by pulses: say so, rather than leave a bare dash.
  if (a.cycles.some((c) => (c.set && c.vSet === null) || (c.reset && c.vReset === null))) {
    lines.push('  V_set and V_reset come from I–V sweeps (the step after the jump, the current peak); cycles switched by single pulses have none.');
  }
  return lines;
}

export const analyzeCommand = defineCommand({
  name: 'analyze',
  synopsis: 'analyze RUN [--json | --csv] [--data-dir D]',
  summary: 'Extract the switching figures of a run (its id, or the first characters of it) per SET/RESET cycle — V_set, V_reset, HRS, LRS, max SET current — with the on/off ratio and cycle-to-cycle CV %, and store them with the run.',
  flags: {
    json: { type: 'boolean', description: 'print {"cycles": [{"vSet","vReset","hrs","lrs","maxSetCurrent",…}], "complianceSet", "onOff": {"median",…}, "cv": {…}, "median": {…}} (Ω, A, V)' },
    csv: { type: 'boolean', description: 'print the per-cycle table as CSV' },
    'data-dir': { type: 'string', description: 'data folder (default: WORKBENCH_DATA_DIR, else the desktop app’s folder)', placeholder: 'D' },
  },
  positionals: [1, 1],
  async run(flags, [run]) {
    if (flags.json && flags.csv) throw new Error('give --json or --csv, not both');
    const services = openCliServices(flags['data-dir']);
    try {
      const id = services.store.runs.resolveId(run as string);
      const result = await call(services, 'runs.analysis', { id });
      const a = result.analysis as SwitchingAnalysis;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(analysisToJson(result.runId, a))}\n`);
        return 0;
      }
      if (flags.csv) {
        process.stdout.write(analysisToCsv(a));
        return 0;
      }
      const lines = [`Run ${inline(result.runId)}: ${cyclesSentence(a)}`, ...switchingFigureLines(a, result.stored ? 'stored with the run' : 'not stored: the run is still going')];
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      await services.close();
    }
  },
});
