import type { z } from 'zod';
import { archiveEvents } from './areas/archive';
import { instrumentEvents } from './areas/instruments';

/**
 * Events flow from the host to the renderer. Streams (samples, progress) are batched by the
 * sender at 10–30 Hz: one event carries many samples, never one.
 */
export const events = {
  ...archiveEvents,
  ...instrumentEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const eventNames = Object.keys(events) as EventName[];

export function isEventName(x: unknown): x is EventName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(events, x);
}
