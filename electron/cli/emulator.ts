import { DRIVER_NAMES, type DriverName } from '../services/instruments/instrument';
import { startEmulator } from '../services/instruments/emulator/index';
import { UsageError } from './args';
import { defineCommand } from './command';

export const emulatorCommand = defineCommand({
  name: 'emulator',
  synopsis: 'emulator --driver NAME [--link PATH | --listen HOST:PORT] [--prologix [--gpib-address N]] [--device PRESET] [--seed N]',
  summary: 'Start a virtual instrument on a pseudo-terminal or a loopback TCP port, with a simulated memristor behind it.',
  flags: {
    driver: { type: 'string', choices: DRIVER_NAMES, description: 'which instrument to be (required)' },
    link: { type: 'string', description: 'also make a symlink here pointing at the port clients open', placeholder: 'PATH' },
    listen: { type: 'string', description: 'answer on this TCP address instead of a pseudo-terminal (127.0.0.1:0 picks a free port)', placeholder: 'HOST:PORT' },
    prologix: { type: 'boolean', description: 'behind an emulated Prologix GPIB controller (GPIB-USB on a pseudo-terminal, GPIB-Ethernet with --listen)' },
    'gpib-address': { type: 'number', description: 'the instrument’s GPIB address behind --prologix (default 24)', placeholder: 'N' },
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
    json: { type: 'boolean', description: 'print {"path", "resource", "pty", "listen", "driver", "socatPid", "idn"} as one JSON line once ready' },
  },
  async run(flags) {
    if (!flags.driver) throw new UsageError(`--driver is required (${DRIVER_NAMES.join(', ')})`);
    if (flags.listen !== undefined && flags.link !== undefined) throw new UsageError('--link names a pseudo-terminal; it cannot be combined with --listen');
    if (flags['gpib-address'] !== undefined && !flags.prologix) throw new UsageError('--gpib-address applies behind --prologix');
    const listen = flags.listen === undefined ? undefined : parseListen(flags.listen);
    const address = flags['gpib-address'] ?? 24;
    if (flags.prologix && !(Number.isInteger(address) && address >= 1 && address <= 30)) throw new UsageError(`--gpib-address must be a whole number from 1 to 30, got ${address}`);
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
      ...(listen ? { listen } : {}),
      ...(flags.prologix ? { prologix: { address } } : {}),
    });
    const info = {
      path: emulator.path,
      resource: emulator.resource,
      pty: emulator.ptys?.[1] ?? null,
      listen: emulator.tcp ? `${emulator.tcp.host}:${emulator.tcp.port}` : null,
      driver: emulator.driver,
      socatPid: emulator.socatPid,
      idn: emulator.idn,
    };
    if (flags.json) process.stdout.write(`${JSON.stringify(info)}\n`);
    else {
      if (info.listen) process.stdout.write(`listening on ${info.listen}\n`);
      const where = flags.prologix ? `GPIB address ${address} behind an emulated Prologix ${info.listen ? 'GPIB-Ethernet' : 'GPIB-USB'} controller` : info.listen ? 'a raw SCPI socket' : 'a pseudo-terminal';
      process.stdout.write(`Virtual ${emulator.driver} is answering on ${where}; connect to:\n\n  ${emulator.resource}\n\n`);
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

/** HOST:PORT on which to listen; only loopback and numeric addresses, the port 0–65535 (0: any free one). */
function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[0-9.]+|localhost):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UsageError(`--listen needs HOST:PORT such as 127.0.0.1:0 (got ${JSON.stringify(text)})`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
