import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevice, idealPreset } from '../../../shared/device';
import { compileProtocol, estimateEnergy } from '../../../shared/protocol';
import { repoRoot } from '../cli/run-cli';
import { cliJson, runCli, tempDir } from './helpers';

const shipped = (name: string) => path.join(repoRoot, 'resources', 'protocols', `${name}.json`);

/** A document with four problems in different places. */
const broken = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'broken',
  colour: 'blue',
  blocks: [
    { kind: 'pulse', amplitude: '9 V', width: '10 ms' },
    { kind: 'train', count: 10, amplitude: '2 V', width: '10 ms', period: 'fast' },
    { kind: 'wait', duration: '-5 s' },
  ],
};

interface Problem {
  path: string;
  code: string;
  message: string;
}

describe('workbench protocol validate', () => {
  it('accepts every shipped protocol by name and by file', () => {
    for (const name of ['paper-spike-train', 'relaxation', 'paired-pulse', 'rate-dependence', 'forming-ramp', 'iv-hysteresis', 'forming', 'endurance', 'retention', 'converge-to-state']) {
      const byName = runCli(['protocol', 'validate', name]);
      expect(byName.status, byName.stderr).toBe(0);
      expect(byName.stdout).toContain('a valid protocol');
    }
    const { result, doc } = cliJson(['protocol', 'validate', shipped('relaxation'), '--json']);
    expect(result.status).toBe(0);
    expect(doc).toMatchObject({ ok: true, name: 'Depression and relaxation', blocks: 2 });
  });

  it('exits 1 listing every problem with its path', () => {
    const file = path.join(tempDir(), 'broken.json');
    writeFileSync(file, JSON.stringify(broken));
    const r = runCli(['protocol', 'validate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/is not a valid protocol \(\d+ problems\):$/);
    const paths = lines.slice(1).map((l) => l.trim().split(': ')[0]);
    expect(paths).toEqual(expect.arrayContaining(['colour', 'blocks[0].amplitude', 'blocks[1].period', 'blocks[2].duration']));

    const { result, doc } = cliJson<{ ok: boolean; problems: Problem[] }>(['protocol', 'validate', file, '--json']);
    expect(result.status).toBe(1);
    expect(doc.ok).toBe(false);
    expect(doc.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['colour', 'blocks[0].amplitude', 'blocks[1].period', 'blocks[2].duration']));
    const amplitude = doc.problems.find((p) => p.path === 'blocks[0].amplitude')!;
    expect(amplitude.code).toBe('limit');
    expect(amplitude.message).toContain('5 V');
    // The same document fails estimate in the same way.
    expect(runCli(['protocol', 'estimate', file]).status).toBe(1);
  });

  it('says when the file is not JSON, missing, or the subcommand unknown', () => {
    const file = path.join(tempDir(), 'not.json');
    writeFileSync(file, '{ "format": ');
    const notJson = runCli(['protocol', 'validate', file]);
    expect(notJson.status).toBe(1);
    expect(notJson.stderr).toContain('(document): this is not valid JSON');
    const missing = runCli(['protocol', 'validate', path.join(tempDir(), 'nope.json')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('does not exist');
    // A bare name is a shipped protocol's; one that is not shipped is refused with the shipped
    // names, and a file of that name here (the CLI runs in the repository) is named as a path to write.
    const unknown = runCli(['protocol', 'validate', 'relaxaton']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toMatch(/^workbench protocol: there is no protocol called 'relaxaton' \(shipped: [a-z, -]*relaxation[a-z, -]*\)$/);
    const here = runCli(['protocol', 'validate', 'README.md']);
    expect(here.status).toBe(1);
    expect(here.stderr).toContain(`there is no protocol called 'README.md' (the file ${path.join(repoRoot, 'README.md')} is read when named as a path, ./README.md; shipped: `);
    const preset = runCli(['characterize', '--device', 'README.md']);
    expect(preset.stderr).toContain(`there is no device preset called 'README.md' (the file ${path.join(repoRoot, 'README.md')} is read when named as a path, ./README.md; shipped: `);
    expect(runCli(['protocol', 'check', 'relaxation']).status).toBe(2);
    expect(runCli(['protocol', 'validate']).status).toBe(2);
  });
});

describe('workbench protocol estimate', () => {
  it('gives the duration, counts and extremes, and the energy on a device', () => {
    const plain = cliJson<Record<string, unknown>>(['protocol', 'estimate', 'paper-spike-train', '--json']);
    expect(plain.result.status).toBe(0);
    expect(plain.doc).toMatchObject({ ok: true, exact: true, pulses: 100, reads: 100, maxAbsVoltage: 2, maxWidthS: 0.01, energy: null });
    expect(plain.doc.durationS).toBeCloseTo(100, 9);
    expect(plain.doc.maxDutyCycle).toBeCloseTo(0.01, 12);

    const withDevice = cliJson<{ energy: { device: string; energyJ: number; maxPulseCurrentA: number; exceedsCompliance: boolean } }>([
      'protocol',
      'estimate',
      'paper-spike-train',
      '--device',
      'ideal',
      '--json',
    ]);
    const compiled = compileProtocol(JSON.parse(readFileSync(shipped('paper-spike-train'), 'utf8')));
    if (!compiled.ok) throw new Error('does not compile');
    const expected = estimateEnergy(compiled.program, createDevice(idealPreset, { seed: 1, noise: false }));
    expect(withDevice.doc.energy.device).toBe('ideal');
    expect(withDevice.doc.energy.energyJ).toBeCloseTo(expected.energy, 18);
    // The first pulse meets the pristine device: I = G₀·V = 20 µA, far below the 1 mA compliance.
    expect(withDevice.doc.energy.maxPulseCurrentA).toBeCloseTo(2 * idealPreset.params.g0, 15);
    expect(withDevice.doc.energy.exceedsCompliance).toBe(false);
  });

  it('marks the figures of a protocol with an until as upper bounds', () => {
    const { doc } = cliJson(['protocol', 'estimate', 'forming-ramp', '--json']);
    expect(doc).toMatchObject({ exact: false, maxAbsVoltage: 3 });
    const human = runCli(['protocol', 'estimate', 'forming-ramp']);
    expect(human.stdout).toMatch(/pulses\s+at most \d+/);
    expect(human.stdout).toContain('upper bounds');
  });

  it('prints a readable estimate', () => {
    const r = runCli(['protocol', 'estimate', 'relaxation', '--device', 'intrinsic-gradient']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/duration\s+11 min 40 s/);
    expect(r.stdout).toMatch(/pulses\s+100\n/);
    expect(r.stdout).toMatch(/reads\s+160\n/);
    expect(r.stdout).toMatch(/max \|V\|\s+2\.00 V/);
    expect(r.stdout).toMatch(/energy\s+[\d.]+ µJ on intrinsic-gradient/);
  });
});
