import type { InstrumentLimitsInfo } from '../../../../shared/contract/areas/instruments';
import { formatSI } from '../../../../shared/units';
import type { Logger } from '../../logs/logger';
import { errorMessage } from '../errors';
import { resolveLimits, type InstrumentLimits } from '../limits';
import type { Connection } from './connection';

/**
 * The safety limits (Settings) mirrored to the connected instrument's own protections: when it
 * connects (the connection configures it), and again when they change — at once when no run uses
 * the instrument, else as soon as the last run using it ends (a run is checked against the limits
 * it started with). Changes are mirrored one after another, so the last one is the one that stays.
 */
export class LimitsMirror {
  private runsInUse = 0;
  private pending = false;
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: Connection,
    /** The limits wanted now (Settings). */
    private readonly wanted: () => Partial<InstrumentLimits>,
    private readonly logger: Logger,
    /** Told when the instrument starts or stops being used by a run. */
    private readonly usage: (inUse: boolean) => void = () => undefined,
  ) {}

  /** A run starts using the connected instrument; the returned function ends that use. */
  acquire(): () => void {
    this.runsInUse++;
    if (this.runsInUse === 1) this.usage(true);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.runsInUse--;
      if (this.runsInUse === 0) this.usage(false);
      if (this.pending && this.runsInUse === 0) void this.apply();
    };
  }

  /** Mirrors the wanted limits now (after a console command touched sources or protections); throws what went wrong. */
  async remirror(): Promise<void> {
    const instrument = this.connection.connected;
    if (!instrument) return;
    const wanted = resolveLimits(this.wanted());
    await instrument.configure(wanted);
    this.pending = false;
    instrument.log.note(`safety limits mirrored to the instrument again after a console command: ${describeLimits(wanted)}`);
  }

  get inUse(): boolean {
    return this.runsInUse > 0;
  }

  /** The instrument was (re)configured with the wanted limits: nothing is pending. */
  configured(): void {
    this.pending = false;
  }

  /** Mirrors the wanted limits now, or when the running run ends. */
  apply(): Promise<void> {
    this.applying = this.applying.then(() => this.mirror()).catch((e: unknown) => this.logger.warn(`mirroring the limits failed: ${errorMessage(e)}`));
    return this.applying;
  }

  /** The connected instrument's limits and what its driver can make, for the Live page. */
  info(): InstrumentLimitsInfo {
    const instrument = this.connection.connected;
    if (!instrument) return { instrument: null };
    return {
      instrument: {
        driver: instrument.driver,
        title: instrument.title,
        port: instrument.port,
        idn: instrument.idn,
        applied: { ...instrument.limits },
        minPulseWidth: instrument.minPulseWidth,
        pending: this.pending || !sameLimits(instrument.limits, this.wanted()),
        capabilities: structuredClone({ ...instrument.capabilities }),
        virtual: instrument.virtual,
        inUse: this.runsInUse > 0,
      },
    };
  }

  private async mirror(): Promise<void> {
    const instrument = this.connection.connected;
    if (!instrument) return;
    let wanted: Required<InstrumentLimits>;
    try {
      wanted = resolveLimits(this.wanted());
    } catch (e) {
      this.connection.say(`the safety limits in Settings cannot be used: ${errorMessage(e)}`);
      return;
    }
    if (sameLimits(instrument.limits, wanted)) {
      if (this.pending) {
        this.pending = false;
        this.connection.say(null);
      }
      return;
    }
    if (this.runsInUse > 0) {
      if (!this.pending) {
        this.pending = true;
        instrument.log.note('the safety limits changed in Settings: they are mirrored to the instrument when the running run ends');
        this.connection.say('new safety limits from Settings reach the instrument when the running run ends');
      }
      return;
    }
    this.pending = false;
    try {
      await instrument.configure(wanted);
      instrument.log.note(`safety limits from Settings mirrored to the instrument: ${describeLimits(wanted)}`);
      if (this.connection.connected === instrument) this.connection.say(null);
    } catch (e) {
      if (this.connection.connected !== instrument) return;
      this.connection.say(`the new safety limits could not be mirrored to the instrument (${errorMessage(e)}): disconnect and connect again`);
    }
  }
}

function sameLimits(a: Readonly<Required<InstrumentLimits>>, b: Partial<InstrumentLimits>): boolean {
  let resolved: Required<InstrumentLimits>;
  try {
    resolved = resolveLimits(b);
  } catch {
    return false;
  }
  return a.maxVoltage === resolved.maxVoltage && a.compliance === resolved.compliance && a.maxWidth === resolved.maxWidth && a.readCompliance === resolved.readCompliance;
}

export function describeLimits(l: Required<InstrumentLimits>): string {
  return `max |V| ${formatSI(l.maxVoltage, 'V')}, compliance ${formatSI(l.compliance, 'A')} (reads ${formatSI(l.readCompliance, 'A')}), max width ${formatSI(l.maxWidth, 's')}`;
}
