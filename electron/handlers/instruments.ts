import type { Handlers } from '../router';
import type { HandlerContext } from './context';

export function instrumentHandlers(_ctx: HandlerContext): Pick<Handlers, 'instruments.state'> {
  return { 'instruments.state': () => ({ state: 'disconnected', port: null, idn: null, message: null }) };
}
