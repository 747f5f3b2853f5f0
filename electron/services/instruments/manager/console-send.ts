import type { ConsoleLog } from '../console-log';
import { errorMessage } from '../errors';
import type { InstrumentLimits } from '../limits';
import type { Connection } from './connection';
import type { LimitsMirror } from './limits-mirror';
import { ManagerError } from './manager-error';

export interface ConsoleSendResult {
  /** The instrument's reply, or null for a command without one. */
  reply: string | null;
  /** The limits were mirrored to the instrument again (the command touched sources or protections). */
  remirrored: boolean;
  /** What the user must know: the limits could not be mirrored again, say. */
  warning: string | null;
}

/**
 * A command typed in the Instruments page's console. A run owns the instrument while it uses it:
 * the console is refused then. A command that touches sources, outputs or protections leaves the
 * instrument in a state the workbench did not choose, so its limits are mirrored again (which also
 * switches the output off); when that fails the user is told to disconnect and connect again.
 */
export async function sendFromConsole(
  command: string,
  parts: { connection: Connection; limits: LimitsMirror; wanted: () => Partial<InstrumentLimits>; log: ConsoleLog },
): Promise<ConsoleSendResult> {
  const text = command.trim();
  if (text === '') throw new ManagerError('invalid', 'type a command to send');
  if (/[\r\n]/.test(text)) throw new ManagerError('invalid', 'one command per line: the console sends a single line');
  const instrument = parts.connection.connected;
  if (!instrument) throw new ManagerError('conflict', 'no instrument is connected: connect one to send it commands');
  if (parts.limits.inUse) throw new ManagerError('conflict', 'a run is using the instrument: the console takes commands again when it ends');
  const { reply, touchesSafety } = await instrument.exchange(text);
  if (!touchesSafety) return { reply, remirrored: false, warning: null };
  try {
    await parts.limits.remirror();
    return { reply, remirrored: true, warning: `'${text}' changes sources or protections: the workbench's limits were set on the instrument again (output off)` };
  } catch (e) {
    const warning = `'${text}' changes sources or protections, and the workbench's limits could not be set on the instrument again (${errorMessage(e)}): disconnect and connect again before a run`;
    parts.log.note(warning);
    parts.connection.say(warning);
    return { reply, remirrored: false, warning };
  }
}
