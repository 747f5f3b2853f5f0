import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultName } from '../../../electron/services/rl/run-plan';
import type { Experiment } from '../../../shared/rl';

const paper = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../../resources/experiments/paper.json'), 'utf8')) as Experiment;

describe('an RL run’s default name', () => {
  it('says whose experiment it is: ours after the paper, not "paper:" as if it were the paper’s run', () => {
    expect(defaultName(paper, 50)).toBe('Our experiment after the paper: 15 strategies × 2 environments × 50 seeds');
  });

  it('falls back to the experiment’s id when its title has no short head', () => {
    const one = { ...paper, strategies: paper.strategies.slice(0, 1), environments: paper.environments.slice(0, 1) };
    expect(defaultName({ ...one, title: '' }, 1)).toBe('paper: 1 strategy × 1 environment × 1 seed');
    expect(defaultName({ ...one, title: 'x'.repeat(120) }, 2)).toBe('paper: 1 strategy × 1 environment × 2 seeds');
  });
});
