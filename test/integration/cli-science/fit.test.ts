import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevice, intrinsicGradientPreset } from '../../../shared/device';
import { formatTraceCsv } from '../../../shared/fit';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { openStore } from '../../../electron/services/store';
import { repoRoot } from '../cli/run-cli';
import { cliJson, noisyTrace, runCli, tempDir, truth } from './helpers';

interface Estimate {
  value: number;
  standardError: number | null;
  relativeError: number | null;
}
interface FitDoc {
  ok: true;
  model: string;
  source: string;
  free: string[];
  held: Record<string, number>;
  params: Record<string, number>;
  estimates: Record<string, Estimate>;
  residualRms: number;
  relativeResidualRms: number;
  converged: boolean;
  status: string;
  reason: string;
  iterations: number;
  evaluations: number;
  reads: number;
  preset: { name: string; source: string; model: string; params: Record<string, number>; provenance: Record<string, string> };
  presetProblems: string[];
  saved: { name: string; dataFile: string } | null;
}

function csvFile(seed: number, options: { withWidth?: boolean } = {}): string {
  const trace = noisyTrace(seed);
  let text = formatTraceCsv(trace, [`simulated: intrinsic-gradient, kD ${truth.kD}, tauG ${truth.tauG} s, read noise 1 %, seed ${seed}`]);
  if (options.withWidth === false) {
    text = text
      .split('\n')
      .map((line) => (line.startsWith('#') ? line : line.split(',').slice(0, 5).join(',')))
      .join('\n');
  }
  const file = path.join(tempDir(), `trace-${seed}.csv`);
  writeFileSync(file, text);
  return file;
}

const within = (value: number, target: number, fraction: number) => Math.abs(value / target - 1) < fraction;

const relaxation = JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'protocols', 'relaxation.json'), 'utf8')) as object;

/** Runs relaxation.json on a device with known parameters and stores it as a run in a fresh data folder. */
function storedRun(options: { protocol?: boolean; seed?: number } = {}): { dataDir: string; runId: string } {
  const dataDir = tempDir();
  const compiled = compileProtocol(relaxation);
  if (!compiled.ok) throw new Error('relaxation.json does not compile');
  const device = createDevice({ ...intrinsicGradientPreset, params: truth, variation: { c2c: 0, d2d: 0, read: 0.01 } }, { seed: options.seed ?? 11 });
  const samples = simulateProtocol(compiled.program, device);
  const store = openStore(dataDir, { appVersion: 'test' });
  try {
    const run = store.runs.create({
      experimentName: 'fits',
      name: 'relaxation on cell 3',
      status: 'running',
      protocol: options.protocol === false ? null : relaxation,
      device: { kind: 'simulated', model: 'intrinsic-gradient' },
    });
    const writer = store.openWriter(run.id);
    writer.append(samples);
    store.runs.setStatus(run.id, 'completed');
    return { dataDir, runId: run.id };
  } finally {
    store.close();
  }
}

