import type { Rng } from '../random';
import type { BipolarParams } from './bipolar-params';
import type { MeasuredSteps, ReadResult, StaircaseSteps } from './model';
import { assertRelaxTime, type DeviceStreams } from './noise';
import type { Variation } from './params';
import type { SimulatedDevice } from './simulated';
import { inCompliance, limitedCurrent } from './source-measure';

/**
 * A threshold-type bipolar memristor (VTEAM-like kinetics, Yakopcic-like nonlinear I–V), for the
 * lab's everyday measurements: I–V sweeps, forming, SET/RESET cycling.
 *
 * State: the log-conductance position x, with G(x) = G_HRS·(G_LRS/G_HRS)^x (x = 0 is the HRS,
 * x = 1 the LRS the model reaches without compliance, x < 0 the virgin region), and whether the
 * device is formed. Current at a voltage V:
 *
 *   I(V, x) = G(x)·[w·V + (1 − w)·V_nl·sinh(V/V_nl)],   w = x clamped to [0, 1]
 *
 * so the HRS conducts like a tunnelling gap (log|I| curves) and the LRS like an ohmic filament,
 * and I(0) = 0 whatever the state (the loop is pinched).
 *
 * Switching, at a constant voltage V held for a time w (a pulse, or one step of a sweep), with the
 * thresholds of the present cycle:
 *  - SET, for V > V_th (V_th = V_form until the device is formed, then V_set): x grows at the
 *    constant rate k_on·(V/V_th − 1)^α_on until it reaches the cycle's LRS ceiling or, under a
 *    current compliance I_cc, the state where G = I_cc/V_set. Past that the source is in
 *    compliance: the voltage across the device collapses to V_set and the filament stops growing,
 *    so the compliance, not the model, sets the LRS. Forming is complete once x reaches the HRS
 *    level (x ≥ 0); a compliance too low for that leaves the device unformed.
 *  - RESET, for V < −V_reset on a formed device: x falls at k_off·(|V|/V_reset − 1)^α_off down to
 *    the cycle's HRS floor. Under a compliance the device must be able to draw its current at
 *    −V_reset: if |I(−V_reset, x)| ≥ I_cc the voltage never gets there and nothing resets.
 * Since V is constant during the step, x moves linearly in time and then stops at a bound: the
 * update is exact, whatever the step's length. Nothing happens between steps (non-volatile).
 *
 * Variation, all seeded: device to device, the nominal V_form, V_set, V_reset, G_virgin, G_HRS and
 * G_LRS each get a log-normal factor (spread `d2d`); cycle to cycle, each SET draws the next RESET's
 * V_reset and HRS floor and each RESET draws the next SET's V_set and LRS ceiling (spread `c2c`,
 * normal deviates truncated at ±3σ so the state stays bounded); reads and measured currents carry
 * multiplicative read noise (`read`), which leaves I(0) = 0.
 */
export class BipolarDevice implements SimulatedDevice {
  readonly kind = 'bipolar';
  readonly currentLimited = true;
  readonly g0: number;
  readonly params: Readonly<BipolarParams>;
  /** ln(G_LRS/G_HRS) of this instance: the span of x = 0…1 in log-conductance. */
  private readonly span: number;
  private x: number;
  /** G(x), kept with x (every read needs it; x changes only when the device switches). */
  private g: number;
  private formed = false;
  /** The last switching event (+1 SET, −1 RESET, 0 none yet): a new event draws the next cycle's values. */
  private lastSwitch = 0;
  private vSet: number;
  private vReset: number;
  /** This cycle's RESET floor and SET ceiling (x). */
  private xHrs: number;
  private xLrs: number;
  private readonly c2c: number;
  private readonly readSigma: number;
  private readonly cycleRng: Rng | null;
  private readonly readRng: Rng | null;
  /** The tunnelling term of each voltage of the staircases stepped so far: a run's sweeps repeat theirs. */
  private readonly gaps = new WeakMap<readonly number[], Float64Array>();
  /** measureSteps' read-noise factors, drawn ahead of its loop (room reused from call to call). */
  private noise = new Float64Array(0);

  /** `params` are this instance's values (device-to-device spread applied). Noise is on when there are streams. */
  constructor(params: BipolarParams, variation: Variation, streams: DeviceStreams | null) {
    this.params = Object.freeze({ ...params });
    this.g0 = params.gVirgin;
    this.span = Math.log(params.gLrs / params.gHrs);
    this.x = this.xOf(params.gVirgin);
    this.g = this.gOf(this.x);
    this.c2c = streams ? variation.c2c : 0;
    this.readSigma = streams ? variation.read : 0;
    this.cycleRng = streams ? streams.c2c : null;
    this.readRng = streams ? streams.read : null;
    this.vSet = params.vSet;
    this.vReset = params.vReset;
    this.xHrs = 0;
    this.xLrs = 1;
    this.drawResetSide();
    this.drawSetSide();
  }

