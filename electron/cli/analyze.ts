import { analysisToCsv, analysisToJson, type SwitchingAnalysis } from '../../shared/analysis';
import { defineCommand } from './command';
import { call } from './router-call';
import { openCliServices } from './services';
import { cyclesSentence, switchingFigureLines } from './switching-text';
import { inline } from './terminal-text';

export { ANALYSIS_CSV_HEADER } from '../../shared/analysis';

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
