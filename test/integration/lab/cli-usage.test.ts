import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../fixtures/temp-dirs';
import { runCli } from '../cli/run-cli';

const tmp = tempDirs('wb-lab-cli-');
const noLab = { WORKBENCH_LAB_URL: '', WORKBENCH_LAB_URL_FILE: '' };

describe('workbench publish and runs --source lab without a lab', () => {
  it('say how to configure one, and take no URL as a flag', () => {
    const p = runCli(['publish', '--data-dir', tmp()], { env: noLab });
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/no lab archive is configured: set WORKBENCH_LAB_URL to its postgres:\/\/ URL, or WORKBENCH_LAB_URL_FILE to a file \(mode 600\)/);
    const r = runCli(['runs', '--source', 'lab', '--data-dir', tmp()], { env: noLab });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no lab archive is configured/);
    const flag = runCli(['publish', '--url', 'postgres://u:pw@h/db'], { env: noLab });
    expect(flag.status).toBe(2);
    expect(flag.stderr).not.toContain('pw@');
  });

  it('refuse the local-only filters with --source lab', () => {
    const r = runCli(['runs', '--source', 'lab', '--status', 'completed'], { env: noLab });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--source lab takes --search and --limit only, not --status/);
    expect(runCli(['runs', '--source', 'cloud']).status).toBe(2);
  });

  it('rl-runs --source lab: the same, and its lab-only flags refused without it', () => {
    const r = runCli(['rl-runs', '--source', 'lab', '--data-dir', tmp()], { env: noLab });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no lab archive is configured/);
    const status = runCli(['rl-runs', '--source', 'lab', '--status', 'completed'], { env: noLab });
    expect(status.status).toBe(2);
    expect(status.stderr).toMatch(/--source lab takes --search and --limit only, not --status/);
    const limit = runCli(['rl-runs', '--source', 'lab', '--limit', '0'], { env: noLab });
    expect(limit.status).toBe(2);
    expect(limit.stderr).toMatch(/--limit must be a whole number from 1 to 1000, got 0/);
    const local = runCli(['rl-runs', '--search', 'x', '--data-dir', tmp()], { env: noLab });
    expect(local.status).toBe(2);
    expect(local.stderr).toMatch(/--search and --limit go with --source lab/);
  });
});

describe('workbench submit and worker --instrument', () => {
  it('refuse a bad instrument name with the app’s sentence, before asking any lab', () => {
    const s = runCli(['submit', '--instrument', 'serial:/dev/ttyUSB0'], { env: noLab });
    expect(s.status).toBe(2);
    expect(s.stderr).toContain(`--instrument "serial:/dev/ttyUSB0": an instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); "serial:/dev/ttyUSB0" has ":", "/"`);
    expect(s.stderr).not.toMatch(/no lab archive/);
    const w = runCli(['worker', '--lab', '--instrument', 'k 2400=sim:intrinsic-gradient'], { env: noLab });
    expect(w.status).toBe(2);
    expect(w.stderr).toContain(`an instrument's name may hold only letters, digits, '_' and '-' (1 to 60 of them); "k 2400" has a space`);
  });
});
