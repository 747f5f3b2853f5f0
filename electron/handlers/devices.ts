import type { deviceRequests } from '../../shared/contract/areas/devices';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

export function deviceHandlers(_ctx: HandlerContext): Pick<Handlers, keyof typeof deviceRequests> {
  return {};
}