  /** This instance's parameters from nominal ones: thresholds and conductances vary from device to device. */
  static instanceParams(nominal: BipolarParams, d2d: number, streams: DeviceStreams | null): BipolarParams {
    if (!streams || d2d <= 0) return { ...nominal };
    const out = { ...nominal };
    for (const key of D2D_VARIED) out[key] = nominal[key] * truncatedFactor(streams.d2d, d2d);
    // The ordering the model needs survives any draw: virgin < HRS < LRS, V_set < V_form.
    out.gHrs = Math.min(out.gHrs, out.gLrs / 1.01);
    out.gVirgin = Math.min(out.gVirgin, out.gHrs / 1.01);
    out.vForm = Math.max(out.vForm, out.vSet * 1.01);
    return out;
  }

  pulse(amplitude: number, width: number, compliance?: number): void {
    if (!(width > 0) || !Number.isFinite(width) || !Number.isFinite(amplitude)) return;
    const limited = compliance !== undefined && compliance > 0 && Number.isFinite(compliance);
    if (amplitude > 0) this.set(amplitude, width, limited ? compliance : Infinity);
    else if (amplitude < 0) this.reset(-amplitude, width, limited ? compliance : Infinity);
  }

  relax(dt: number): void {
    assertRelaxTime(dt);
  }

  /**
   * Bit for bit pulse + measureStep one step at a time: the read noise has a stream of its own
   * (nothing in a pulse draws from it), so the steps' factors can be drawn first, in order; and
   * each voltage's tunnelling term is the same number every cycle, so it is computed once.
   */
  measureSteps(steps: StaircaseSteps, out: MeasuredSteps): void {
    const { voltages, first, count, dwell } = steps;
    const { positive, negative } = steps.compliance;
    const gaps = this.gapsOf(voltages);
    const noise = this.readNoiseOf(count);
    const { i, compliance: flags, offset } = out;
    for (let k = 0; k < count; k++) {
      const v = voltages[first + k] as number;
      const c = v < 0 ? negative : positive;
      // (A step within both thresholds changes nothing: the call, and its arguments, are saved.)
      if (this.beyondThreshold(v)) this.pulse(v, dwell, c);
      const current = this.currentWith(v, gaps[first + k] as number) * (noise[k] as number);
      i[offset + k] = limitedCurrent(current, c);
      flags[offset + k] = inCompliance(current, c) ? 1 : 0;
    }
  }

  read(voltage: number): ReadResult {
    const noise = this.readNoise();
    const current = this.currentAt(voltage) * noise;
    return { current, conductance: voltage !== 0 ? current / voltage : this.conductance() * noise };
  }

  readCurrent(voltage: number): number {
    return this.currentAt(voltage) * this.readNoise();
  }

  /** The multiplicative read noise of one measurement (1 without noise). */
  private readNoise(): number {
    return this.readSigma > 0 ? 1 + this.readSigma * this.readRng!.normal() : 1;
  }

  /** readNoise() of the next `count` measurements, in order. */
  private readNoiseOf(count: number): Float64Array {
    if (this.noise.length < count) this.noise = new Float64Array(Math.max(count, 2 * this.noise.length));
    const noise = this.noise;
    const sigma = this.readSigma;
    if (!(sigma > 0)) {
      noise.fill(1, 0, count);
      return noise;
    }
    this.readRng!.normals(noise, count);
    for (let k = 0; k < count; k++) noise[k] = 1 + sigma * (noise[k] as number);
    return noise;
  }

  /** Whether a pulse of this amplitude switches the device now (set and reset leave it alone otherwise). */
  private beyondThreshold(amplitude: number): boolean {
    return amplitude > 0 ? amplitude > (this.formed ? this.vSet : this.params.vForm) : this.formed && -amplitude > this.vReset;
  }

  /** tunnelling(v) of each of `voltages`, once per staircase. */
  private gapsOf(voltages: readonly number[]): Float64Array {
    let gaps = this.gaps.get(voltages);
    if (gaps === undefined) {
      const { vNl } = this.params;
      gaps = Float64Array.from(voltages, (v) => tunnelling(v, vNl));
      this.gaps.set(voltages, gaps);
    }
    return gaps;
  }

  /** Small-signal conductance at 0 V (S): G(x). */
  conductance(): number {
    return this.g;
  }

  /** The noiseless current (A) at `voltage` in the present state. */
  currentAt(voltage: number): number {
    // (The LRS conducts ohmically: no tunnelling term to compute.)
    return this.currentWith(voltage, this.x >= 1 ? 0 : tunnelling(voltage, this.params.vNl));
  }

