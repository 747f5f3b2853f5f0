/** Opens a usbtmc resource and prints the outcome as JSON (run as another user by usbtmc.test.ts). */
import { DEFAULT_SERIAL_SETTINGS } from '../../../electron/services/instruments/settings';
import { openTransport } from '../../../electron/services/instruments/transport/open';

try {
  const t = await openTransport({ kind: 'usbtmc', path: process.argv[2]! }, { settings: DEFAULT_SERIAL_SETTINGS });
  await t.close();
  process.stdout.write(`${JSON.stringify({ opened: true })}\n`);
} catch (e) {
  const err = e as { kind?: string; message?: string };
  process.stdout.write(`${JSON.stringify({ opened: false, kind: err.kind, message: err.message })}\n`);
}
