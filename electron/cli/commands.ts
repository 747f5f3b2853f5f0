import type { Command } from './command';

/**
 * Every `workbench` subcommand, in the order --help lists them, each loaded only when it is needed:
 * a command's module pulls in the store, the instruments or the fitter, and `workbench --version`
 * must not pay for any of that (issue #17: start-up under 0.3 s). The name here is only the key to
 * look the command up; test/unit/cli/commands.test.ts checks it against the command it loads.
 */
export interface CommandEntry {
  name: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'serve', load: async () => (await import('./serve')).serveCommand },
  { name: 'reproduce', load: async () => (await import('./reproduce')).reproduceCommand },
  { name: 'rl', load: async () => (await import('./rl')).rlCommand },
  { name: 'rl-runs', load: async () => (await import('./rl')).rlRunsCommand },
  { name: 'rl-export', load: async () => (await import('./rl-export')).rlExportCommand },
  { name: 'tune', load: async () => (await import('./tune')).tuneCommand },
  { name: 'simulate', load: async () => (await import('./simulate')).simulateCommand },
  { name: 'run', load: async () => (await import('./run')).runCommand },
  { name: 'runs', load: async () => (await import('./runs')).runsCommand },
  { name: 'publish', load: async () => (await import('./publish')).publishCommand },
  { name: 'submit', load: async () => (await import('./sweep')).submitCommand },
  { name: 'worker', load: async () => (await import('./sweep')).workerCommand },
  { name: 'sweep-results', load: async () => (await import('./sweep')).sweepResultsCommand },
  { name: 'export', load: async () => (await import('./export')).exportCommand },
  { name: 'export-bundle', load: async () => (await import('./export')).exportBundleCommand },
  { name: 'import', load: async () => (await import('./export')).importCommand },
  { name: 'protocol', load: async () => (await import('./protocol')).protocolCommand },
  { name: 'characterize', load: async () => (await import('./characterize')).characterizeCommand },
  { name: 'fit', load: async () => (await import('./fit')).fitCommand },
  { name: 'bench', load: async () => (await import('./bench')).benchCommand },
  { name: 'emulator', load: async () => (await import('./emulator')).emulatorCommand },
  { name: 'devices', load: async () => (await import('./devices')).devicesCommand },
  { name: 'stats', load: async () => (await import('./stats')).statsCommand },
  { name: 'import-arc1', load: async () => (await import('./import-arc1')).importArc1Command },
  { name: 'analyze', load: async () => (await import('./analyze')).analyzeCommand },
];
