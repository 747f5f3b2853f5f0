import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevice, intrinsicGradientPreset } from '../../../shared/device';
import { compileProtocol, simulateProtocol } from '../../../shared/protocol';
import { SampleKind } from '../../../shared/samples/columns';
import { repoRoot } from '../cli/run-cli';
import { cliJson, runCli, tempDir } from './helpers';

interface SimulateDoc {
  device: string;
  model: string;
  seed: number;
  noise: boolean;
  basis: string;
  pristineG: number;
  initialG: number;
  finalG: number;
  deltaGPercent: number;
  minG: number;
  durationS: number;
  sampleCount: number;
  pulses: number;
  reads: number;
  samples: { t: number; v: number; i: number; g: number; kind: 'read' | 'pulse' }[];
}

const protocolFile = (name: string) => path.join(repoRoot, 'resources', 'protocols', `${name}.json`);

describe('workbench simulate', () => {
  it('prints one JSON document whose summary is what its samples say', () => {
    const { result, doc } = cliJson<SimulateDoc>(['simulate', '--device', 'intrinsic-gradient', '--protocol', 'relaxation', '--seed', '7', '--json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    expect(doc).toMatchObject({ device: 'intrinsic-gradient', model: 'intrinsic-gradient', seed: 7, noise: true, basis: 'reads' });
    // relaxation.json: 100 spikes with a read after each, then 60 reads over 600 s: 700 s in all.
    expect(doc.samples).toHaveLength(260);
    expect(doc.sampleCount).toBe(260);
    expect(doc.pulses).toBe(100);
    expect(doc.reads).toBe(160);
    expect(doc.durationS).toBeCloseTo(700, 9);
    for (const s of doc.samples) expect(Object.keys(s).sort()).toEqual(['compliance', 'g', 'i', 'kind', 't', 'v']);
    const reads = doc.samples.filter((s) => s.kind === 'read');
    expect(doc.initialG).toBe(reads[0]!.g);
    expect(doc.finalG).toBe(reads[reads.length - 1]!.g);
    expect(doc.minG).toBe(Math.min(...reads.map((r) => r.g)));
    expect(doc.deltaGPercent).toBeCloseTo(((doc.finalG - doc.initialG) / doc.initialG) * 100, 10);
    // A read's current is its conductance times the read voltage; pulses are at 2 V.
    for (const r of reads) expect(r.i).toBeCloseTo(r.g * 0.1, 18);
    expect(doc.samples.filter((s) => s.kind === 'pulse').every((p) => p.v === 2)).toBe(true);
    // The science: deep depression during the train, then partial recovery.
    expect(doc.minG / doc.pristineG).toBeLessThan(0.05);
    expect(doc.finalG).toBeGreaterThan(5 * doc.minG);
    expect(doc.finalG).toBeLessThan(0.9 * doc.pristineG); // the calibration target: < 0.9 G₀ at 600 s
  });

  it('gives identical output for the same seed and different output for another', () => {
    const args = ['simulate', '--device', 'intrinsic-gradient', '--protocol', 'paper-spike-train', '--json'];
    const a = runCli([...args, '--seed', '42']);
    const b = runCli([...args, '--seed', '42']);
    const c = runCli([...args, '--seed', '43']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).not.toBe(a.stdout);
    // Human output is seeded too.
    expect(runCli(['simulate', '--device', 'filamentary', '--protocol', 'paper-spike-train', '--seed', '5']).stdout).toBe(
      runCli(['simulate', '--device', 'filamentary', '--protocol', 'paper-spike-train', '--seed', '5']).stdout,
    );
  });

  it('with --noise off follows the model equations exactly, whatever the seed', () => {
    const args = ['simulate', '--device', 'intrinsic-gradient', '--protocol', 'paper-spike-train', '--noise', 'off', '--json'];
    const one = cliJson<SimulateDoc>([...args, '--seed', '1']).doc;
    const two = cliJson<SimulateDoc>([...args, '--seed', '2']).doc;
    expect(two.samples).toEqual(one.samples);
    const compiled = compileProtocol(JSON.parse(readFileSync(protocolFile('paper-spike-train'), 'utf8')));
    if (!compiled.ok) throw new Error('paper-spike-train does not compile');
    const expected = simulateProtocol(compiled.program, createDevice(intrinsicGradientPreset, { seed: 99, noise: false }));
    const reads: number[] = [];
    for (let k = 0; k < expected.length; k++) if (expected.kind[k] === SampleKind.read) reads.push(expected.g[k]!);
    expect(one.finalG).toBe(reads[reads.length - 1]);
    expect(one.pristineG).toBe(intrinsicGradientPreset.params.g0);
    // The calibration: 100 spikes of 2 V, 10 ms at 1 Hz take G down by about 98.1 % of G₀.
    expect((one.finalG / one.pristineG - 1) * 100).toBeCloseTo(-98.1, 0);
  });

  it('prints a readable summary with SI prefixes', () => {
    const r = runCli(['simulate', '--device', 'ideal', '--protocol', 'paper-spike-train', '--noise', 'off']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Simulated 'Paper spike train' on ideal");
    expect(r.stdout).toMatch(/initial G\s+9\.546 µS\s+\(first read\)/);
    expect(r.stdout).toMatch(/ΔG\s+-98\.\d\d %/);
    expect(r.stdout).toMatch(/minimum G\s+\d+(\.\d+)? nS/);
    expect(r.stdout).toMatch(/samples\s+200 \(100 pulses, 100 reads\)/);
    expect(r.stdout).toMatch(/duration\s+100 s simulated/);
  });

  it('takes a preset file and says what is wrong with a bad one', () => {
    const dir = tempDir();
    const good = path.join(dir, 'fast.json');
    writeFileSync(good, JSON.stringify({ ...intrinsicGradientPreset, name: 'fast', params: { ...intrinsicGradientPreset.params, kD: 0.2 } }));
    const fast = cliJson<SimulateDoc>(['simulate', '--device', good, '--protocol', 'paper-spike-train', '--noise', 'off', '--json']).doc;
    const slow = cliJson<SimulateDoc>(['simulate', '--device', 'intrinsic-gradient', '--protocol', 'paper-spike-train', '--noise', 'off', '--json']).doc;
    expect(fast.device).toBe('fast');
    expect(fast.samples[1]!.g).toBeLessThan(slow.samples[1]!.g);

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...intrinsicGradientPreset, params: { ...intrinsicGradientPreset.params, tauG: -1, kD: 2 } }));
    const r = runCli(['simulate', '--device', bad, '--protocol', 'paper-spike-train']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('params.tauG: tauG must be a positive number of seconds (got -1)');
    expect(r.stderr).toContain('params.kD: kD must be in (0, 1] (got 2)');
  });

  it('refuses an unknown preset or protocol with exit 1 and a missing flag with exit 2', () => {
    const unknown = runCli(['simulate', '--device', 'memristor-9000', '--protocol', 'paper-spike-train', '--data-dir', tempDir()]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("there is no device preset called 'memristor-9000'");
    expect(unknown.stderr).toContain('intrinsic-gradient');

    const dir = tempDir();
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, JSON.stringify({ format: 'memristor-workbench/protocol', version: 1, name: 'broken', blocks: [{ kind: 'pulse', amplitude: '9 V', width: '-1 ms' }] }));
    const broken = runCli(['simulate', '--device', 'ideal', '--protocol', file]);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('blocks[0].amplitude');
    expect(broken.stderr).toContain('blocks[0].width');

    const missing = runCli(['simulate', '--protocol', 'paper-spike-train']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--device is required');
    expect(runCli(['simulate', '--device', 'ideal', '--protocol', 'paper-spike-train', '--noise', 'maybe']).status).toBe(2);
  });
});
