import { describe, expect, it } from 'vitest';
import { commands } from '../../../electron/cli/commands';

/** The lazy command table (electron/cli/commands.ts) names each command by the name it declares. */
describe('command table', () => {
  it('loads, for each name, the command of that name, each once', async () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const loaded = await Promise.all(commands.map((c) => c.load()));
    expect(loaded.map((c) => c.name)).toEqual(names);
    expect(new Set(loaded).size).toBe(loaded.length);
  });
});
