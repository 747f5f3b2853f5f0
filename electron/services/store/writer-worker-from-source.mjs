// Entry of the sample writer thread when the workbench runs from its TypeScript sources (CLI,
// tests): as for the RL workers (electron/services/rl/worker-from-source.mjs), a worker thread does
// not inherit the tsx loader, so this plain-JS entry registers tsx inside the thread first.
import { register } from 'tsx/esm/api';

register();
await import('./writer-worker.ts');