describe('workbench fit --csv', () => {
  it('recovers k_d and τ_g within 5 % from a noisy simulated trace (barrier parameters held)', () => {
    for (const seed of [1, 2]) {
      const { result, doc } = cliJson<FitDoc>(['fit', '--csv', csvFile(seed), '--json']);
      expect(result.status, result.stderr).toBe(0);
      expect(doc.ok).toBe(true);
      expect(doc.free).toEqual(['g0', 'kD', 'rho', 'gMin', 'tauG']);
      expect(doc.held).toEqual({ kS: 0.05, beta: 5, tauS: 400, vTh: 1, vScale: 0.5, widthExponent: 0.5 });
      expect(within(doc.params.kD!, truth.kD, 0.05)).toBe(true);
      expect(within(doc.params.tauG!, truth.tauG, 0.05)).toBe(true);
      expect(doc.converged).toBe(true);
      // The residuals are the 1 % read noise, and the truth is within 4 standard errors.
      expect(doc.relativeResidualRms).toBeGreaterThan(0.008);
      expect(doc.relativeResidualRms).toBeLessThan(0.012);
      for (const key of ['kD', 'tauG'] as const) {
        const e = doc.estimates[key]!;
        expect(Math.abs(e.value - truth[key])).toBeLessThan(4 * e.standardError!);
        expect(e.relativeError).toBeCloseTo(e.standardError! / e.value, 12);
      }
      expect(doc.reads).toBe(161);
      expect(doc.preset).toMatchObject({ source: 'fitted', model: 'intrinsic-gradient', name: 'intrinsic-gradient-fitted' });
      expect(doc.preset.provenance).toMatchObject({ kD: 'fitted', tauG: 'fitted', kS: 'ours', tauS: 'ours' });
      expect(doc.saved).toBeNull();
    }
  });

  it('takes parameter names as a person writes them, and reports unknown ones', () => {
    const file = csvFile(3);
    const { doc } = cliJson<FitDoc>(['fit', '--csv', file, '--free', 'k_d,τ_g,G₀,rho,g_min', '--json']);
    expect(doc.free).toEqual(['kD', 'tauG', 'g0', 'rho', 'gMin']);
    expect(within(doc.params.tauG!, truth.tauG, 0.05)).toBe(true);
    const bad = runCli(['fit', '--csv', file, '--free', 'k_d,flux,tau_x']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('flux is not a parameter of the intrinsic-gradient model');
    expect(bad.stderr).toContain('tau_x is not a parameter');
  });

  it('prints values with units, uncertainties and the residual RMS', () => {
    const r = runCli(['fit', '--csv', csvFile(4)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Depression rate k_d\s+kD\s+0\.04\d+\s+± [\d.]+\s+[\d.]+ %/);
    expect(r.stdout).toMatch(/Conductance relaxation τ_g\s+tauG\s+2\d\d(\.\d+)? s\s+± [\d.]+ s/);
    expect(r.stdout).toMatch(/Pristine conductance G₀\s+g0\s+[\d.]+ µS/);
    expect(r.stdout).toMatch(/held: kS = 0\.05, beta = 5, tauS = 400 s/);
    expect(r.stdout).toMatch(/residual RMS: [\d.]+ nS \([\d.]+ % of G\) over 161 reads/);
  });

  it('needs a width for pulses when the CSV has none, and takes it from --width', () => {
    const file = csvFile(5, { withWidth: false });
    expect(readFileSync(file, 'utf8')).toContain('t,v,i,g,kind\n');
    const without = runCli(['fit', '--csv', file]);
    expect(without.status).toBe(1);
    expect(without.stderr).toMatch(/line \d+: a pulse needs a width/);
    const { result, doc } = cliJson<FitDoc>(['fit', '--csv', file, '--width', '10ms', '--json']);
    expect(result.status).toBe(0);
    expect(within(doc.params.kD!, truth.kD, 0.05)).toBe(true);
  });

  it('exits 1 with every problem of a bad file, each naming its line', () => {
    const file = path.join(tempDir(), 'bad.csv');
    writeFileSync(file, ['t,v,i,g,kind,width', '0,0.1,1e-6,,read,', '1,2,,,pulse,0.01', 'x,0.1,1e-6,,read,', '3,0.1,,,read,', '2,0.1,1e-6,,read,', '4,2,,,zap,0.01'].join('\n'));
    const r = runCli(['fit', '--csv', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('line 4: t must be a number of seconds (got "x")');
    expect(r.stderr).toContain('line 5: a read needs g or i');
    expect(r.stderr).toContain('line 6: t = 2 s is earlier than t = 3 s on line 5');
    expect(r.stderr).toContain('line 7: kind must be read or pulse');
    const { result, doc } = cliJson<{ ok: false; problems: string[] }>(['fit', '--csv', file, '--json']);
    expect(result.status).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.problems).toHaveLength(4);

    expect(runCli(['fit', '--csv', path.join(tempDir(), 'missing.csv')]).stderr).toContain('does not exist');
    expect(runCli(['fit']).status).toBe(2);
    expect(runCli(['fit', '--csv', file, '--run', 'x']).status).toBe(2);
    expect(runCli(['fit', '--csv', file, '--model', 'filamentary']).status).toBe(2);
  });

  it('saves the fitted preset in the data folder, where simulate finds it', () => {
    const dataDir = tempDir();
    const file = csvFile(6);
    const { result, doc } = cliJson<FitDoc>(['fit', '--csv', file, '--save', 'cell-6', '--data-dir', dataDir, '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(doc.saved).toEqual({ name: 'cell-6', dataFile: path.join(dataDir, 'workbench.sqlite') });

    const store = openStore(dataDir, { appVersion: 'test' });
    try {
      const saved = store.devicePresets.get('cell-6');
      expect(saved.preset).toMatchObject({ name: 'cell-6', source: 'fitted', model: 'intrinsic-gradient' });
      expect((saved.preset.params as { kD?: number }).kD).toBe(doc.params.kD);
      expect(saved.preset.provenance.kD).toBe('fitted');
      expect(saved.preset.provenance.kS).toBe('ours');
    } finally {
      store.close();
    }
    const sim = cliJson<{ device: string; samples: unknown[] }>(['simulate', '--device', 'cell-6', '--data-dir', dataDir, '--protocol', 'paper-spike-train', '--json']);
    expect(sim.result.status, sim.result.stderr).toBe(0);
    expect(sim.doc.device).toBe('cell-6');

    // A second save under the same name needs --overwrite; shipped names are refused outright.
    const again = runCli(['fit', '--csv', file, '--save', 'cell-6', '--data-dir', dataDir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(runCli(['fit', '--csv', file, '--save', 'cell-6', '--overwrite', '--data-dir', dataDir]).status).toBe(0);
    const shipped = runCli(['fit', '--csv', file, '--save', 'intrinsic-gradient', '--data-dir', dataDir]);
    expect(shipped.status).toBe(1);
    expect(shipped.stderr).toContain('read-only');
    expect(runCli(['fit', '--csv', file, '--save', 'Bad Name', '--data-dir', dataDir]).status).toBe(1);
  });
});

describe('workbench fit --run', () => {
  it('fits a stored run, taking the pulse widths from its protocol snapshot', () => {
    const { dataDir, runId } = storedRun();
    const { result, doc } = cliJson<FitDoc>(['fit', '--run', runId, '--data-dir', dataDir, '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(doc.source).toContain('run "relaxation on cell 3"');
    expect(doc.source).toContain('100 pulses, 160 reads, pulse widths from its protocol');
    expect(within(doc.params.kD!, truth.kD, 0.05)).toBe(true);
    expect(within(doc.params.tauG!, truth.tauG, 0.05)).toBe(true);
    expect(doc.relativeResidualRms).toBeLessThan(0.012);
  });

  it('needs --width for a run without a protocol snapshot', () => {
    const { dataDir, runId } = storedRun({ protocol: false });
    const without = runCli(['fit', '--run', runId, '--data-dir', dataDir]);
    expect(without.status).toBe(1);
    expect(without.stderr).toContain('it has no protocol snapshot');
    expect(without.stderr).toContain('--width');
    const { result, doc } = cliJson<FitDoc>(['fit', '--run', runId, '--data-dir', dataDir, '--width', '10 ms', '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(doc.source).toContain('every pulse 10 ms wide as asked');
    expect(within(doc.params.kD!, truth.kD, 0.05)).toBe(true);
  });

  it('says when there is no such run', () => {
    const { dataDir } = storedRun();
    const r = runCli(['fit', '--run', '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b', '--data-dir', dataDir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('No run with id 3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b');
    expect(runCli(['fit', '--run', 'not-a-uuid', '--data-dir', dataDir]).stderr).toContain('run id must be a UUID');
  });
});
