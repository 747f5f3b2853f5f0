/** Data folders ("PCs") with ended runs, for the lab archive's tests. */
import { comparisonOf } from '../../../electron/services/rl';
import { openStore, type Store } from '../../../electron/services/store/index';
import { experimentJobs, runJob } from '../../../shared/rl';
import { allocColumns, type SampleColumns } from '../../../shared/samples/columns';
import { smallExperiment } from '../rl-store/small-experiment';

/** n samples of run `seed`, with the awkward values a float column can hold (-0, NaN, tiny, huge). */
export function labSamples(n: number, seed: number): SampleColumns {
  const c = allocColumns(n);
  for (let k = 0; k < n; k++) {
    c.t[k] = k * 1e-4 + seed / 7;
    c.v[k] = Math.sin(k / 13 + seed) * 1.5;
    c.i[k] = c.v[k]! * (1e-6 + seed * 1e-9) + k * 1e-300;
    c.g[k] = k % 997 === 0 ? NaN : 1 / 3 + k * 1e-12;
    c.kind[k] = k % 5 === 0 ? 1 : 0;
    c.block[k] = k % 11 === 0 ? -1 : (k >> 6) + seed;
    c.compliance[k] = k % 17 === 3 ? 1 : 0;
  }
  if (n > 2) {
    c.v[1] = -0;
    c.g[2] = 1.7976931348623157e308;
  }
  return c;
}

/** Adds `count` completed runs of `samplesPerRun` samples each; returns their ids. */
export function addRuns(store: Store, count: number, samplesPerRun: number, label: string): string[] {
  const ids: string[] = [];
  for (let r = 0; r < count; r++) {
    const run = store.runs.create({
      experimentName: `lab-${label}`,
      name: `${label} run ${r}`,
      status: 'running',
      protocol: { name: `proto-${label}`, blocks: [] },
      device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: r },
    });
    const w = store.openWriter(run.id);
    w.append(labSamples(samplesPerRun, r + label.length));
    w.close();
    store.runs.setStatus(run.id, 'completed');
    ids.push(run.id);
  }
  return ids;
}

export function withStore<T>(dir: string, fn: (s: Store) => T): T {
  const s = openStore(dir, { appVersion: '0.1.0-test' });
  try {
    return fn(s);
  } finally {
    s.close();
  }
}

/** A wafer with one `side` × `side` crossbar, every crossing a device; one run on (2, 1), one RL run on (1, 1). */
export function addCrossbarWork(store: Store, label: string, side: number): { runId: string; rlId: string; deviceIds: string[] } {
  const sample = store.lab.createSample({ name: `W-${label}`, kind: 'wafer', materialStack: 'Pt/HfO2/Ti' });
  const chip = store.lab.createChip({ sampleId: sample.id, name: `X-${label}`, rows: side, cols: side });
  const deviceIds: string[] = [];
  for (let w = 0; w < side; w++) for (let b = 0; b < side; b++) deviceIds.push(store.lab.createDevice({ chipId: chip.id, wordLine: w, bitLine: b }).id);
  const at = (w: number, b: number) => {
    if (w >= side || b >= side) throw new Error(`(${w}, ${b}) is off a ${side} × ${side} crossbar`);
    return deviceIds[w * side + b]!;
  };
  const run = store.runs.create({
    experimentName: `lab-${label}`,
    name: `${label} IV`,
    status: 'running',
    protocol: { name: 'iv', blocks: [] },
    device: { kind: 'simulated', preset: 'intrinsic-gradient', seed: 1 },
    deviceId: at(2, 1),
  });
  const w = store.openWriter(run.id);
  w.append(labSamples(300, 3));
  w.close();
  store.runs.setStatus(run.id, 'completed');
  // Every job of the small comparison (2 environments × 3 strategies × 3 seeds), and its comparison.
  const x = smallExperiment();
  const jobs = experimentJobs(x);
  const rl = store.rlRuns.create({ name: `${label} RL`, config: x, seeds: [0, 1, 2], jobsTotal: jobs.length, deviceId: at(1, 1) });
  for (const j of jobs) store.rlRuns.addJob(rl.id, runJob(x, j));
  store.rlRuns.finish(rl.id, 'completed', { comparison: comparisonOf(x, store.rlRuns.jobs(rl.id)) });
  return { runId: run.id, rlId: rl.id, deviceIds };
}
