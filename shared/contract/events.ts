import type { z } from 'zod';
import { archiveEvents } from './areas/archive';
import { deviceEvents } from './areas/devices';
import { instrumentEvents } from './areas/instruments';
import { protocolEvents } from './areas/protocols';
import { rlEvents } from './areas/rl';
import { rlDeviceEvents } from './areas/rl-device';
import { runEvents } from './areas/runs';
import { settingsEvents } from './areas/settings';

/**
 * Events flow from the host to the renderer. Streams (samples, progress) are batched by the
 * sender at 10–30 Hz: one event carries many samples, never one. Each area declares its own.
 */
export const events = {
  ...archiveEvents,
  ...runEvents,
  ...protocolEvents,
  ...deviceEvents,
  ...instrumentEvents,
  ...rlEvents,
  ...rlDeviceEvents,
  ...settingsEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(x: unknown): x is EventName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(events, x);
}
