import { DRIVER_NAMES, type DriverName } from '../services/instruments/instrument';
import { startEmulator } from '../services/instruments/emulator/index';
import { UsageError } from './args';
import { defineCommand } from './command';

export const emulatorCommand = defineCommand({
  name: 'emulator',
  synopsis: 'emulator --driver NAME [--link PATH] [--device PRESET] [--seed N]',
  summary: 'Start a virtual instrument on a pseudo-terminal, with a simulated memristor behind it.',
  flags: {
    driver: { type: 'string', choices: DRIVER_NAMES, description: 'which instrument to be (required)' },
    link: { type: 'string', description: 'also make a symlink here pointing at the port clients open', placeholder: 'PATH' },
    device: { type: 'string', description: 'device preset name or preset .json file (default intrinsic-gradient)', placeholder: 'PRESET' },
    seed: { type: 'string', description: 'seed of the device and the fault switches (default 1)', placeholder: 'N' },
    'no-noise': { type: 'boolean', description: 'no cycle-to-cycle, device-to-device or read noise' },
    time: {
      type: 'string',
      choices: ['wall', 'simulated'],
      description: "'wall' (default): the device relaxes in real time; 'simulated': time advances only by what commands take",
    },
    garble: { type: 'number', description: 'fraction of replies to corrupt, 0–1 (default 0)', placeholder: 'RATE' },
    delay: { type: 'number', description: 'delay every reply by this many milliseconds', placeholder: 'MS' },
    'drop-after': { type: 'number', description: 'stop answering after N commands', placeholder: 'N' },
    json: { type: 'boolean', description: 'print {"path", "pty", "driver", "socatPid"} as one JSON line once ready' },
  },
  async run(flags) {
    if (!flags.driver) throw new UsageError('--driver is required (keithley2400, keithley2600 or pulse-board)');
    if (flags.garble !== undefined && !(flags.garble >= 0 && flags.garble <= 1)) throw new UsageError(`--garble is a fraction of replies, from 0 to 1; got ${flags.garble}`);
    if (flags.delay !== undefined && !(flags.delay >= 0)) throw new UsageError(`--delay must be 0 or more milliseconds, got ${flags.delay}`);
    const dropAfter = flags['drop-after'];
    if (dropAfter !== undefined && !(Number.isInteger(dropAfter) && dropAfter >= 0)) throw new UsageError(`--drop-after must be a whole number of commands, got ${dropAfter}`);
    const seedText = flags.seed ?? '1';
    const seed = /^-?\d+(\.\d+)?$/.test(seedText) ? Number(seedText) : seedText;
    const emulator = await startEmulator({
      driver: flags.driver as DriverName,
      seed,
      noise: !flags['no-noise'],
      time: flags.time === 'simulated' ? 'simulated' : 'wall',
      garble: flags.garble ?? 0,
      delayMs: flags.delay ?? 0,
      dropAfter: flags['drop-after'] ?? null,
      ...(flags.device ? { preset: flags.device } : {}),
      ...(flags.link ? { link: flags.link } : {}),
    });
    const info = { path: emulator.path, pty: emulator.ptys[1], driver: emulator.driver, socatPid: emulator.socatPid };
    if (flags.json) process.stdout.write(`${JSON.stringify(info)}\n`);
    else {
      process.stdout.write(`Virtual ${emulator.driver} is answering on:\n\n  ${emulator.path}\n\n`);
      process.stdout.write(`Identity: ${emulator.idn}\nDevice: ${flags.device ?? 'intrinsic-gradient'}, seed ${seedText}, ${flags.time ?? 'wall'} time.\n`);
      process.stdout.write('Press Ctrl+C to stop.\n');
    }
    const signalled = await new Promise<boolean>((resolve) => {
      const stop = () => resolve(true);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      void emulator.stopped.then(() => resolve(false));
    });
    await emulator.stop();
    if (!signalled) {
      process.stderr.write('workbench emulator: socat exited; the virtual instrument is gone\n');
      return 1;
    }
    return 0;
  },
});
