import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { InstrumentError, errorMessage } from '../errors';
import type { SerialSettings } from '../settings';
import type { Link, LinkEvents } from './link';

/** A serial port (RS-232, a USB-serial adapter, a Prologix GPIB-USB, a pseudo-terminal). */
export async function openSerialLink(path: string, settings: SerialSettings, events: LinkEvents): Promise<Link> {
  const port = new SerialPort({
    path,
    baudRate: settings.baudRate,
    dataBits: settings.dataBits,
    parity: settings.parity,
    stopBits: settings.stopBits,
    rtscts: false,
    xon: false,
    xoff: false,
    autoOpen: false,
  });
  try {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  } catch (e) {
    throw new InstrumentError('open-failed', `could not open ${path}: ${openFailure(errorMessage(e))}`);
  }
  let closingByUs = false;
  let gone = false;
  const closed = (reason: string) => {
    if (gone) return;
    gone = true;
    clearInterval(watch);
    if (!closingByUs) events.closed(reason);
  };
  // A pseudo-terminal whose far end died, or an adapter pulled while the line is idle, does not
  // always reach an idle reader as a close: the port's path going away is watched too.
  const watch = setInterval(() => {
    if (!path.startsWith('/') || existsSync(path)) return;
    closed(`the port vanished (${path} no longer exists)`);
    if (port.isOpen) port.close(() => undefined);
  }, VANISH_POLL_MS);
  watch.unref();
  port.on('data', (chunk: Buffer) => events.data(chunk));
  port.on('close', (err?: Error & { disconnected?: boolean }) => closed(err?.disconnected ? 'the device disconnected' : err ? err.message : 'closed'));
  port.on('error', (err: Error) => {
    events.note(`port error: ${err.message}`);
    if (!port.isOpen) closed(err.message);
  });
  return {
    name: path,
    readsOnRequest: false,
    write(bytes) {
      port.write(bytes, 'latin1', (err) => {
        if (!err) return;
        events.note(`write failed: ${err.message}`);
        if (!port.isOpen) closed(err.message);
      });
    },
    read() {},
    discardInput: () => new Promise<void>((resolve) => (port.isOpen ? port.flush(() => resolve()) : resolve())),
    close() {
      closingByUs = true;
      clearInterval(watch);
      return new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        // Let queued bytes (an output-off command) reach the line before the port goes.
        port.drain(() => port.close(() => resolve()));
      });
    },
  };
}

/** How often an open port's path is checked for having vanished (ms). */
const VANISH_POLL_MS = 500;

/** serialport's open errors read "Error: No such file or directory, cannot open X"; keep the cause, and say what to do about permissions. */
function openFailure(message: string): string {
  const cause = message.replace(/^Error:\s*/, '').replace(/, cannot open .*$/, '');
  if (/permission denied/i.test(cause)) return `${cause} — this user may not use serial ports: add it to the dialout group (sudo usermod -aG dialout $USER) and log in again`;
  // The port is not there: a bare "No such file or directory" said nothing about what to do.
  if (/no such file|ENOENT/i.test(cause)) return `${cause} — the port is not there: plug the instrument in and switch it on (a stopped virtual instrument: start it again), then choose it again from the list (Refresh)`;
  return cause;
}