  /** currentAt(voltage), given its tunnelling term `gap` (tunnelling(voltage, vNl)). */
  private currentWith(voltage: number, gap: number): number {
    const w = this.x <= 0 ? 0 : this.x >= 1 ? 1 : this.x;
    return this.g * (w * voltage + (1 - w) * (w === 1 ? 0 : gap));
  }

  /**
   * How far (in x, unbounded) a pulse of this amplitude and width would drive the state with the
   * present thresholds; 0 when it would not switch. The emulator tells pulses from reads with it.
   */
  efficacyOf(amplitude: number, width: number): number {
    if (!(width > 0)) return 0;
    const { kOn, kOff, alphaOn, alphaOff } = this.params;
    const th = this.formed ? this.vSet : this.params.vForm;
    if (amplitude > th) return kOn * Math.pow(amplitude / th - 1, alphaOn) * width;
    if (this.formed && -amplitude > this.vReset) return kOff * Math.pow(-amplitude / this.vReset - 1, alphaOff) * width;
    return 0;
  }

  state(): Readonly<Record<string, number>> {
    return { x: this.x, g: this.g, formed: this.formed ? 1 : 0, vSet: this.vSet, vReset: this.vReset, gHrs: this.gOf(this.xHrs), gLrs: this.gOf(this.xLrs) };
  }

  /** Whether the device has been formed. */
  isFormed(): boolean {
    return this.formed;
  }

  private set(v: number, width: number, compliance: number): void {
    const th = this.formed ? this.vSet : this.params.vForm;
    if (!(v > th)) return;
    // Under compliance the filament stops growing where it carries I_cc at V_set.
    const target = Math.min(this.xLrs, compliance === Infinity ? Infinity : this.xOf(compliance / this.vSet));
    if (!(this.x < target)) return;
    if (this.lastSwitch !== 1) {
      this.lastSwitch = 1;
      this.drawResetSide();
    }
    const rate = this.params.kOn * Math.pow(v / th - 1, this.params.alphaOn);
    this.x = Math.min(target, this.x + rate * width);
    this.g = this.gOf(this.x);
    if (!this.formed && this.x >= 0) this.formed = true;
  }

  private reset(magnitude: number, width: number, compliance: number): void {
    if (!this.formed || !(magnitude > this.vReset) || !(this.x > this.xHrs)) return;
    if (Math.abs(this.currentAt(-this.vReset)) >= compliance) return;
    if (this.lastSwitch !== -1) {
      this.lastSwitch = -1;
      this.drawSetSide();
    }
    const rate = this.params.kOff * Math.pow(magnitude / this.vReset - 1, this.params.alphaOff);
    this.x = Math.max(this.xHrs, this.x - rate * width);
    this.g = this.gOf(this.x);
  }

  /** The next RESET's threshold and HRS floor. */
  private drawResetSide(): void {
    this.vReset = this.params.vReset * this.cycleFactor();
    this.xHrs = this.xOf(this.params.gHrs * this.cycleFactor());
    this.order();
  }

  /** The next SET's threshold and LRS ceiling. */
  private drawSetSide(): void {
    this.vSet = this.params.vSet * this.cycleFactor();
    this.xLrs = this.xOf(this.params.gLrs * this.cycleFactor());
    this.order();
  }

  /** The floor stays below the ceiling whatever the draws. */
  private order(): void {
    if (this.xHrs > this.xLrs - 0.01) this.xHrs = this.xLrs - 0.01;
  }

  private cycleFactor(): number {
    return this.c2c > 0 ? truncatedFactor(this.cycleRng!, this.c2c) : 1;
  }

  private gOf(x: number): number {
    return this.params.gHrs * Math.exp(this.span * x);
  }

  private xOf(g: number): number {
    return Math.log(g / this.params.gHrs) / this.span;
  }
}

/** The tunnelling gap's current factor V_nl·sinh(V/V_nl) (V) at `voltage`. */
function tunnelling(voltage: number, vNl: number): number {
  return vNl * Math.sinh(voltage / vNl);
}

const D2D_VARIED = ['vForm', 'vSet', 'vReset', 'gVirgin', 'gHrs', 'gLrs'] as const satisfies readonly (keyof BipolarParams)[];

/** A log-normal factor of mean ≈ 1 and relative spread ≈ sigma, its normal deviate truncated at ±3. */
export function truncatedFactor(rng: Rng, sigma: number): number {
  const z = rng.normal();
  return Math.exp(sigma * (z > 3 ? 3 : z < -3 ? -3 : z) - 0.5 * sigma * sigma);
}
