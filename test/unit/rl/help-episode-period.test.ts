import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { strategySchema } from '../../../shared/rl/experiment/schema';

const root = path.resolve(__dirname, '../../..');

// #19 item 14: Help said RL uses "1 s by default" per episode while the shipped experiment uses 20 s.
describe('the user guide on the period per episode', () => {
  it('states the shipped experiment’s device time per episode and the schema’s default', () => {
    const paper = JSON.parse(readFileSync(path.join(root, 'resources/experiments/paper.json'), 'utf8')) as { strategies: Record<string, unknown>[] };
    // The headline device strategy's period (the first device strategy), and every other one named.
    const periods = paper.strategies.filter((s) => s.kind === 'device').map((s) => s.secondsPerEpisode as number);
    const seconds = periods[0]!;
    const guide = readFileSync(path.join(root, 'resources/help/user-guide.md'), 'utf8').replace(/\s+/g, ' ');
    expect(guide).toContain(`the shipped paper experiment uses ${seconds} s of device time per episode`);
    for (const other of new Set(periods.filter((p) => p !== seconds))) expect(guide).toMatch(new RegExp(`(variant|one) uses ${other.toString().replace('.', '\\.')} s`));
    // The schema's default: a shipped device strategy without its period, parsed.
    const { secondsPerEpisode: _given, ...unnamed } = paper.strategies.find((s) => s.kind === 'device')!;
    const parsed = strategySchema.parse(unnamed) as { secondsPerEpisode: number };
    expect(guide).toContain(`a strategy that names none gets ${parsed.secondsPerEpisode} s`);
  });
});
