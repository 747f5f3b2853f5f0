import { analysisBenchmarks } from './analysis.bench';
import { deviceBenchmarks } from './device.bench';
import { editorBenchmarks } from './editor.bench';
import { instrumentBenchmarks } from './instruments.bench';
import { labBenchmarks } from './lab.bench';
import { labSweepBenchmarks } from './lab-sweep.bench';
import { samplesBenchmarks } from './samples.bench';
import { liveBenchmarks } from './live.bench';
import { protocolBenchmarks } from './protocol.bench';
import { rlBenchmarks } from './rl.bench';
import { rlDeviceBenchmarks } from './rl-device.bench';
import { runBenchmarks } from './runs.bench';
import { simulateBenchmarks } from './simulate.bench';
import { startupBenchmarks } from './startup.bench';
import { storeBenchmarks } from './store.bench';
import type { Benchmark } from './types';
import { fileBenchmarks } from './files.bench';

/** Every registered benchmark, in the order `workbench bench` runs them. */
export const allBenchmarks: readonly Benchmark[] = [...startupBenchmarks, ...storeBenchmarks, ...deviceBenchmarks, ...protocolBenchmarks, ...rlBenchmarks, ...rlDeviceBenchmarks, ...instrumentBenchmarks, ...runBenchmarks, ...simulateBenchmarks, ...editorBenchmarks, ...liveBenchmarks, ...labBenchmarks, ...labSweepBenchmarks, ...analysisBenchmarks, ...samplesBenchmarks, ...fileBenchmarks];
