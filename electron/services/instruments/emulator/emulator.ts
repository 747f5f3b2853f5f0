import { SerialPort } from 'serialport';
import type { DevicePreset } from '../../../../shared/device';
import { createRng, type Seed } from '../../../../shared/random';
import type { DeviceClock } from '../clock';
import { errorMessage } from '../errors';
import { isDriverName, type DriverName } from '../instrument';
import { LineSplitter } from '../line-splitter';
import { DeviceUnderTest, type EmulatedModel, type Measurement, type TimeMode } from './dut';
import { checkFaults, garbleLine, type Faults } from './faults';
import { Keithley2400Personality } from './keithley2400';
import { Keithley2600Personality } from './keithley2600';
import { modelFromPreset } from './model-source';
import type { Personality } from './personality';
import { createPtyPair, type PtyPair } from './pty-pair';
import { PulseBoardPersonality } from './pulse-board';

/**
 * The virtual instrument: a pseudo-terminal pair (socat), one end answered here as a Keithley
 * 2400, a Keithley 2600B or a pulse board, with a simulated memristor behind it. Clients open the
 * other end exactly as they would open a real instrument's port. A library first (tests and the
 * Instruments page start and stop it in-process); `workbench emulator` is a thin wrapper.
 */
export interface EmulatorOptions {
  driver: DriverName;
  /** The device behind the line; default createDevice(preset, {seed, noise}). */
  model?: EmulatedModel;
  /** Built-in preset name or preset JSON file (default intrinsic-gradient), or a preset object. */
  preset?: DevicePreset | string;
  /** Seed of the device and of the fault switches (default 1). */
  seed?: Seed;
  /** false: no cycle-to-cycle, device-to-device or read noise. Default true. */
  noise?: boolean;
  /** See DeviceUnderTest: 'wall' (default) or 'simulated'. */
  time?: TimeMode;
  /** Wall mode's clock in milliseconds (performance.now by default; tests move time by hand). */
  wallClockMs?: () => number;
  /** Also make a symlink here pointing at the client end. */
  link?: string;
  garble?: number;
  delayMs?: number;
  dropAfter?: number | null;
  /** Identification reply override (e.g. to emulate another model). */
  idn?: string;
}

export interface Exchange {
  /** Device time (s). */
  t: number;
  command: string;
  /** What the instrument meant to reply. */
  reply: string | null;
  /** What it actually sent (differs when garbled; null when dropped or silent). */
  sent: string | null;
}

export interface Emulator {
  readonly driver: DriverName;
  /** The path clients open. */
  readonly path: string;
  readonly ptys: readonly [string, string];
  /** socat's process id. */
  readonly socatPid: number;
  readonly idn: string;
  readonly model: EmulatedModel;
  readonly dut: DeviceUnderTest;
  /** The clock a client's Device should use (simulated mode: waits advance the model instantly). */
  readonly clock: DeviceClock;
  /** Changeable while running. */
  readonly faults: Faults;
  /** Commands received and replies, most recent last (bounded). */
  readonly exchanges: readonly Exchange[];
  /** Every source–measure cycle: the ground truth. */
  readonly measurements: readonly Measurement[];
  readonly commandCount: number;
  output(): { on: boolean; level: number };
  /** Resolves when the emulator has stopped (stop() or socat gone). */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

const MAX_EXCHANGES = 10_000;

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  if (!isDriverName(options.driver)) throw new Error(`unknown driver '${String(options.driver)}' (known: keithley2400, keithley2600, pulse-board)`);
  const seed = options.seed ?? 1;
  const faults: Faults = { garble: options.garble ?? 0, delayMs: options.delayMs ?? 0, dropAfter: options.dropAfter ?? null };
  checkFaults(faults);
  const model = options.model ?? modelFromPreset(options.preset, seed, options.noise ?? true);
  const dut = new DeviceUnderTest(model, options.time ?? 'wall', options.wallClockMs);
  const personality = createPersonality(options.driver, dut, options.idn);
  const pair = await createPtyPair(options.link ? { link: options.link } : {});
  let port: SerialPort;
  try {
    port = await openPort(pair.instrumentEnd);
  } catch (e) {
    await pair.close();
    throw e;
  }
  return new RunningEmulator(options, pair, port, personality, dut, faults, seed);
}

