import type { z } from 'zod';
import { appRequests } from './areas/app';
import { archiveRequests } from './areas/archive';
import { deviceRequests } from './areas/devices';
import { helpRequests } from './areas/help';
import { instrumentRequests } from './areas/instruments';
import { protocolRequests } from './areas/protocols';
import { rlRequests } from './areas/rl';
import { rlDeviceRequests } from './areas/rl-device';
import { runRequests } from './areas/runs';
import { settingsRequests } from './areas/settings';
import { labRequests } from './areas/lab';

/**
 * Every request the renderer can make, with the schema of its input and of its output. The router
 * parses every input (and checks every output) against these; the preload and the WebSocket client
 * are generated from the same table, so a request that is not here cannot be made. Each area of
 * the app declares its own requests in areas/; this table only gathers them.
 */
export const requests = {
  ...appRequests,
  ...archiveRequests,
  ...runRequests,
  ...protocolRequests,
  ...deviceRequests,
  ...instrumentRequests,
  ...rlRequests,
  ...rlDeviceRequests,
  ...helpRequests,
  ...settingsRequests,
  ...labRequests,
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<Requests[N]['output']>;

export const requestNames = Object.keys(requests) as RequestName[];

export function isRequestName(x: unknown): x is RequestName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(requests, x);
}
