import type { runRequests } from '../../shared/contract/areas/runs';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

export function runHandlers(_ctx: HandlerContext): Pick<Handlers, keyof typeof runRequests> {
  return {};
}
