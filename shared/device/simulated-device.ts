import type { Seed } from '../random';
import { createDevice } from './create';
import type { Device, DeviceReading, DeviceSnapshot, PulseOptions, PulseResult, ReadSeries, ReadSeriesOut, StepSeries, StepSeriesOut } from './device';
import { DeviceError } from './device-errors';
import type { DeviceModel } from './model';
import type { DevicePreset } from './preset';
import { measureStep } from './source-measure';

/**
 * A `Device` (the async interface the run engine drives) over a simulated DeviceModel.
 *
 * Pace 'fast': device time is simulated time only — a wait relaxes the model in closed form and
 * returns at once, so a 700 s protocol runs in milliseconds.
 *
 * Pace 'realtime': device time follows the wall clock, as an instrument's does. A pulse or a wait
 * also sleeps until the wall clock reaches the device time it ends at (measured from when the
 * device was opened, so timing errors do not accumulate), and before every operation the model
 * first relaxes for any wall time that passed unaccounted (a pause, a slow consumer): the device
 * sat at 0 V meanwhile, as a real one would. The wall clock and the sleep are injected, so shared/
 * stays free of timers; a sleep may end early (the engine interrupts it to stop or pause), and the
 * device then counts only the time that really passed.
 *
 * readSeries (fast pace only) takes a run of reads in one call: the same model calls, in the same
 * order, with the same arguments as the waits and reads one call at a time, so the readings are
 * bit for bit the same — without a promise, a wait call and an interpreter step per read.
 * stepSeries likewise takes the steps of an I–V sweep in one call.
 */
export type Pace = 'fast' | 'realtime';

export interface ModelDeviceOptions {
  pace?: Pace;
  /** Wall clock in seconds (any origin). Required for 'realtime'. */
  wallClock?: () => number;
  /** Sleeps for about `seconds`; may resolve early. Required for 'realtime'. */
  sleep?: (seconds: number) => Promise<void>;
  /** Provenance merged into snapshot() (preset name, seed, noise…). */
  provenance?: Record<string, unknown>;
}

/** A sleep shorter than this (s) is not worth a timer. */
const MIN_SLEEP = 0.0005;
/** A realtime wait that ends this much (s) before its target was cut short. */
const EARLY = 0.002;

export class ModelDevice implements Device {
  readonly kind = 'simulated' as const;
  readonly pace: Pace;
  private t = 0;
  private closed = false;
  private readonly origin: number;
  private readonly wallClock: () => number;
  private readonly sleeper: (seconds: number) => Promise<void>;

  constructor(
    readonly model: DeviceModel,
    private readonly options: ModelDeviceOptions = {},
  ) {
    this.pace = options.pace ?? 'fast';
    if (this.pace === 'realtime' && (options.wallClock === undefined || options.sleep === undefined)) {
      throw new DeviceError('device', 'a realtime simulated device needs a wall clock and a sleep function');
    }
    this.wallClock = options.wallClock ?? (() => 0);
    this.sleeper = options.sleep ?? (() => Promise.resolve());
    this.origin = this.wallClock();
  }

  snapshot(): DeviceSnapshot {
    const params = (this.model as { params?: unknown }).params;
    return {
      kind: 'simulated',
      model: this.model.kind,
      g0: this.model.g0,
      ...(params !== undefined ? { instanceParams: { ...(params as Record<string, number>) } } : {}),
      initialState: { ...this.model.state() },
      pace: this.pace,
      ...(this.options.provenance ?? {}),
    };
  }

  now(): number {
    return this.pace === 'realtime' ? Math.max(this.t, this.wallElapsed()) : this.t;
  }

