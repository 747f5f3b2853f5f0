import type { Device, DeviceReading, DeviceSnapshot, PulseOptions, PulseResult } from '../../../shared/device/device';
import { wallClock, type DeviceClock } from './clock';
import { InstrumentError } from './errors';
import type { Instrument } from './instrument';

export interface InstrumentDeviceOptions {
  /** The wall clock by default; the emulator's clock when it runs in simulated time. */
  clock?: DeviceClock;
  /** Extra provenance (e.g. the identity the user remembers the device by). */
  notes?: Record<string, unknown>;
}

/**
 * The physical device behind an instrument, as the run engine sees it: the `Device` interface.
 * The instrument already switches the output off after every operation and on every failure;
 * this adds device time, waiting at 0 V, and closing.
 */
export class InstrumentDevice implements Device {
  readonly kind = 'instrument';
  private readonly clock: DeviceClock;
  private readonly origin: number;
  private closed = false;

  constructor(
    readonly instrument: Instrument,
    private readonly options: InstrumentDeviceOptions = {},
  ) {
    this.clock = options.clock ?? wallClock;
    this.origin = this.clock.now();
  }

  snapshot(): DeviceSnapshot {
    return { kind: 'instrument', ...this.instrument.snapshot(), ...(this.options.notes ?? {}) };
  }

  now(): number {
    return this.clock.now() - this.origin;
  }

  async pulse(amplitude: number, width: number, options?: PulseOptions): Promise<PulseResult> {
    this.assertOpen();
    return this.instrument.pulse(amplitude, width, options);
  }

  async read(voltage: number): Promise<DeviceReading> {
    this.assertOpen();
    return this.instrument.read(voltage);
  }

  async wait(seconds: number): Promise<void> {
    this.assertOpen();
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new RangeError(`wait needs a finite number of seconds ≥ 0 (got ${seconds})`);
    // The output is already off (every operation leaves it so); waiting is only time passing.
    await this.clock.sleep(seconds);
  }

  async outputOff(): Promise<void> {
    await this.instrument.outputOff('requested');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.instrument.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new InstrumentError('closed', `the device on ${this.instrument.port} was closed`);
  }
}

export function instrumentDevice(instrument: Instrument, options: InstrumentDeviceOptions = {}): InstrumentDevice {
  return new InstrumentDevice(instrument, options);
}
