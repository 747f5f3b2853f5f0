import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../fixtures/temp-dirs';
import { runCliAsync } from '../instruments-manager/run-cli';
import { emulatorProcess } from '../instruments-cli/helpers';

/**
 * Measured-trace mode (#12 item 5): a depression and relaxation stored once — here simulated on the
 * intrinsic-gradient model, then measured on the virtual 2400 — replayed as the device of an RL run.
 * Fed a simulated run's trace at the strategy's own pulse and pace, it gives the training iterations
 * the simulated device gives, within the seed-to-seed noise.
 */
const tempDir = tempDirs('wb-trace-');

/** The shipped device strategy's pulse (1.58 V, 10 ms) every `period` s with a read after each, then reads of the relaxation. */
function traceProtocol(dir: string, count: number, period: number, relaxEvery: number, relaxReads: number): string {
  const file = path.join(dir, `trace-${count}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      format: 'memristor-workbench/protocol',
      version: 1,
      name: `Depression and relaxation for RL (${count} pulses)`,
      blocks: [
        { kind: 'read', label: 'baseline' },
        { kind: 'train', count, amplitude: '1.58 V', width: '10 ms', period: `${period} s`, read: true },
        { kind: 'read', label: 'relaxation', count: relaxReads, interval: `${relaxEvery} s` },
      ],
    }),
  );
  return file;
}

interface RlDoc {
  rlRunId: string;
  status: string;
  episodes: number;
  trainingIterations: number;
  alpha: number[];
}

describe('workbench rl --device trace:RUN_ID', () => {
  it('replays a simulated run and gives the simulated device’s training iterations within the noise', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    // The strategy's pace: 7.86 s of device time per episode, so the train's period is the same.
    const run = await runCliAsync(['run', '--protocol', traceProtocol(dir, 150, 7.86, 10, 90), '--device', 'sim:intrinsic-gradient', '--seed', '1', '--json', '--data-dir', data]);
    expect(run.status).toBe(0);
    const traceRun = (JSON.parse(run.stdout) as { runId: string }).runId;
    const common = ['rl', '--strategy', 'device-intrinsic-gradient', '--environment', 'dynamic', '--seeds', '12', '--json', '--data-dir', data];
    const replay = JSON.parse((await runCliAsync([...common, '--device', `trace:${traceRun}`], 200_000)).stdout) as RlDoc;
    const model = JSON.parse((await runCliAsync([...common, '--device', 'sim:intrinsic-gradient'], 200_000)).stdout) as RlDoc;
    expect(replay.status).toBe('completed');
    expect(model.status).toBe('completed');
    expect(replay.episodes).toBe(12 * 1200);
    // Mean first-K training iterations over 12 seeds: the two devices within 10 % (seed-to-seed spread is ~10 % of the mean here).
    expect(Math.abs(replay.trainingIterations - model.trainingIterations) / model.trainingIterations).toBeLessThan(0.1);
    // The run records which stored run it replayed.
    const runs = await runCliAsync(['rl-runs', '--json', '--data-dir', data]);
    expect(runs.stdout).toContain(`trace:${traceRun}`);
  });

  it('takes a trace measured on the virtual 2400, and refuses a run with too few reads, with nothing written', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const emu = await emulatorProcess(['--driver', 'keithley2400', '--link', path.join(dir, 'ttyV')]);
    const measured = await runCliAsync(['run', '--protocol', traceProtocol(dir, 20, 0.1, 0.2, 8), '--device', `serial:${emu.info.path}`, '--driver', 'keithley2400', '--json', '--data-dir', data], 120_000);
    expect(measured.status).toBe(0);
    const traceRun = (JSON.parse(measured.stdout) as { runId: string }).runId;
    const rl = JSON.parse((await runCliAsync(['rl', '--strategy', 'device-intrinsic-gradient', '--device', `trace:${traceRun}`, '--episodes', '40', '--episode-device-time', '0.1', '--json', '--data-dir', data])).stdout) as RlDoc;
    expect(rl).toMatchObject({ status: 'completed', episodes: 40 });
    expect(Math.min(...rl.alpha)).toBeLessThan(Math.max(...rl.alpha));

    // Too few reads: a train with no relaxation after it.
    const short = await runCliAsync(['run', '--protocol', traceProtocol(dir, 5, 0.5, 1, 1), '--device', 'sim:intrinsic-gradient', '--json', '--data-dir', data]);
    const shortRun = (JSON.parse(short.stdout) as { runId: string }).runId;
    const before = (await runCliAsync(['rl-runs', '--json', '--data-dir', data])).stdout;
    const refused = await runCliAsync(['rl', '--strategy', 'device-intrinsic-gradient', '--device', `trace:${shortRun}`, '--data-dir', data]);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/cannot serve as a measured trace: the trace has 1 read after its train; the replay needs at least 3/);
    expect((await runCliAsync(['rl-runs', '--json', '--data-dir', data])).stdout).toBe(before);
  });
});
