import type { DeviceModel } from '../../../../shared/device/model';
import { measureStep } from '../../../../shared/device/source-measure';
import type { DeviceClock } from '../clock';

/**
 * The simulated device under test behind the virtual instrument, and the instrument's notion of
 * time.
 *
 * Time modes:
 * - 'wall': the model relaxes by the wall-clock time that passes between commands, and a pulse
 *   keeps the instrument busy for its real duration — what a demo or the app's Instruments page wants.
 * - 'simulated': time advances only by the durations the commands ask for (pulse widths, source
 *   delays, integration times) and by `advance()` calls from the in-process caller (the
 *   emulator's `clock`). A 100 s spike train then takes as long as the serial exchanges take.
 *
 * Every source–measure cycle is recorded as ground truth, so tests can check that any value a
 * driver returns is the value the instrument measured.
 */
export type TimeMode = 'wall' | 'simulated';

/** A model that can say whether a pulse stimulates it (SimulatedDevice does). */
export type EmulatedModel = DeviceModel & { efficacyOf?(amplitude: number, width: number): number };

export interface Measurement {
  kind: 'pulse' | 'read';
  /** Device time at the start of the cycle (s). */
  t: number;
  voltage: number;
  width: number;
  /** The current the instrument measured (A), after compliance clamping. */
  current: number;
  /** The true conductance of the model just before the cycle (S). */
  conductance: number;
  tripped: boolean;
}

/** Below this |V| a model without efficacyOf is read rather than pulsed. */
const READ_THRESHOLD = 0.5;
const MAX_MEASUREMENTS = 100_000;

export class DeviceUnderTest {
  readonly measurements: Measurement[] = [];
  private simTime = 0;
  private readonly wallOrigin: number;
  /** Wall time (ms) up to which the model has lived. */
  private lastSync: number;
  /** Seconds the instrument is busy for the command being handled (wall mode only). */
  private busy = 0;

  constructor(
    readonly model: EmulatedModel,
    readonly mode: TimeMode,
    /** Milliseconds on a monotonic wall clock (injectable so tests can move time by hand). */
    private readonly wallMs: () => number = () => performance.now(),
  ) {
    this.wallOrigin = wallMs();
    this.lastSync = this.wallOrigin;
  }

  /** Device time in seconds since the emulator started. */
  now(): number {
    return this.mode === 'simulated' ? this.simTime : (this.wallMs() - this.wallOrigin) / 1000;
  }

  /** Brings the model up to the wall clock before a command (wall mode). */
  sync(): void {
    if (this.mode !== 'wall') return;
    const t = this.wallMs();
    const dt = (t - this.lastSync) / 1000;
    if (dt > 0) {
      this.model.relax(dt);
      this.lastSync = t;
    }
  }

  /** `seconds` of the instrument's own activity (a pulse, a delay, an integration). */
  elapse(seconds: number): void {
    if (!(seconds > 0)) return;
    if (this.mode === 'simulated') {
      this.model.relax(seconds);
      this.simTime += seconds;
    } else {
      this.busy += seconds;
      // The model has lived through the activity (a pulse's own width): the next sync must not
      // relax it by that time again.
      this.lastSync += seconds * 1000;
    }
  }

  /** Simulated mode: let time pass with the output off (the caller's waits). */
  advance(seconds: number): void {
    if (this.mode !== 'simulated') throw new Error('advance() is for simulated time; in wall mode time passes by itself');
    if (!(seconds >= 0)) throw new RangeError(`advance needs seconds ≥ 0 (got ${seconds})`);
    this.elapse(seconds);
  }

  /** How long the command just handled keeps the instrument busy, and resets it. */
  takeBusy(): number {
    const b = this.busy;
    this.busy = 0;
    return b;
  }

  /**
   * One source–measure cycle: `width` seconds at `voltage`, current limited to `compliance`.
   * A stimulating pulse is applied to the model and its current is the true conductance times the
   * voltage (it must not draw from the model's read-noise stream, so reads stay comparable with a
   * direct simulation); a sub-threshold cycle is a read, with read noise.
   */
  cycle(voltage: number, width: number, compliance: number): Measurement {
    const t = this.now();
    const conductance = this.model.conductance();
    const stimulates = this.model.efficacyOf ? this.model.efficacyOf(voltage, width) > 0 : Math.abs(voltage) > READ_THRESHOLD;
    if (this.model.currentLimited === true) return this.step(t, conductance, stimulates, voltage, width, compliance);
    let current: number;
    if (stimulates) {
      current = conductance * voltage;
      this.model.pulse(voltage, width);
    } else {
      current = this.model.read(voltage).current;
    }
    const tripped = Math.abs(current) >= compliance;
    if (tripped) current = Math.sign(current) * compliance;
    this.elapse(width);
    return this.record({ kind: stimulates ? 'pulse' : 'read', t, voltage, width, current, conductance, tripped });
  }

  /**
   * `seconds` with the output held at `voltage` under `compliance`, nothing measured (a TSP
   * delay with the output on): the model is driven as by a pulse of that length (under the
   * compliance when its switching depends on it).
   */
  hold(voltage: number, seconds: number, compliance: number): void {
    if (!(seconds > 0)) return;
    if (voltage !== 0) {
      if (this.model.currentLimited === true) this.model.pulse(voltage, seconds, compliance);
      else if (this.model.efficacyOf ? this.model.efficacyOf(voltage, seconds) > 0 : Math.abs(voltage) > READ_THRESHOLD) this.model.pulse(voltage, seconds);
    }
    this.elapse(seconds);
  }

  /**
   * A cycle on a model whose switching the current limit shapes (bipolar): exactly a simulated I–V
   * sweep's step (shared/protocol/simulate.ts) — the model switches under the compliance for the
   * cycle's width, time passes, and the current is measured at the end, limited to ±compliance
   * (measureStep) — so the same seed gives the same switching, step for step, as `simulate`.
   */
  private step(t: number, conductance: number, stimulates: boolean, voltage: number, width: number, compliance: number): Measurement {
    this.model.pulse(voltage, width, compliance);
    this.elapse(width);
    const { current, inCompliance } = measureStep(this.model, voltage, compliance);
    return this.record({ kind: stimulates ? 'pulse' : 'read', t, voltage, width, current, conductance, tripped: inCompliance });
  }

  private record(m: Measurement): Measurement {
    if (this.measurements.length >= MAX_MEASUREMENTS) this.measurements.splice(0, MAX_MEASUREMENTS / 10);
    this.measurements.push(m);
    return m;
  }

  /** The clock a client uses so its waits advance this device's time. */
  clock(): DeviceClock {
    if (this.mode === 'wall') {
      return {
        now: () => this.now(),
        sleep: (s) => new Promise((resolve) => setTimeout(resolve, Math.max(0, s * 1000))),
      };
    }
    return {
      now: () => this.now(),
      sleep: async (s) => this.advance(s),
    };
  }
}