  /**
   * A pulse reports G·V with G from before the pulse; a source–measure step (options.compliance)
   * reports the current measured at its end, clamped to ±compliance (measureStep).
   */
  async pulse(amplitude: number, width: number, options: PulseOptions = {}): Promise<PulseResult> {
    this.assertOpen();
    if (!Number.isFinite(amplitude)) throw new DeviceError('unsafe', `pulse amplitude must be a finite voltage, got ${amplitude}`);
    if (!(width > 0) || !Number.isFinite(width)) throw new DeviceError('unsafe', `pulse width must be a positive, finite time, got ${width}`);
    const { compliance } = options;
    if (compliance !== undefined && !(compliance > 0 && Number.isFinite(compliance))) {
      throw new DeviceError('unsafe', `a compliance must be a positive, finite current, got ${compliance}`);
    }
    this.catchUp();
    const g = this.model.conductance();
    if (compliance === undefined) this.model.pulse(amplitude, width);
    else this.model.pulse(amplitude, width, compliance);
    if (this.pace === 'fast') this.advanceFast(width);
    else await this.advanceRealtime(width);
    return compliance === undefined ? { current: g * amplitude } : measureStep(this.model, amplitude, compliance);
  }

  async read(voltage: number): Promise<DeviceReading> {
    this.assertOpen();
    if (!Number.isFinite(voltage)) throw new DeviceError('unsafe', `read voltage must be finite, got ${voltage}`);
    this.catchUp();
    return this.model.read(voltage);
  }

  async wait(seconds: number): Promise<void> {
    this.assertOpen();
    if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new DeviceError('device', `wait needs a finite number of seconds ≥ 0, got ${seconds}`);
    if (this.pace === 'fast') this.advanceFast(seconds);
    else {
      this.catchUp();
      await this.advanceRealtime(seconds);
    }
  }

  async readSeries(series: ReadSeries, out: ReadSeriesOut): Promise<number> {
    this.assertOpen();
    if (this.pace !== 'fast') throw new DeviceError('device', 'a series of reads is for fast pace; a realtime device takes one operation at a time');
    const { voltage, points, at, read, t0, pausedFor, epsilon } = series;
    if (!Number.isFinite(voltage)) throw new DeviceError('unsafe', `read voltage must be finite, got ${voltage}`);
    if (!(epsilon >= 0) || !(points >= 0) || points > at.length || points > read.length) throw new DeviceError('device', 'a malformed series of reads');
    let reads = 0;
    for (let k = 0; k < points; k++) {
      if (!Number.isFinite(at[k] as number)) throw new DeviceError('device', `a read series point at ${at[k]} s is not a finite time`);
      if (read[k] === 1) reads++;
    }
    if (out.offset < 0 || out.offset + reads > Math.min(out.t.length, out.i.length, out.g.length)) throw new DeviceError('device', 'no room for the series of reads');
    const model = this.model;
    let t = this.t;
    let o = out.offset;
    for (let k = 0; k < points; k++) {
      // Exactly wait(dt) then read() of the one-at-a-time path (see advanceFast).
      const dt = (at[k] as number) - (t - t0 - pausedFor);
      if (dt > epsilon) {
        model.relax(dt);
        t += dt;
      }
      if (read[k] === 1) {
        const r = model.read(voltage);
        out.t[o] = t - t0;
        out.i[o] = r.current;
        out.g[o] = r.conductance;
        o++;
      }
    }
    this.t = t;
    return reads;
  }

  async stepSeries(series: StepSeries, out: StepSeriesOut): Promise<number> {
    this.assertOpen();
    if (this.pace !== 'fast') throw new DeviceError('device', 'a series of steps is for fast pace; a realtime device takes one operation at a time');
    checkSteps(series, out);
    this.t = this.takeSteps(series, out);
    return series.count;
  }

  /**
   * stepSeries' steps, once checked; returns the device time after them. (A plain method, not part
   * of the async one: its loop is compiled on its own, without boxing a number per step.)
   */
  private takeSteps(series: StepSeries, out: StepSeriesOut): number {
    const { voltages, first, count, dwell, compliance, t0, pausedFor, epsilon } = series;
    const model = this.model;
    // A model that does not change between operations takes the steps in one call of its own; the
    // device times them with the same arithmetic (its relax calls, which change nothing, left out).
    const together = model.measureSteps !== undefined;
    let t = this.t;
    let at = series.t;
    for (let k = 0, o = out.offset; k < count; k++, o++) {
      // Exactly wait(lag), then pulse(v, dwell, { compliance }), of the one-at-a-time path.
      const lag = at - (t - t0 - pausedFor);
      if (lag > epsilon) {
        if (!together) model.relax(lag);
        t += lag;
      }
      const v = voltages[first + k] as number;
      out.t[o] = t - t0;
      out.v[o] = v;
      t += dwell;
      at += dwell;
      if (together) continue;
      const c = v < 0 ? compliance.negative : compliance.positive;
      model.pulse(v, dwell, c);
      model.relax(dwell);
      const m = measureStep(model, v, c);
      out.i[o] = m.current;
      out.compliance[o] = m.inCompliance ? 1 : 0;
    }
    if (together) model.measureSteps!({ voltages, first, count, dwell, compliance }, { i: out.i, compliance: out.compliance, offset: out.offset });
    return t;
  }

