import type { AppInfo } from '../../shared/contract';
import type { EventBus, Handlers } from '../router';
import type { Store } from '../services/store';
import { archiveHandlers } from './archive';

/** What handlers may use. Each area's handlers live in their own module and are merged here. */
export interface HandlerContext {
  store: Store;
  bus: EventBus;
  info: AppInfo;
}

export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    'app.info': () => ctx.info,
    ...archiveHandlers(ctx),
    'instruments.state': () => ({ state: 'disconnected', port: null, idn: null, message: null }),
  };
}
