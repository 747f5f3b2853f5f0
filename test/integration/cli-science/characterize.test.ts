import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { intrinsicGradientPreset } from '../../../shared/device';
import { cliJson, runCli, tempDir } from './helpers';

interface Doc {
  device: string;
  ablate: string[];
  pairedPulse: { intervalS: number; index: number }[];
  halfDecayIntervalS: number | null;
  rate: { periodS: number; deltaGPercent: number }[];
  paperTrain: { deltaGPercent: number; g100: number; g600: number };
}

describe('workbench characterize', () => {
  it('--device intrinsic-gradient --json meets what "second-order" must show (issue #11 item 1)', () => {
    const { result, doc } = cliJson<Doc>(['characterize', '--device', 'intrinsic-gradient', '--json']);
    expect(result.status).toBe(0);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['pairedPulse', 'halfDecayIntervalS', 'rate', 'paperTrain']));
    const first = doc.pairedPulse[0]!;
    const last = doc.pairedPulse.at(-1)!;
    expect(first.intervalS).toBe(0.1);
    expect(Math.abs(first.index - 1)).toBeGreaterThanOrEqual(0.15);
    expect(last.intervalS).toBeGreaterThanOrEqual(1000);
    expect(Math.abs(last.index - 1)).toBeLessThanOrEqual(0.03);
    expect(doc.halfDecayIntervalS!).toBeGreaterThan(10);
    expect(doc.halfDecayIntervalS!).toBeLessThan(1000);
    expect(Math.abs(doc.paperTrain.deltaGPercent + 98.1)).toBeLessThanOrEqual(0.3);
    expect(doc.paperTrain.g600).toBeLessThan(0.9);
    expect(doc.rate.length).toBeGreaterThan(3);
  });

  it('--ablate second-state gives an index within 0.02 of 1 everywhere; the ideal device within 0.01', () => {
    const ablated = cliJson<Doc>(['characterize', '--device', 'intrinsic-gradient', '--ablate', 'second-state', '--json']).doc;
    expect(ablated.ablate).toEqual(['second-state']);
    for (const p of ablated.pairedPulse) expect(Math.abs(p.index - 1)).toBeLessThanOrEqual(0.02);
    const ideal = cliJson<Doc>(['characterize', '--device', 'ideal', '--json']).doc;
    for (const p of ideal.pairedPulse) expect(Math.abs(p.index - 1)).toBeLessThanOrEqual(0.01);
  });

  it('characterizes a preset file, and prints a readable report without --json', () => {
    const file = path.join(tempDir(), 'weak.json');
    writeFileSync(file, JSON.stringify({ ...intrinsicGradientPreset, name: 'weak', params: { ...intrinsicGradientPreset.params, beta: 0 } }));
    const weak = cliJson<Doc>(['characterize', '--device', file, '--json']).doc;
    expect(weak.device).toBe('weak');
    expect(weak.halfDecayIntervalS).toBeNull();
    const text = runCli(['characterize', '--device', 'intrinsic-gradient']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/Paired-pulse index/);
    expect(text.stdout).toMatch(/half-decay interval: \d+\.\d s/);
  });

  it('refuses bad input with one line: no device, an unknown one, an ablation the model cannot take, a bad switch', () => {
    for (const [args, pattern] of [
      [['characterize'], /--device is required/],
      [['characterize', '--device', 'no-such-device'], /no-such-device/],
      [['characterize', '--device', 'ideal', '--ablate', 'second-state'], /ideal model has no second state/],
      [['characterize', '--device', 'intrinsic-gradient', '--ablate', 'everything'], /--ablate/],
    ] as const) {
      const r = runCli([...args]);
      expect(r.status).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
