import type { DevicePreset } from '../../../../shared/device';
import { formatResource, type Resource } from '../../../../shared/instruments/resource';
import { createRng, type Seed } from '../../../../shared/random';
import type { DeviceClock } from '../clock';
import { errorMessage } from '../errors';
import { DRIVER_NAMES, isDriverName, type DriverName } from '../instrument';
import { LineSplitter } from '../line-splitter';
import { DeviceUnderTest, type EmulatedModel, type Measurement, type TimeMode } from './dut';
import { ptyEndpoint, tcpEndpoint, type Endpoint } from './endpoint';
import { checkFaults, garbleLine, type Faults } from './faults';
import { Keithley2400Personality } from './keithley2400';
import { Keithley2450Personality } from './keithley2450';
import { Keithley2600Personality } from './keithley2600';
import { KeysightB2900Personality } from './keysight-b2900';
import { modelFromPreset } from './model-source';
import type { LineSplitting, Personality } from './personality';
import { PrologixController } from './prologix';
import { PulseBoardPersonality } from './pulse-board';

/**
 * The virtual instrument: a Keithley 2400, 2450 or 2600B, a Keysight B2900 or a pulse board with
 * a simulated memristor behind it, answering on one end of a pseudo-terminal pair (socat) or on
 * a loopback TCP port, directly or behind an emulated Prologix GPIB controller. Clients open it
 * exactly as they would open the real instrument. A library first (tests and the Instruments page
 * start and stop it in-process); `workbench emulator` is a thin wrapper.
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
  /** Also make a symlink here pointing at the client end (pseudo-terminal only). */
  link?: string;
  /** Listen on this loopback TCP address instead of a pseudo-terminal ('127.0.0.1:0': any free port). */
  listen?: { host: string; port: number };
  /** Behind an emulated Prologix GPIB controller, the instrument at this GPIB address. */
  prologix?: { address: number };
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
  /** What clients open at the system's level: the pty path, or 'host:port'. */
  readonly path: string;
  /** The resource string a client connects to (the pty path, TCPIP::…::SOCKET, GPIB::24@…). */
  readonly resource: string;
  /** The pseudo-terminals (instrument end, client end), or null on TCP. */
  readonly ptys: readonly [string, string] | null;
  /** socat's process id, or null on TCP. */
  readonly socatPid: number | null;
  /** The loopback address it listens on, or null on a pseudo-terminal. */
  readonly tcp: { host: string; port: number } | null;
  /** The emulated Prologix controller in front of the instrument, if any. */
  readonly prologix: PrologixController | null;
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
  if (!isDriverName(options.driver)) throw new Error(`unknown driver '${String(options.driver)}' (known: ${DRIVER_NAMES.join(', ')})`);
  const seed = options.seed ?? 1;
  const faults: Faults = { garble: options.garble ?? 0, delayMs: options.delayMs ?? 0, dropAfter: options.dropAfter ?? null };
  checkFaults(faults);
  if (options.prologix && !(Number.isInteger(options.prologix.address) && options.prologix.address >= 1 && options.prologix.address <= 30)) {
    throw new RangeError(`the GPIB address must be a whole number from 1 to 30 (got ${options.prologix.address})`);
  }
  if (options.listen && options.link) throw new Error('--link makes a pseudo-terminal link; it cannot be combined with --listen');
  const model = options.model ?? modelFromPreset(options.preset, seed, options.noise ?? true);
  const dut = new DeviceUnderTest(model, options.time ?? 'wall', options.wallClockMs);
  const instrument = createPersonality(options.driver, dut, options.idn);
  const front: Personality & LineSplitting = options.prologix ? new PrologixController(instrument, options.prologix.address) : instrument;
  const endpoint = options.listen ? await tcpEndpoint(options.listen.host, options.listen.port) : await ptyEndpoint(options.link);
  return new RunningEmulator(options.driver, endpoint, front, dut, faults, seed, options.prologix?.address ?? null);
}

function createPersonality(driver: DriverName, dut: DeviceUnderTest, idn: string | undefined): Personality {
  switch (driver) {
    case 'keithley2400':
      return new Keithley2400Personality(dut, idn);
    case 'keithley2450':
      return new Keithley2450Personality(dut, idn);
    case 'keithley2600':
      return new Keithley2600Personality(dut, idn);
    case 'keysight-b2900':
      return new KeysightB2900Personality(dut, idn);
    case 'pulse-board':
      return new PulseBoardPersonality(dut, idn);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class RunningEmulator implements Emulator {
  readonly exchanges: Exchange[] = [];
  readonly clock: DeviceClock;
  readonly stopped: Promise<void>;
  readonly prologix: PrologixController | null;
  commandCount = 0;
  private queue: Promise<void> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private readonly faultRng;
  private readonly onExit = () => {
    // Last resort when the process exits without stop(): socat must not outlive us.
    if (this.endpoint.pty === null) return;
    try {
      process.kill(this.endpoint.pty.socatPid, 'SIGKILL');
    } catch {
      // already gone
    }
  };

  constructor(
    readonly driver: DriverName,
    private readonly endpoint: Endpoint,
    private readonly personality: Personality & LineSplitting,
    readonly dut: DeviceUnderTest,
    readonly faults: Faults,
    seed: Seed,
    private readonly gpibAddress: number | null,
  ) {
    this.clock = dut.clock();
    this.faultRng = createRng(seed).fork('emulator-faults');
    this.prologix = personality instanceof PrologixController ? personality : null;
    const onLine = (line: string) => {
      this.queue = this.queue.then(() => this.process(line)).catch(() => undefined);
    };
    const splitter = personality.splitLines ? personality.splitLines(onLine) : new LineSplitter(onLine);
    endpoint.onData((chunk) => splitter.push(chunk));
    process.once('exit', this.onExit);
    this.stopped = endpoint.gone.then(() => this.stop());
  }

  get path(): string {
    return this.endpoint.address;
  }
  get resource(): string {
    const { endpoint } = this;
    const direct: Resource = endpoint.tcp ? { kind: 'tcp', host: endpoint.tcp.host, port: endpoint.tcp.port } : { kind: 'serial', path: endpoint.address };
    if (this.gpibAddress === null) return formatResource(direct);
    const controller = direct.kind === 'tcp' ? { kind: 'tcp' as const, host: direct.host, port: direct.port } : { kind: 'serial' as const, path: endpoint.address };
    return formatResource({ kind: 'gpib', address: this.gpibAddress, controller });
  }
  get ptys(): readonly [string, string] | null {
    return this.endpoint.pty?.ptys ?? null;
  }
  get socatPid(): number | null {
    return this.endpoint.pty?.socatPid ?? null;
  }
  get tcp(): { host: string; port: number } | null {
    return this.endpoint.tcp;
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
      await this.endpoint.stop();
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
      if (this.stopping || !this.endpoint.connected) return;
      this.endpoint.write(sent + this.personality.replyTerminator);
      this.record({ t, command: line, reply, sent });
    }
  }

  private record(e: Exchange): void {
    if (this.exchanges.length >= MAX_EXCHANGES) this.exchanges.splice(0, MAX_EXCHANGES / 10);
    this.exchanges.push(e);
  }
}
