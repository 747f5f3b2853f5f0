import { constants, promises as fsp } from 'node:fs';
import { InstrumentError, errorMessage } from '../errors';
import type { Link, LinkEvents } from './link';

/**
 * The Linux usbtmc character device (/dev/usbtmcN): the kernel's usbtmc driver does the USB-TMC
 * framing, so a command is one write(2) and its reply one read(2) — and a read is itself a request
 * to the instrument, so the transport reads only after a query (readsOnRequest).
 *
 * The device is opened non-blocking: a read that finds nothing yet is retried with a short
 * backoff instead of parking a thread of libuv's pool, so closing never waits on a stuck read.
 * The usbtmc driver itself blocks each read until the reply or its own timeout (5 s by default).
 */
const READ_SIZE = 64 * 1024;
const RETRY_MS = [0, 1, 1, 2, 5];
/** How long a read waits for its reply before it is given up, as the usbtmc driver's default timeout. */
const READ_GIVE_UP_MS = 5000;

export async function openUsbtmcLink(path: string, events: LinkEvents): Promise<Link> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InstrumentError('open-failed', usbtmcOpenFailure(path, e));
  }
  let open = true;
  let reading = false;
  /** Replies asked for and not yet in: each read(2) of the usbtmc device is one request to the instrument. */
  let wanted = 0;
  let last = 0;
  let writes: Promise<void> = Promise.resolve();
  let closedByUs = false;
  const buffer = Buffer.alloc(READ_SIZE);
  const gone = (reason: string) => {
    if (!open) return;
    open = false;
    void handle.close().catch(() => undefined);
    if (!closedByUs) events.closed(reason);
  };
  // Reads until every asked-for reply is in; a reply ends with a line terminator (a pty may hand it over in pieces).
  const pump = async () => {
    if (reading || !open) return;
    reading = true;
    let attempt = 0;
    let idleMs = 0;
    try {
      while (open && wanted > 0) {
        let n: number;
        try {
          ({ bytesRead: n } = await handle.read(buffer, 0, READ_SIZE, null));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
            const wait = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!;
            idleMs += wait;
            // As the usbtmc driver gives up on a read after its timeout, so do we: that reply is not coming.
            if (idleMs > READ_GIVE_UP_MS) {
              wanted--;
              idleMs = 0;
              continue;
            }
            await new Promise((r) => setTimeout(r, wait));
            continue;
          }
          if (code === 'ETIMEDOUT') {
            // The usbtmc driver's own timeout: no reply to this request; the transport's timeout reports it.
            events.note('the usbtmc driver timed out waiting for a reply');
            wanted--;
            continue;
          }
          gone(code === 'EIO' || code === 'ENODEV' ? 'the device disconnected' : errorMessage(e));
          return;
        }
        if (n === 0) {
          gone('the device closed');
          return;
        }
        attempt = 0;
        idleMs = 0;
        const chunk = Buffer.from(buffer.subarray(0, n));
        for (const byte of chunk) {
          // One reply per CR, LF or CRLF.
          if ((byte === 13 || (byte === 10 && last !== 13)) && wanted > 0) wanted--;
          last = byte;
        }
        events.data(chunk);
      }
    } finally {
      reading = false;
    }
  };
  return {
    name: path,
    readsOnRequest: true,
    write(bytes) {
      if (!open) return;
      // fs writes run on libuv's thread pool, where two may overtake each other: one at a time.
      writes = writes.then(async () => {
        if (!open) return;
        try {
          await handle.write(Buffer.from(bytes, 'latin1'));
        } catch (e) {
          events.note(`write failed: ${errorMessage(e)}`);
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EIO' || code === 'ENODEV' || code === 'EBADF') gone('the device disconnected');
        }
      });
    },
    read() {
      wanted++;
      // The request for a reply goes after the command that asks for it.
      void writes.then(() => pump());
    },
    async discardInput() {},
    async close() {
      closedByUs = true;
      await writes;
      if (!open) return;
      open = false;
      await handle.close().catch(() => undefined);
    },
  };
}

/** Why a usbtmc device did not open, and what to do about it (udev permissions, the usual case). */
export function usbtmcOpenFailure(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return (
      `could not open ${path}: permission denied — ${path} is not writable by this user. The usbtmc device belongs to root unless a udev rule ` +
      `says otherwise: add /etc/udev/rules.d/99-usbtmc.rules with SUBSYSTEM=="usbmisc", KERNEL=="usbtmc[0-9]*", GROUP="plugdev", MODE="0660", ` +
      `put yourself in the plugdev group, then unplug and plug the instrument in again (Help: USB-TMC)`
    );
  }
  if (code === 'ENOENT') return `could not open ${path}: it does not exist (is the instrument plugged in and switched on, and the usbtmc kernel module loaded?)`;
  if (code === 'EBUSY') return `could not open ${path}: another program is using it`;
  return `could not open ${path}: ${errorMessage(e)}`;
}