  async outputOff(): Promise<void> {
    // A model has no output stage: nothing is applied between operations.
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private wallElapsed(): number {
    return this.wallClock() - this.origin;
  }

  /** Realtime: relax through wall time that passed since the device time was last advanced. */
  private catchUp(): void {
    if (this.pace !== 'realtime') return;
    const w = this.wallElapsed();
    if (w > this.t) {
      this.model.relax(w - this.t);
      this.t = w;
    }
  }

  /** Moves device time on by `dt`: the model relaxes. */
  private advanceFast(dt: number): void {
    if (dt > 0) this.model.relax(dt);
    this.t += dt;
  }

  /** Moves device time on by `dt`, waiting for the wall clock to get there. */
  private async advanceRealtime(dt: number): Promise<void> {
    const target = this.t + dt;
    const ahead = target - this.wallElapsed();
    if (ahead > MIN_SLEEP) await this.sleeper(ahead);
    // Cut short (stop, pause): only the time that really passed has passed.
    const reached = this.wallElapsed() < target - EARLY ? Math.max(this.t, Math.min(target, this.wallElapsed())) : target;
    if (reached > this.t) this.model.relax(reached - this.t);
    this.t = reached;
  }

  private assertOpen(): void {
    if (this.closed) throw new DeviceError('closed', 'the simulated device was closed');
  }
}

/** What stepSeries refuses before it takes any step. (A plain function: its loop boxes no number per step.) */
function checkSteps(series: StepSeries, out: StepSeriesOut): void {
  const { voltages, first, count, dwell, compliance, epsilon } = series;
  if (!(dwell > 0) || !Number.isFinite(dwell)) throw new DeviceError('unsafe', `pulse width must be a positive, finite time, got ${dwell}`);
  if (!(epsilon >= 0) || !(count >= 0) || !(first >= 0) || first + count > voltages.length) throw new DeviceError('device', 'a malformed series of steps');
  for (let k = first; k < first + count; k++) {
    const v = voltages[k] as number;
    if (!Number.isFinite(v)) throw new DeviceError('unsafe', `pulse amplitude must be a finite voltage, got ${v}`);
    const c = v < 0 ? compliance.negative : compliance.positive;
    if (!(c > 0 && Number.isFinite(c))) throw new DeviceError('unsafe', `a compliance must be a positive, finite current, got ${c}`);
  }
  if (out.offset < 0 || out.offset + count > Math.min(out.t.length, out.v.length, out.i.length, out.compliance.length)) throw new DeviceError('device', 'no room for the series of steps');
}

export interface SimulatedDeviceOptions extends Omit<ModelDeviceOptions, 'provenance'> {
  /** Every random number of the device derives from this seed. */
  seed: Seed;
  /** false: no cycle-to-cycle, device-to-device or read noise. Default true. */
  noise?: boolean;
}

/**
 * A simulated device from a preset, with its provenance (preset, nominal parameters, variation,
 * seed, noise) in its snapshot beside the instance's own parameters.
 */
export function createSimulatedDevice(preset: DevicePreset, options: SimulatedDeviceOptions): ModelDevice {
  const noise = options.noise ?? true;
  const model = createDevice(preset, { seed: options.seed, noise });
  return new ModelDevice(model, {
    ...(options.pace === undefined ? {} : { pace: options.pace }),
    ...(options.wallClock === undefined ? {} : { wallClock: options.wallClock }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    provenance: {
      preset: preset.name,
      presetTitle: preset.title,
      presetSource: preset.source,
      params: { ...preset.params },
      variation: { ...preset.variation },
      seed: options.seed,
      noise,
    },
  });
}