function createPersonality(driver: DriverName, dut: DeviceUnderTest, idn: string | undefined): Personality {
  switch (driver) {
    case 'keithley2400':
      return new Keithley2400Personality(dut, idn);
    case 'keithley2600':
      return new Keithley2600Personality(dut, idn);
    case 'pulse-board':
      return new PulseBoardPersonality(dut, idn);
  }
}

function openPort(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
    port.open((err) => (err ? reject(new Error(`the emulator could not open its end ${path}: ${err.message}`)) : resolve(port)));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class RunningEmulator implements Emulator {
  readonly driver: DriverName;
  readonly exchanges: Exchange[] = [];
  readonly clock: DeviceClock;
  readonly stopped: Promise<void>;
  commandCount = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private readonly faultRng;
  private readonly onExit = () => {
    // Last resort when the process exits without stop(): socat must not outlive us.
    try {
      process.kill(this.pair.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };

  constructor(
    options: EmulatorOptions,
    private readonly pair: PtyPair,
    private readonly port: SerialPort,
    private readonly personality: Personality,
    readonly dut: DeviceUnderTest,
    readonly faults: Faults,
    seed: Seed,
  ) {
    this.driver = options.driver;
    this.clock = dut.clock();
    this.faultRng = createRng(seed).fork('emulator-faults');
    const splitter = new LineSplitter((line) => {
      this.queue = this.queue.then(() => this.process(line)).catch(() => undefined);
    });
    port.on('data', (chunk: Buffer) => splitter.push(chunk));
    // If socat dies (killed, crashed) the emulator is gone too.
    port.on('close', () => void this.stop());
    port.on('error', () => undefined);
    process.once('exit', this.onExit);
    this.stopped = new Promise<void>((resolve) => {
      void pair.exited.then(() => this.stop().then(resolve));
    });
  }

  get path(): string {
    return this.pair.clientEnd;
  }
  get ptys(): readonly [string, string] {
    return this.pair.ptys;
  }
  get socatPid(): number {
    return this.pair.pid;
  }
  get idn(): string {
    return this.personality.idn;
  }
  get model(): EmulatedModel {
    return this.dut.model;
  }
  get measurements(): readonly Measurement[] {
    return this.dut.measurements;
  }

  output(): { on: boolean; level: number } {
    return this.personality.output();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      process.off('exit', this.onExit);
      if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
      await this.pair.close();
    })();
    return this.stopping;
  }

  private async process(line: string): Promise<void> {
    if (this.stopping || line.trim() === '') return;
    this.commandCount++;
    const t = this.dut.now();
    if (this.faults.dropAfter !== null && this.commandCount > this.faults.dropAfter) {
      this.record({ t, command: line, reply: null, sent: null });
      return;
    }
    this.dut.sync();
    let replies: string[];
    try {
      replies = this.personality.handle(line);
    } catch (e) {
      // A bug in a personality must not kill the emulator; it shows in the exchange log.
      replies = [];
      this.record({ t, command: line, reply: `internal error: ${errorMessage(e)}`, sent: null });
      return;
    }
    const busy = this.dut.takeBusy();
    if (busy > 0) await sleep(busy * 1000);
    if (replies.length === 0) this.record({ t, command: line, reply: null, sent: null });
    for (const reply of replies) {
      const sent = this.faults.garble > 0 && this.faultRng.next() < this.faults.garble ? garbleLine(reply, this.faultRng) : reply;
      if (this.faults.delayMs > 0) await sleep(this.faults.delayMs);
      if (this.stopping || !this.port.isOpen) return;
      this.port.write(sent + this.personality.replyTerminator, 'latin1');
      this.record({ t, command: line, reply, sent });
    }
  }

  private record(e: Exchange): void {
    if (this.exchanges.length >= MAX_EXCHANGES) this.exchanges.splice(0, MAX_EXCHANGES / 10);
    this.exchanges.push(e);
  }
}
