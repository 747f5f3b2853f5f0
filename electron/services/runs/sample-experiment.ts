/**
 * The sample experiment shipped in resources/samples: simulated runs that show what the workbench
 * records — the paper's spike train on the second-order (intrinsic-gradient) model at three seeds,
 * the same train on a conventional filamentary device for contrast, and the depression followed by
 * 600 s of relaxation. All simulated with the workbench's own calibration, not the paper's values.
 *
 * Run and experiment ids are fixed, so loading the sample twice (or a regenerated sample after an
 * update) adds nothing the second time. Regenerate with
 *   npx tsx electron/services/runs/make-sample-bundle.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resourcesDir } from '../../app-meta';
import { loadDevicePreset, loadProtocol } from '../library';
import { silentLogger } from '../logs/logger';
import { openStore, type BundleExport } from '../store';
import { RunEngine } from './engine';
import { prepareProtocol } from './protocol';

export const SAMPLE_EXPERIMENT_ID = '5a3b1e0c-6f2d-4c8e-9b7a-0d1e2f3a4b5c';
export const SAMPLE_EXPERIMENT_NAME = 'Sample: paper spike train (simulated)';
export const SAMPLE_BUNDLE_NAME = 'sample-experiment.wbexp.sqlite';

export function sampleBundleFile(): string {
  return path.join(resourcesDir(), 'samples', SAMPLE_BUNDLE_NAME);
}

const NOTE =
  'Simulated by the Memristor Workbench with its own calibration of the device models to the figures reported by ' +
  'Ming et al., Nat. Commun. 17, 3367 (2026) — not the paper’s fitted values, which are not available to us.';

interface SampleRun {
  id: string;
  name: string;
  protocol: string;
  preset: string;
  seed: number;
  tags: string[];
}

export const SAMPLE_RUNS: readonly SampleRun[] = [
  { id: '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f01', name: 'Paper spike train, seed 1', protocol: 'paper-spike-train', preset: 'intrinsic-gradient', seed: 1, tags: ['sample', 'paper', 'second-order'] },
  { id: '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f02', name: 'Paper spike train, seed 2', protocol: 'paper-spike-train', preset: 'intrinsic-gradient', seed: 2, tags: ['sample', 'paper', 'second-order'] },
  { id: '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f03', name: 'Paper spike train, seed 3', protocol: 'paper-spike-train', preset: 'intrinsic-gradient', seed: 3, tags: ['sample', 'paper', 'second-order'] },
  { id: '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f04', name: 'Paper spike train on a filamentary device, seed 1', protocol: 'paper-spike-train', preset: 'filamentary', seed: 1, tags: ['sample', 'paper', 'filamentary'] },
  { id: '0c9a7e52-1b3d-4f60-8a2e-5d4c3b2a1f05', name: 'Depression and relaxation, seed 1', protocol: 'relaxation', preset: 'intrinsic-gradient', seed: 1, tags: ['sample', 'relaxation', 'second-order'] },
];

/** Runs the sample protocols (fast, simulated) in a scratch archive and returns it as bundle bytes. */
export async function buildSampleBundle(appVersion: string): Promise<BundleExport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-sample-'));
  // A neutral host name: the shipped file should not carry the name of the machine that built it.
  const store = openStore(dir, { appVersion, host: 'sample-generator' });
  try {
    store.experiments.create({
      id: SAMPLE_EXPERIMENT_ID,
      name: SAMPLE_EXPERIMENT_NAME,
      description:
        'The stimulus of the paper (100 spikes of +2 V, 10 ms at 1 Hz, a read after each) on simulated devices, and the relaxation afterwards. ' + NOTE,
    });
    const engine = new RunEngine({ store, logger: silentLogger });
    for (const r of SAMPLE_RUNS) {
      const loaded = loadProtocol(r.protocol);
      const prepared = prepareProtocol(loaded.source);
      if (!prepared.ok) throw new Error(`the shipped protocol ${r.protocol} does not compile`);
      const { runId } = engine.submit({
        id: r.id,
        protocol: prepared.protocol,
        device: { kind: 'simulated', preset: loadDevicePreset(r.preset), seed: r.seed, noise: true },
        pace: 'fast',
        experimentId: SAMPLE_EXPERIMENT_ID,
        name: r.name,
        notes: NOTE,
        tags: r.tags,
      });
      const done = await engine.whenDone(runId);
      if (done.status !== 'completed') throw new Error(`sample run ${r.name} ended ${done.status}: ${done.exitReason ?? ''}`);
    }
    return store.bundles.export(SAMPLE_EXPERIMENT_ID);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
