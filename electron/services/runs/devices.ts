/**
 * What a run is to be executed on, and how the engine opens it. The engine only ever sees the
 * `Device` interface; this module turns a description (a simulated preset with a seed, or an
 * instrument on a port) into one.
 *
 * Instruments are opened by the openers each RunEngine is given, one per scheme (`serial`,
 * `virtual`, …): the composition root (electron/app) gives its engine the ones that go through
 * its own instrument manager. A scheme without an opener is refused with a clear "not available
 * yet" (DeviceUnavailableError), before anything is queued.
 */
import { randomInt } from 'node:crypto';
import type { Device } from '../../../shared/device/device';
import { createSimulatedDevice, type DevicePreset, type Pace } from '../../../shared/device';
import type { Program } from '../../../shared/protocol';
import { ServiceError } from '../errors';

export interface SimulatedDeviceSpec {
  kind: 'simulated';
  preset: DevicePreset;
  seed: number | string;
  noise: boolean;
}

export interface InstrumentDeviceSpec {
  kind: 'instrument';
  /** 'serial' for a port path, 'virtual' for the emulator… */
  scheme: string;
  /** The port path (or the emulator's name) after the scheme. */
  port: string;
  driver: string | null;
  settings: Record<string, unknown>;
}

export type RunDeviceSpec = SimulatedDeviceSpec | InstrumentDeviceSpec;

/** What a factory gets besides the spec. */
export interface DeviceOpenContext {
  pace: Pace;
  /** Seconds on a monotonic wall clock. */
  wallClock: () => number;
  /** A sleep the engine cuts short to pause, stop or abort. */
  sleep: (seconds: number) => Promise<void>;
  /** Aborted when the run is stopped or aborted before the device is open. */
  signal: AbortSignal;
  log: (line: string) => void;
  /** The run's program, for an instrument to refuse before anything is sent what it cannot make. */
  program?: Program;
}

export interface OpenedDevice {
  device: Device;
  /** The instrument's identification reply (`*IDN?`), recorded with the run. */
  instrumentIdn?: string | null;
}

export type InstrumentDeviceFactory = (spec: InstrumentDeviceSpec, ctx: DeviceOpenContext) => Promise<OpenedDevice>;

/** A device kind this build (or this host) cannot drive. */
export class DeviceUnavailableError extends ServiceError {
  override readonly name = 'DeviceUnavailableError';
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** How an engine opens instruments, by scheme ('serial' for a port path, 'virtual' for an emulator id). */
export type InstrumentOpeners = Readonly<Record<string, InstrumentDeviceFactory>>;

/** Opens the devices of one engine's runs: simulated ones itself, instruments through its openers. */
export class DeviceOpener {
  constructor(private readonly instruments: InstrumentOpeners = {}) {}

  /** True when runs on instruments of this scheme can be opened. */
  has(scheme: string): boolean {
    return Object.hasOwn(this.instruments, scheme);
  }

  /** Throws DeviceUnavailableError when the spec cannot be opened here. */
  check(spec: RunDeviceSpec): void {
    if (spec.kind === 'simulated' || this.has(spec.scheme)) return;
    throw new DeviceUnavailableError(
      `running on an instrument (${spec.scheme}:${spec.port}${spec.driver ? `, driver ${spec.driver}` : ''}) is not available yet: ` +
        `no instrument support is registered for '${spec.scheme}:' devices in this build. Use a simulated device (sim:PRESET).`,
    );
  }

  async open(spec: RunDeviceSpec, pace: Pace, ctx: DeviceOpenContext): Promise<OpenedDevice> {
    if (spec.kind === 'simulated') {
      const device = createSimulatedDevice(spec.preset, {
        seed: spec.seed,
        noise: spec.noise,
        pace,
        ...(pace === 'realtime' ? { wallClock: ctx.wallClock, sleep: ctx.sleep } : {}),
      });
      return { device };
    }
    this.check(spec);
    return (this.instruments[spec.scheme] as InstrumentDeviceFactory)(spec, ctx);
  }
}

/** A seed for a run that was given none: random, and recorded with the run so it can be repeated. */
export function randomSeed(): number {
  return randomInt(0, 2 ** 32);
}

/** The device's provenance before it is opened (replaced by the device's own snapshot once open). */
export function specSnapshot(spec: RunDeviceSpec, pace: Pace): Record<string, unknown> {
  if (spec.kind === 'simulated') {
    return {
      kind: 'simulated',
      model: spec.preset.model,
      preset: spec.preset.name,
      presetTitle: spec.preset.title,
      presetSource: spec.preset.source,
      params: { ...spec.preset.params },
      variation: { ...spec.preset.variation },
      seed: spec.seed,
      noise: spec.noise,
      pace,
      presetDocument: spec.preset,
    };
  }
  return { kind: 'instrument', scheme: spec.scheme, port: spec.port, driver: spec.driver, settings: spec.settings, pace: 'realtime' };
}

/** One line for people: 'simulated intrinsic-gradient (seed 7, noise on)'. */
export function describeDeviceSnapshot(device: unknown): string {
  if (device === null || typeof device !== 'object') return 'unknown device';
  const d = device as Record<string, unknown>;
  if (d.kind === 'simulated') {
    const preset = typeof d.preset === 'string' ? d.preset : String(d.model ?? '?');
    const noise = d.noise === false ? 'off' : 'on';
    return `simulated ${preset} (model ${String(d.model ?? '?')}, seed ${String(d.seed ?? '?')}, noise ${noise}, pace ${String(d.pace ?? 'fast')})`;
  }
  if (d.kind === 'instrument') {
    const parts = [d.driver, d.port].filter((x) => typeof x === 'string' && x !== '').join(' on ');
    return `instrument ${parts || '(unknown)'}`;
  }
  return String(d.kind ?? 'unknown device');
}

/**
 * Parses the CLI's --device: 'sim:PRESET' (a library name or a preset file) or 'SCHEME:PATH'
 * (an instrument; `driver` names its driver). Returns the preset reference for simulated devices.
 */
export function parseDeviceArg(text: string): { kind: 'simulated'; preset: string } | { kind: 'instrument'; scheme: string; port: string } {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new Error(`--device must be sim:PRESET or serial:PATH (got ${JSON.stringify(text)})`);
  }
  const scheme = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (scheme === 'sim' || scheme === 'simulated') return { kind: 'simulated', preset: rest };
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) throw new Error(`--device must be sim:PRESET or serial:PATH (got ${JSON.stringify(text)})`);
  return { kind: 'instrument', scheme, port: rest };
}
