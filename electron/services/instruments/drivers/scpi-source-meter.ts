import { InstrumentError } from '../errors';
import { InstrumentBase } from '../instrument';

/**
 * What the SCPI source-measure units (2400, 2450, B2900) do alike: drain the error queue with
 * :SYST:ERR?, and switch the output off with :OUTP OFF then 0 V, confirmed by :OUTP? when asked.
 */
export abstract class ScpiSourceMeter extends InstrumentBase {
  /** How this model writes "no error", for the message when a reply is not one. */
  protected abstract readonly noErrorReply: string;

  protected async doQueryErrors(): Promise<string[]> {
    const errors: string[] = [];
    for (let k = 0; k < 32; k++) {
      const e = await this.ask(':SYST:ERR?', parseScpiError, `an error code and message, e.g. ${this.noErrorReply}`);
      if (e.code === 0) return errors;
      errors.push(`${e.code}, ${e.message}`);
    }
    return errors;
  }

  /** :OUTP OFF and :SOUR:VOLT 0; with `confirm`, :OUTP? must then say 0. */
  protected async switchOutputOff(confirm: boolean): Promise<void> {
    await this.transport.write(':OUTP OFF');
    await this.transport.write(':SOUR:VOLT 0');
    if (confirm) await this.confirmOutputOff();
  }

  private async confirmOutputOff(): Promise<void> {
    const on = await this.ask(':OUTP?', (r) => (r === '0' || r === '1' ? r : null), "'0' or '1'");
    if (on !== '0') throw new InstrumentError('instrument', 'the instrument still reports its output on after :OUTP OFF', ':OUTP?');
  }
}

/** `-113,"Undefined header"` → {code: -113, message: 'Undefined header'}. */
export function parseScpiError(reply: string): { code: number; message: string } | null {
  const m = /^([+-]?\d+),"([^"]*)"$/.exec(reply);
  if (!m) return null;
  return { code: Number(m[1]), message: m[2]! };
}
