/**
 * Instrument benchmarks.
 *
 * instruments.pulse — pulse + read cycles per second through the whole driver stack (the
 *   instrument-backed Device → Keithley 2400 driver → serial transport) over a real pty to the
 *   emulator, against a bare serialport loop that exchanges exactly the same lines with the same
 *   emulator (writes, then waits for each query's reply; no parsing, no checks, no log).
 *   Target: ratio ≥ 0.8. The emulator runs in simulated time so pulses cost no wall time: what is
 *   measured is the per-operation overhead of the stack, the pty and the emulator itself.
 *
 * Rounds alternate (bare, driver, bare, driver, …) and the median of each is reported, so drift on
 * a shared machine affects both sides alike. Sizes scale with ctx.scale.
 */
import { ReadlineParser, SerialPort } from 'serialport';
import { connectInstrument } from '../services/instruments/connect';
import { startEmulator, type Emulator } from '../services/instruments/emulator/index';
import { instrumentDevice } from '../services/instruments/instrument-device';
import type { BenchContext, BenchFigure, Benchmark } from './types';

const FULL_CYCLES = 2000;
const ROUNDS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Cycles/s through the driver stack; also returns the lines one steady-state cycle sends. */
async function driverRound(emu: Emulator, cycles: number): Promise<{ rate: number; cycleLines: string[] }> {
  const inst = await connectInstrument({ path: emu.path, driver: 'keithley2400' });
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

/** Cycles/s of a bare serialport loop sending `lines` per cycle and awaiting each query's reply. */
async function bareRound(emu: Emulator, lines: string[], cycles: number): Promise<number> {
  const port = await new Promise<SerialPort>((resolve, reject) => {
    const p = new SerialPort({ path: emu.path, baudRate: 9600, autoOpen: false });
    p.open((err) => (err ? reject(err) : resolve(p)));
  });
  try {
    const parser = port.pipe(new ReadlineParser({ delimiter: '\r' }));
    let waiting: ((line: string) => void) | null = null;
    parser.on('data', (line: string) => {
      const w = waiting;
      waiting = null;
      w?.(line);
    });
    const exchange = (line: string): Promise<void> | null => {
      if (!line.endsWith('?')) {
        port.write(`${line}\r`);
        return null;
      }
      const reply = new Promise<void>((resolve) => {
        waiting = () => resolve();
      });
      port.write(`${line}\r`);
      return reply;
    };
    const t0 = performance.now();
    for (let k = 0; k < cycles; k++) {
      for (const line of lines) {
        const reply = exchange(line);
        if (reply) await reply;
      }
    }
    return cycles / ((performance.now() - t0) / 1000);
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

export async function measurePulseOverhead(ctx: BenchContext): Promise<{ driver: number; bare: number; cycleLines: string[] }> {
  const cycles = Math.max(50, Math.round(FULL_CYCLES * ctx.scale));
  const emu = await startEmulator({ driver: 'keithley2400', time: 'simulated' });
  try {
    const first = await driverRound(emu, Math.min(cycles, 50));
    const lines = first.cycleLines;
    if (!lines.some((l) => l.endsWith('?'))) throw new Error(`a driver cycle sent no query: ${lines.join(' | ')}`);
    const driverRates: number[] = [];
    const bareRates: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareRates.push(await bareRound(emu, lines, cycles));
      driverRates.push((await driverRound(emu, cycles)).rate);
    }
    return { driver: median(driverRates), bare: median(bareRates), cycleLines: lines };
  } finally {
    await emu.stop();
  }
}

export const instrumentBenchmarks: Benchmark[] = [
  {
    id: 'instruments.pulse',
    title: 'Pulse + read cycles/s through the Keithley 2400 driver stack over a pty, vs a bare serialport loop exchanging the same lines',
    async run(ctx: BenchContext): Promise<BenchFigure[]> {
      const { driver, bare, cycleLines } = await measurePulseOverhead(ctx);
      const ratio = driver / bare;
      return [
        {
          id: 'instruments.pulse',
          title: `pulse + read cycles/s through the driver stack (${cycleLines.length} lines per cycle)`,
          value: driver,
          unit: 'cycles/s',
          baseline: { title: 'bare serialport write/read loop, same lines, same emulator', value: bare, unit: 'cycles/s' },
          ratio,
          target: { description: 'ratio ≥ 0.8 of the bare loop', met: ratio >= 0.8 },
        },
      ];
    },
  },
];
