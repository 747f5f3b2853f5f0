import type { z } from 'zod';
import {
  events,
  fail,
  isEventName,
  isRequestName,
  ok,
  requests,
  summarizeProblems,
  zodProblems,
  type Envelope,
  type EventName,
  type EventPayload,
  type RequestName,
  type RequestOutput,
} from '../shared/contract';
import { ServiceError } from './services/errors';
import type { Logger } from './services/logs/logger';

/**
 * The one place where requests from either host meet the services. Every input is parsed by the
 * contract's schema before a handler sees it, every output is checked before it leaves, and
 * nothing a handler throws reaches the transport: it becomes an error envelope.
 *
 * Errors are translated here and nowhere else: a ServiceError (the services' one error type,
 * electron/services/errors.ts) becomes an envelope with its code, message and details; anything
 * else is a bug, logged with its stack, and the caller gets a generic 'internal' error.
 */
export type Handler<N extends RequestName> = (input: ParsedInput<N>) => Promise<RequestOutput<N>> | RequestOutput<N>;
type ParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;
export type Handlers = { [N in RequestName]: Handler<N> };

export interface Router {
  call(method: unknown, params: unknown): Promise<Envelope<unknown>>;
}

export interface RouterOptions {
  /** Where unexpected failures are reported (the log); the caller only sees a generic message. */
  logger?: Logger;
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
  const logger = options.logger?.child('router');
  return {
    async call(method, params) {
      if (!isRequestName(method)) {
        return fail('unknown_method', `There is no request called ${JSON.stringify(method)}.`);
      }
      const spec = requests[method];
      const parsed = spec.input.safeParse(params === undefined ? {} : params);
      if (!parsed.success) {
        const problems = zodProblems(parsed.error);
        return fail('invalid_request', `${method}: ${summarizeProblems(problems)}`, { problems });
      }
      try {
        const handler = handlers[method] as (input: unknown) => unknown;
        const value = await handler(parsed.data);
        const checked = spec.output.safeParse(value);
        if (!checked.success) {
          logger?.error(`${method} produced a malformed result`, checked.error);
          return fail('internal', `${method}: the workbench produced a malformed result (${summarizeProblems(zodProblems(checked.error))}).`);
        }
        return ok(checked.data);
      } catch (e) {
        if (e instanceof ServiceError) {
          if (e.code === 'internal') logger?.error(`${method} failed`, e);
          return { ok: false, error: e.toContractError() };
        }
        logger?.error(`internal error in ${method}`, e);
        return fail('internal', `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}

type Listener = (name: EventName, payload: unknown) => void;

/** Events from services to every connected renderer, each payload checked against the contract. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!isEventName(name)) throw new Error(`unknown event ${String(name)}`);
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) throw new Error(`event ${name} has a malformed payload: ${summarizeProblems(zodProblems(parsed.error))}`);
    for (const l of this.listeners) l(name, parsed.data);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
