export { analyzeSwitching, branchConductance, DEFAULT_MIN_RATIO, DEFAULT_READ_VOLTAGE } from './extract';
export type { AnalysisOptions, CycleFigures, FigureStats, SwitchingAnalysis } from './extract';
export { pairCycles, splitLobes } from './lobes';
export type { AnalysisSamples, Lobe } from './lobes';
export { ANALYSIS_CSV_HEADER, analysisToCsv, analysisToJson } from './export';
export { analysisOptions } from './options';
