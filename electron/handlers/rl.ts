import type { rlRequests } from '../../shared/contract/areas/rl';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

export function rlHandlers(_ctx: HandlerContext): Pick<Handlers, keyof typeof rlRequests> {
  return {};
}
