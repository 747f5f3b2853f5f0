import type { protocolRequests } from '../../shared/contract/areas/protocols';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

export function protocolHandlers(_ctx: HandlerContext): Pick<Handlers, keyof typeof protocolRequests> {
  return {};
}
