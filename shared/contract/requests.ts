import { z } from 'zod';
import { AppInfo, Experiment, InstrumentState, RunStatus, RunSummary, uuid } from './domain';

/**
 * Every request the renderer can make, with the schema of its input and of its output. The router
 * parses every input (and checks every output) against these; the preload and the WebSocket client
 * are generated from the same table, so a request that is not here cannot be made.
 */
const none = z.strictObject({});
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const requests = {
  'app.info': { input: none, output: AppInfo },

  'experiments.list': { input: none, output: z.array(Experiment) },
  'experiments.create': {
    input: z.strictObject({ name, description: z.string().max(10_000).optional() }),
    output: Experiment,
  },

  'runs.list': {
    input: z.strictObject({
      experimentId: uuid.optional(),
      status: RunStatus.optional(),
      search: z.string().max(200).optional(),
      tag: z.string().max(100).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    output: z.object({ runs: z.array(RunSummary), total: z.number().int().nonnegative() }),
  },
  'runs.get': { input: z.strictObject({ id: uuid }), output: RunSummary },

  'instruments.state': { input: none, output: InstrumentState },
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type RequestInput<N extends RequestName> = z.input<Requests[N]['input']>;
export type RequestOutput<N extends RequestName> = z.output<Requests[N]['output']>;

export const requestNames = Object.keys(requests) as RequestName[];

export function isRequestName(x: unknown): x is RequestName {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(requests, x);
}
