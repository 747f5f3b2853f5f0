import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentText, settingOf } from '../../../shared/rl';
import { repoRoot, runCli } from '../cli/run-cli';

const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paperFile = path.join(repoRoot, 'resources', 'experiments', 'paper.json');
const paperText = readFileSync(paperFile, 'utf8');

interface TuneDoc {
  seeds: [number, number];
  budget: number;
  chosen: { strategyId: string; family: string; settings: Record<string, number | string>; score: number }[];
  table: { strategyId: string; score: number }[];
}

describe('workbench tune', () => {
  it('on the shipped experiment chooses exactly the settings the experiment ships (it is what produced them)', { timeout: 600_000 }, () => {
    // 35,840 jobs (14 families × 64 settings × 20 seeds × 2 mazes): about two minutes on two idle cores.
    const r = runCli(['tune', '--experiment', paperFile, '--json'], { timeoutMs: 580_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as TuneDoc;
    expect(doc.seeds).toEqual([1000, 1019]);
    const parsed = parseExperimentText(paperText);
    if (!parsed.ok) throw new Error('the shipped experiment does not parse');
    const tuned = Object.keys(parsed.experiment.tuning!.spaces);
    expect(doc.chosen.map((c) => c.strategyId).sort()).toEqual([...tuned].sort());
    for (const c of doc.chosen) {
      const shipped = parsed.experiment.strategies.find((s) => s.id === c.strategyId)!;
      for (const [field, value] of Object.entries(c.settings)) expect([c.strategyId, field, settingOf(shipped, field)]).toEqual([c.strategyId, field, value]);
      // Every family had the same budget, and the winner is the lowest score of its family.
      const family = doc.table.filter((t) => t.strategyId === c.strategyId);
      expect(family).toHaveLength(doc.budget);
      expect(c.score).toBe(Math.min(...family.map((t) => t.score)));
    }
    // The shipped tuning table (resources/experiments/tuning/paper.json, from tune --table) is this run's.
    const { seconds: _seconds, ...table } = JSON.parse(r.stdout) as TuneDoc & { seconds: number };
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'experiments', 'tuning', 'paper.json'), 'utf8'))).toEqual(table);
  });

  const small = () => {
    const x = JSON.parse(paperText) as { environments: unknown[]; strategies: { id: string }[]; tuning: { spaces: Record<string, unknown>; budget: number; seeds: number } };
    x.environments = x.environments.slice(0, 1);
    x.strategies = x.strategies.filter((s) => ['device-intrinsic-gradient', 'constant-0.1', 'constant'].includes(s.id));
    x.tuning = { ...x.tuning, budget: 3, seeds: 2, spaces: { constant: x.tuning.spaces.constant } };
    return x;
  };

  it('writes the experiment with the chosen settings (--write), keeping the rest of the file', { timeout: 120_000 }, () => {
    const file = path.join(dir, 'small.json');
    writeFileSync(file, JSON.stringify(small()));
    const out = path.join(dir, 'small-tuned.json');
    const r = runCli(['tune', '--experiment', file, '--write', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Tuned on seeds 1000–1001 with 3 settings per family/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { strategies: { id: string; alpha?: number; name: string }[]; tuning: unknown };
    const constant = written.strategies.find((s) => s.id === 'constant')!;
    expect([0.0382, 0.141, 0.523]).toContain(constant.alpha);
    expect(constant.name).toBe(`Constant α = ${constant.alpha}`);
    expect(written.tuning).toEqual(small().tuning);
  });

  it('refuses a --write or --table it could not write before tuning (not after, losing the work), and leaves the files as they were', () => {
    const file = path.join(dir, 'small3.json');
    const text = JSON.stringify(small());
    writeFileSync(file, text);
    const folder = mkdtempSync(path.join(dir, 'out-'));
    const missing = path.join(dir, 'no-such-folder', 'tuned.json');
    for (const [args, pattern] of [
      [['--write', missing], /--write .*tuned\.json: the folder .*no-such-folder does not exist/],
      [['--table', folder], /--table .*out-\w+: it is a folder, not a file/],
      [['--write', path.join(file, 'x.json')], /--write .*small3\.json.x\.json: .*small3\.json is not a folder/],
    ] as const) {
      // The shipped budget: tuning would run for minutes before a late refusal.
      const r = runCli(['tune', '--experiment', file, '--budget', '1000', ...args], { timeoutMs: 60_000 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toBe('');
    }
    expect(readFileSync(file, 'utf8')).toBe(text);
    // --write onto the experiment itself replaces it whole, and leaves no temporary file beside it.
    const r = runCli(['tune', '--experiment', file, '--write', file]);
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { tuning: unknown }).tuning).toEqual(small().tuning);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses tuning seeds the comparison reports, a file without a tuning section and bad flags, in one line', () => {
    const file = path.join(dir, 'small2.json');
    writeFileSync(file, JSON.stringify(small()));
    const none = path.join(dir, 'none.json');
    const x = small() as Record<string, unknown>;
    delete x.tuning;
    writeFileSync(none, JSON.stringify(x));
    for (const [args, pattern] of [
      [['tune', '--experiment', file, '--seeds', '40-60'], /tuning seeds overlap the seeds the comparison reports \(0–49\): 40, 41/],
      [['tune', '--experiment', none], /no "tuning" section/],
      [['tune', '--experiment', file, '--seeds', '20-10'], /--seeds must be a range FIRST-LAST/],
      [['tune', '--experiment', file, '--budget', '0'], /--budget must be an integer from 1 to 1000/],
    ] as const) {
      const r = runCli([...args]);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
