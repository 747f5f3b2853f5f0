/**
 * Instrument benchmarks: pulse + read cycles per second through the whole driver stack (the
 * instrument-backed Device → driver → line transport → link) to the emulator, against a bare loop
 * that exchanges exactly the same lines with the same emulator (writes, then waits for each
 * query's reply; no parsing, no checks, no log). Target: ratio ≥ 0.8 of the bare loop.
 *
 * instruments.pulse      the Keithley 2400 driver over a real pty, against a bare serialport loop.
 * instruments.pulse.tcp  the Keithley 2450 driver over a loopback TCP socket, against a bare
 *                        net.Socket loop.
 *
 * The emulator runs in simulated time so pulses cost no wall time: what is measured is the
 * per-operation overhead of the stack, the link and the emulator itself. Rounds alternate (bare,
 * driver, bare, driver, …) and the median of each is reported, so drift on a shared machine
 * affects both sides alike. Sizes scale with ctx.scale.
 */
import net from 'node:net';
import { ReadlineParser, SerialPort } from 'serialport';
import { connectInstrument } from '../services/instruments/connect';
import { startEmulator, type Emulator, type EmulatorOptions } from '../services/instruments/emulator/index';
import type { DriverName } from '../services/instruments/instrument';
import { instrumentDevice } from '../services/instruments/instrument-device';
import type { BenchContext, BenchFigure, Benchmark } from './types';
import { median } from './stats';

const FULL_CYCLES = 2000;
const ROUNDS = 3;


/** One link as the bare loop uses it: lines out, and a promise for the next reply line. */
interface BareLink {
  send(line: string): void;
  reply(): Promise<void>;
  close(): Promise<void>;
}

export interface PulseBenchSetup {
  driver: DriverName;
  emulator: Partial<EmulatorOptions>;
  /** Where the driver connects. */
  resource(emu: Emulator): string;
  bare(emu: Emulator): Promise<BareLink>;
}

export const PTY_SETUP: PulseBenchSetup = {
  driver: 'keithley2400',
  emulator: {},
  resource: (emu) => emu.path,
  async bare(emu) {
    const port = await new Promise<SerialPort>((resolve, reject) => {
      const p = new SerialPort({ path: emu.path, baudRate: 9600, autoOpen: false });
      p.open((err) => (err ? reject(err) : resolve(p)));
    });
    const parser = port.pipe(new ReadlineParser({ delimiter: '\r' }));
    return lineLink(
      (text) => port.write(`${text}\r`),
      (onLine) => parser.on('data', onLine),
      () => new Promise<void>((resolve) => port.close(() => resolve())),
    );
  },
};

export const TCP_SETUP: PulseBenchSetup = {
  driver: 'keithley2450',
  emulator: { listen: { host: '127.0.0.1', port: 0 } },
  resource: (emu) => emu.resource,
  async bare(emu) {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: emu.tcp!.host, port: emu.tcp!.port });
      s.once('connect', () => resolve(s));
      s.once('error', reject);
    });
    socket.setNoDelay(true);
    let buffer = '';
    return lineLink(
      (text) => socket.write(`${text}\n`),
      (onLine) =>
        socket.on('data', (d: Buffer) => {
          buffer += d.toString('latin1');
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            onLine(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          }
        }),
      () =>
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.end();
        }),
    );
  },
};

function lineLink(write: (text: string) => void, onLines: (listener: (line: string) => void) => void, close: () => Promise<void>): BareLink {
  let waiting: (() => void) | null = null;
  onLines(() => {
    const w = waiting;
    waiting = null;
    w?.();
  });
  return {
    send: write,
    reply: () => new Promise<void>((resolve) => (waiting = resolve)),
    close,
  };
}

