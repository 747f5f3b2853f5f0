import type { Handlers } from '../router';
import { appHandlers } from './app';
import { archiveHandlers } from './archive';
import type { HandlerContext } from './context';
import { deviceHandlers } from './devices';
import { helpHandlers } from './help';
import { instrumentHandlers } from './instruments';
import { protocolHandlers } from './protocols';
import { rlHandlers } from './rl';
import { rlDeviceHandlers } from './rl-device';
import { runHandlers } from './runs';
import { settingsHandlers } from './settings';
import { labHandlers } from './lab';

export type { HandlerContext };

/** Each area's handlers live in their own module; this only gathers them. */
export function createHandlers(ctx: HandlerContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...archiveHandlers(ctx),
    ...runHandlers(ctx),
    ...protocolHandlers(ctx),
    ...deviceHandlers(ctx),
    ...instrumentHandlers(ctx),
    ...rlHandlers(ctx),
    ...rlDeviceHandlers(ctx),
    ...helpHandlers(ctx),
    ...settingsHandlers(ctx),
    ...labHandlers(ctx),
  };
}
