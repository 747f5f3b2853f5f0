import type { Handlers } from '../router';
import { ServiceError } from '../services/errors';
import type { HandlerContext } from './context';

type InstrumentRequest =
  | 'instruments.state'
  | 'instruments.ports'
  | 'instruments.config'
  | 'instruments.configure'
  | 'instruments.limits'
  | 'instruments.connect'
  | 'instruments.disconnect'
  | 'instruments.console'
  | 'instruments.consoleExport'
  | 'instruments.startVirtual'
  | 'instruments.stopVirtual'
  | 'instruments.virtuals'
  | 'instruments.drivers'
  | 'instruments.send'
  | 'instruments.forget';

/** The manager's refusals and instrument failures are ServiceErrors: the router translates them. */
async function mapped<T>(body: () => Promise<T> | T): Promise<T> {
  return await body();
}

export function instrumentHandlers(ctx: HandlerContext): Pick<Handlers, InstrumentRequest> {
  const manager = () => {
    if (!ctx.instruments) throw new ServiceError('unavailable', 'instruments are not available in this host');
    return ctx.instruments;
  };
  return {
    'instruments.state': () => (ctx.instruments ? ctx.instruments.state() : { state: 'disconnected', port: null, idn: null, message: null }),
    'instruments.ports': (input) => mapped(() => manager().ports(input.refresh ?? false)),
    'instruments.config': () => mapped(() => manager().config()),
    'instruments.configure': (input) => mapped(() => manager().configure(input)),
    'instruments.limits': () => (ctx.instruments ? ctx.instruments.limitsInfo() : { instrument: null }),
    'instruments.connect': (input) => mapped(() => manager().connect(input)),
    'instruments.disconnect': () => mapped(() => manager().disconnect()),
    'instruments.console': (input) => mapped(() => manager().consoleLines(input.since ?? -1)),
    'instruments.consoleExport': () =>
      mapped(() => ({ filename: `instrument-console-${new Date().toISOString().replace(/[:.]/g, '-')}.txt`, text: manager().consoleText() })),
    'instruments.startVirtual': (input) => mapped(() => manager().startVirtual(input)),
    'instruments.stopVirtual': (input) =>
      mapped(async () => {
        await manager().stopVirtual(input.id);
        return { id: input.id };
      }),
    'instruments.virtuals': () => mapped(() => manager().virtuals()),
    'instruments.drivers': () => mapped(() => manager().drivers()),
    'instruments.send': (input) => mapped(() => manager().send(input.command)),
    'instruments.forget': (input) => mapped(() => manager().forget(input.path)),
  };
}
