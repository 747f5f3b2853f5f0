// Entry of an RL worker thread when the workbench runs from its TypeScript sources (CLI, tests).
// A worker thread does not inherit the tsx loader that electron/bin/workbench.js registered, and on
// Node 20 `--import tsx` in the worker's execArgv is not applied to the worker's own entry file, so
// this plain-JS entry registers tsx inside the thread and then loads the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
