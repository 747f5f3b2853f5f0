import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { emulatorProcess, runCliAsync, tempDir } from './helpers';

/**
 * The physical device in the RL loop, resumable (#12): `workbench rl` against the virtual Keithley
 * 2400 — `workbench emulator` in its own process on a real pseudo-terminal — is killed with
 * SIGKILL mid-run, then `--resume` finishes it with the requested episodes; what was recorded before
 * the kill is unchanged. A pulled line (the emulator killed) ends a run `interrupted`, and it resumes.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const bin = path.join(repoRoot, 'electron', 'bin', 'workbench.js');

interface DeviceEpisodeRow {
  seed: number;
  episode: number;
  g_before: number;
  alpha: number;
  pulses: number;
  started_at: string;
}

const episodesOf = (dataDir: string): DeviceEpisodeRow[] => {
  // The run creates its database when it starts; until then there is nothing on record.
  if (!existsSync(path.join(dataDir, 'workbench.sqlite'))) return [];
  const db = new Database(path.join(dataDir, 'workbench.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT seed, episode, g_before, alpha, pulses, started_at FROM rl_device_episodes ORDER BY seed, episode').all() as DeviceEpisodeRow[];
  } catch {
    return [];
  } finally {
    db.close();
  }
};

const ARGS = ['rl', '--strategy', 'device-intrinsic-gradient', '--episodes', '24', '--episode-device-time', '0.2', '--driver', 'keithley2400', '--json'];

describe('workbench rl on the virtual 2400', () => {
  it('killed with SIGKILL mid-run, --resume completes it with every episode, the earlier ones unchanged', { timeout: 180_000 }, async () => {
    const emu = await emulatorProcess(['--driver', 'keithley2400', '--link', path.join(tempDir(), 'ttyV2400')]);
    const dataDir = tempDir();
    const child = spawn(process.execPath, [bin, ...ARGS, '--device', `serial:${emu.info.path}`, '--data-dir', dataDir], { cwd: repoRoot, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Wait until some episodes are on record, then kill it without warning.
    const deadline = Date.now() + 90_000;
    while (episodesOf(dataDir).length < 6) {
      if (Date.now() > deadline) throw new Error('the RL run recorded no episodes');
      await new Promise((r) => setTimeout(r, 200));
    }
    child.kill('SIGKILL');
    await exited;
    const before = episodesOf(dataDir);
    expect(before.length).toBeGreaterThanOrEqual(6);
    expect(before.length).toBeLessThan(24);

    const runs = JSON.parse((await runCliAsync(['rl-runs', '--json', '--data-dir', dataDir])).stdout) as { rlRuns: { id: string; status: string; episodesDone: number; episodes: number; device: string }[] };
    expect(runs.rlRuns).toHaveLength(1);
    // Its process is gone: the next workbench to open the folder marks it interrupted.
    expect(runs.rlRuns[0]).toMatchObject({ status: 'interrupted', episodesDone: before.length, episodes: 24, device: `serial:${emu.info.path}` });

    const resumed = await runCliAsync(['rl', '--resume', runs.rlRuns[0]!.id, '--json', '--data-dir', dataDir]);
    expect(resumed.stderr).toBe('');
    const doc = JSON.parse(resumed.stdout) as { rlRunId: string; status: string; episodes: number; alpha: number[]; g: number[] };
    expect(doc).toMatchObject({ rlRunId: runs.rlRuns[0]!.id, status: 'completed', episodes: 24 });
    expect(doc.alpha).toHaveLength(24);
    const after = episodesOf(dataDir);
    expect(after.map((e) => e.episode)).toEqual(Array.from({ length: 24 }, (_, k) => k));
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('a pulled line ends the run interrupted; a different instrument is refused on resume, the same one finishes it', { timeout: 180_000 }, async () => {
    const link = path.join(tempDir(), 'ttyV2400b');
    const first = await emulatorProcess(['--driver', 'keithley2400', '--link', link]);
    const dataDir = tempDir();
    const run = runCliAsync([...ARGS, '--device', `serial:${first.info.path}`, '--data-dir', dataDir]);
    const deadline = Date.now() + 90_000;
    while (episodesOf(dataDir).length < 4) {
      if (Date.now() > deadline) throw new Error('the RL run recorded no episodes');
      await new Promise((r) => setTimeout(r, 200));
    }
    first.child.kill('SIGKILL');
    const ended = await run;
    expect(ended.status).toBe(1);
    const doc = JSON.parse(ended.stdout) as { rlRunId: string; status: string };
    expect(doc.status).toBe('interrupted');
    const recorded = episodesOf(dataDir);

    // Another instrument on the line: refused, nothing written.
    const other = await emulatorProcess(['--driver', 'keithley2450', '--link', path.join(tempDir(), 'ttyV2450')]);
    const refused = await runCliAsync(['rl', '--resume', doc.rlRunId, '--device', `serial:${other.info.path}`, '--driver', 'keithley2450', '--data-dir', dataDir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/not the instrument the run started on/);
    expect(episodesOf(dataDir)).toEqual(recorded);

    // The same model back on a line (a fresh virtual 2400 answers the same *IDN?): it finishes.
    const again = await emulatorProcess(['--driver', 'keithley2400', '--link', path.join(tempDir(), 'ttyV2400c')]);
    const finished = await runCliAsync(['rl', '--resume', doc.rlRunId, '--device', `serial:${again.info.path}`, '--json', '--data-dir', dataDir]);
    expect(JSON.parse(finished.stdout)).toMatchObject({ status: 'completed', episodes: 24 });
  });
});
