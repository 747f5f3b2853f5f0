import type { Handlers } from '../router';
import { appHandlers } from './app';
import { archiveHandlers } from './archive';
import type { HandlerContext } from './context';
import { instrumentHandlers } from './instruments';

export type { HandlerContext };

/** Each area's handlers live in their own module; this only gathers them. */
export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...archiveHandlers(ctx),
    ...instrumentHandlers(ctx),
  };
}
