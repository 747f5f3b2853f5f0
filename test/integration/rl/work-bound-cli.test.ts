import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../cli/run-cli';

/**
 * The bound on one RL request's total work (RL_BOUNDS.agentSteps, 50,000,000,000 agent steps,
 * ours) from the command line: every RL command refuses a request over it in one line, with the
 * total, the bound and what to reduce, before it runs or records anything.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-work-bound-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const paper = JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'experiments', 'paper.json'), 'utf8')) as Record<string, unknown>;

/** The shipped experiment on 10,000 seeds: 10,000 × 15 strategies × 360,000 steps a job = 54,000,000,000. */
function overBoundFile(): string {
  const file = path.join(dir, 'over.json');
  writeFileSync(file, JSON.stringify({ ...paper, seeds: 10_000 }));
  return file;
}
const TOTAL = /up to 54,000,000,000 agent steps \(10,000 seeds × 15 strategies × 360,000 steps per job/;
const BOUND = /over the bound of 50,000,000,000 per request \(ours\)/;

describe('the RL commands refuse a request over the work bound', () => {
  it('reproduce: a file over it (exit 1) and --seeds over it (exit 2), naming the total, the bound and the seeds that fit; nothing runs', { timeout: 60_000 }, () => {
    const file = runCli(['reproduce', '--experiment', overBoundFile(), '--json']);
    expect(file.status).toBe(1);
    expect(file.stdout).toBe('');
    expect(file.stderr.trim().split('\n')).toHaveLength(1);
    expect(file.stderr).toMatch(/invalid experiment file .*over\.json: seeds: this asks for/);
    expect(file.stderr).toMatch(TOTAL);
    expect(file.stderr).toMatch(BOUND);
    expect(file.stderr).toMatch(/reduce seeds to at most 9,259$/m);

    const flag = runCli(['reproduce', '--seeds', '10000', '--json']);
    expect(flag.status).toBe(2);
    expect(flag.stdout).toBe('');
    expect(flag.stderr).toMatch(/^workbench reproduce: --seeds 10000: this asks for/);
    expect(flag.stderr).toMatch(TOTAL);
    expect(flag.stderr).toMatch(/reduce seeds to at most 9,259/);
  });

  it('rl (a device strategy, here on a simulated device): the same bound applies, refused before the device is opened, and no RL run is recorded', { timeout: 60_000 }, () => {
    const dataDir = path.join(dir, 'data-rl');
    // 1,000 seeds × 1,000,000 episodes × 200 steps = 200,000,000,000 on the static maze.
    const r = runCli(['rl', '--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--seeds', '1000', '--episodes', '1000000', '--data-dir', dataDir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--seeds 1000 with --episodes 1000000: this asks for up to 200,000,000,000 agent steps/);
    expect(r.stderr).toMatch(BOUND);
    expect(r.stderr).toMatch(/reduce seeds to at most 250/);
    // A file over the bound: refused as an invalid experiment file, naming the seeds that fit.
    const file = runCli(['rl', '--experiment', overBoundFile(), '--strategy', 'device-intrinsic-gradient', '--device', 'sim:intrinsic-gradient', '--data-dir', dataDir]);
    expect(file.status).toBe(1);
    expect(file.stdout).toBe('');
    expect(file.stderr).toMatch(/invalid experiment file .*over\.json: seeds: this asks for/);
    expect(file.stderr).toMatch(TOTAL);
    const list = runCli(['rl-runs', '--json', '--data-dir', dataDir]);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({ rlRuns: [] });
  });

  it('tune: its candidates on its tuning seeds, with --budget over it, naming the budget that fits', { timeout: 60_000 }, () => {
    const r = runCli(['tune', '--budget', '1000', '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--budget \(tuning\.budget\): this asks for up to 100,800,000,000 agent steps \(20 tuning seeds × 14,000 candidates/);
    expect(r.stderr).toMatch(BOUND);
    expect(r.stderr).toMatch(/reduce the budget to at most 496/);
  });

  it('submit: refused before the lab is contacted (the lab URL here leads nowhere), for a file over it and for --seeds over it', { timeout: 60_000 }, () => {
    const env = { WORKBENCH_LAB_URL: 'postgres://workbench@127.0.0.1:55663/nowhere', WORKBENCH_LAB_URL_FILE: '' };
    const file = runCli(['submit', '--experiment', overBoundFile()], { env });
    expect(file.status).toBe(1);
    expect(file.stderr).toMatch(TOTAL);
    expect(file.stderr).not.toMatch(/connect|ECONNREFUSED|unreachable/i);
    const flag = runCli(['submit', '--seeds', '10000'], { env });
    expect(flag.status).toBe(1);
    expect(flag.stderr).toMatch(/seeds: this asks for up to 54,000,000,000 agent steps/);
    expect(flag.stderr).toMatch(/reduce seeds to at most 9,259/);
    expect(flag.stderr).not.toMatch(/connect|ECONNREFUSED|unreachable/i);
  });
});