/** Cycles/s through the driver stack; also returns the lines one steady-state cycle sends. */
async function driverRound(setup: PulseBenchSetup, emu: Emulator, cycles: number): Promise<{ rate: number; cycleLines: string[] }> {
  const inst = await connectInstrument({ path: setup.resource(emu), driver: setup.driver });
  try {
    const device = instrumentDevice(inst, { clock: emu.clock });
    // Warm up: the first cycle sends the settings the driver then remembers.
    for (let k = 0; k < 3; k++) {
      await device.pulse(2, 0.01);
      await device.read(0.1);
    }
    const mark = inst.log.entries().length;
    await device.pulse(2, 0.01);
    await device.read(0.1);
    const cycleLines = inst.log
      .entries()
      .slice(mark)
      .filter((e) => e.dir === 'out')
      .map((e) => e.text);
    const t0 = performance.now();
    for (let k = 0; k < cycles; k++) {
      await device.pulse(2, 0.01);
      await device.read(0.1);
    }
    const seconds = (performance.now() - t0) / 1000;
    return { rate: cycles / seconds, cycleLines };
  } finally {
    await inst.close();
  }
}

/** Cycles/s of a bare loop sending `lines` per cycle and awaiting each query's reply. */
async function bareRound(setup: PulseBenchSetup, emu: Emulator, lines: string[], cycles: number): Promise<number> {
  const link = await setup.bare(emu);
  try {
    const t0 = performance.now();
    for (let k = 0; k < cycles; k++) {
      for (const line of lines) {
        if (!line.includes('?')) {
          link.send(line);
          continue;
        }
        const reply = link.reply();
        link.send(line);
        await reply;
      }
    }
    return cycles / ((performance.now() - t0) / 1000);
  } finally {
    await link.close();
  }
}

export async function measurePulseOverhead(ctx: BenchContext, setup: PulseBenchSetup = PTY_SETUP): Promise<{ driver: number; bare: number; cycleLines: string[] }> {
  const cycles = Math.max(50, Math.round(FULL_CYCLES * ctx.scale));
  const emu = await startEmulator({ driver: setup.driver, time: 'simulated', ...setup.emulator });
  try {
    const first = await driverRound(setup, emu, Math.min(cycles, 50));
    const lines = first.cycleLines;
    if (!lines.some((l) => l.includes('?'))) throw new Error(`a driver cycle sent no query: ${lines.join(' | ')}`);
    const driverRates: number[] = [];
    const bareRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareRates.push(await bareRound(setup, emu, lines, cycles));
      driverRates.push((await driverRound(setup, emu, cycles)).rate);
    }
    return { driver: median(driverRates), bare: median(bareRates), cycleLines: lines };
  } finally {
    await emu.stop();
  }
}

function pulseBenchmark(id: string, title: string, baselineTitle: string, setup: PulseBenchSetup): Benchmark {
  return {
    id,
    title,
    async run(ctx: BenchContext): Promise<BenchFigure[]> {
      const { driver, bare, cycleLines } = await measurePulseOverhead(ctx, setup);
      const ratio = driver / bare;
      return [
        {
          id,
          title: `pulse + read cycles/s through the driver stack (${cycleLines.length} lines per cycle)`,
          value: driver,
          unit: 'cycles/s',
          baseline: { title: baselineTitle, value: bare, unit: 'cycles/s' },
          ratio,
          target: { description: 'ratio ≥ 0.8 of the bare loop', met: ratio >= 0.8 },
        },
      ];
    },
  };
}

export const instrumentBenchmarks: Benchmark[] = [
  pulseBenchmark(
    'instruments.pulse',
    'Pulse + read cycles/s through the Keithley 2400 driver stack over a pty, vs a bare serialport loop exchanging the same lines',
    'bare serialport write/read loop, same lines, same emulator',
    PTY_SETUP,
  ),
  pulseBenchmark(
    'instruments.pulse.tcp',
    'Pulse + read cycles/s through the Keithley 2450 driver stack over a loopback TCP socket, vs a bare socket loop exchanging the same lines',
    'bare net.Socket write/read loop, same lines, same emulator',
    TCP_SETUP,
  ),
];
