import { deviceBenchmarks } from './device.bench';
import { protocolBenchmarks } from './protocol.bench';
import { storeBenchmarks } from './store.bench';
import type { Benchmark } from './types';

/** Every registered benchmark, in the order `workbench bench` runs them. */
export const allBenchmarks: readonly Benchmark[] = [...storeBenchmarks, ...deviceBenchmarks, ...protocolBenchmarks];
