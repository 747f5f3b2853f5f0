/**
 * The Prologix GPIB controllers (GPIB-USB, a serial port; GPIB-Ethernet, TCP port 1234). Lines
 * starting with `++` configure the controller; anything else goes to the instrument at the
 * current address. Inside data, CR, LF, ESC and '+' are escaped with ESC, so only an unescaped
 * CR or LF ends a line. The controller is set up in controller mode with read-after-write off:
 * after a query the host asks for the reply with `++read eoi`, so commands without replies are
 * never followed by a read the instrument would answer with a -420 "Query UNTERMINATED".
 */
import type { LineTerminator } from '../settings';

export const ESC = '\x1b';

/** Data for the instrument, escaped for the controller. */
export function escapePrologix(data: string): string {
  return data.replace(/[\r\n\x1b+]/g, (c) => ESC + c);
}

/** What the controller does with a host line: the inverse of escapePrologix. */
export function unescapePrologix(line: string): string {
  return line.replace(/\x1b([\s\S])/g, '$1');
}

/** `++eos`: what the controller appends to each command for the instrument. */
const EOS: Readonly<Record<LineTerminator, number>> = { CRLF: 0, CR: 1, LF: 2 };

/** The controller's longest read timeout (ms): a reply must start within it. */
export const PROLOGIX_MAX_READ_TIMEOUT_MS = 3000;

/** The setup lines for an instrument at `address` that ends commands with `terminator`. */
export function prologixSetup(address: number, terminator: LineTerminator, readTimeoutMs: number): string[] {
  const tmo = Math.max(1, Math.min(PROLOGIX_MAX_READ_TIMEOUT_MS, Math.round(readTimeoutMs)));
  return ['++savecfg 0', '++mode 1', `++addr ${address}`, '++auto 0', '++eoi 1', `++eos ${EOS[terminator]}`, `++read_tmo_ms ${tmo}`];
}

/** `++ver` answers e.g. 'Prologix GPIB-USB Controller version 6.107'. */
export function isPrologixVersion(reply: string): boolean {
  return /^Prologix GPIB-(USB|ETHERNET|ETH)\b.*version/i.test(reply.trim());
}

/** Bytes for one command line to the instrument through the controller. */
export function prologixCommand(command: string): string {
  return `${escapePrologix(command)}\n`;
}

/** What makes the controller read the instrument's reply (until EOI). */
export const PROLOGIX_READ = '++read eoi\n';
