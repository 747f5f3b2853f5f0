import { describe, expect, it } from 'vitest';
import { progressText } from '../../../renderer/features/live/progress-text';

describe('run progress text', () => {
  it('puts ≤ before a total that is only an upper bound, and drops it once the total is reached', () => {
    expect(progressText({ fraction: 0.4, done: 200, total: 492, exact: false })).toBe('40 % · 200 / ≤ 492');
    expect(progressText({ fraction: 1, done: 492, total: 492, exact: false })).toBe('100 % · 492 / 492');
    expect(progressText({ fraction: 0.5, done: 1575, total: 3151, exact: true })).toBe('50 % · 1,575 / 3,151');
  });
});
