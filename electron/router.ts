import type { z } from 'zod';
import {
  HostError,
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

/**
 * The one place where requests from either host meet the services. Every input is parsed by the
 * contract's schema before a handler sees it, every output is checked before it leaves, and
 * nothing a handler throws reaches the transport: it becomes an error envelope.
 */
export type Handler<N extends RequestName> = (input: ParsedInput<N>) => Promise<RequestOutput<N>> | RequestOutput<N>;
type ParsedInput<N extends RequestName> = z.output<(typeof requests)[N]['input']>;
export type Handlers = { [N in RequestName]: Handler<N> };

export interface Router {
  call(method: unknown, params: unknown): Promise<Envelope<unknown>>;
}

export interface RouterOptions {
  /** Where unexpected failures are reported (the log); the caller only sees a generic message. */
  onInternalError?: (method: string, error: unknown) => void;
}

export function createRouter(handlers: Handlers, options: RouterOptions = {}): Router {
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
          options.onInternalError?.(method, checked.error);
          return fail('internal', `${method}: the workbench produced a malformed result (${summarizeProblems(zodProblems(checked.error))}).`);
        }
        return ok(checked.data);
      } catch (e) {
        if (e instanceof HostError) return { ok: false, error: e.toContractError() };
        options.onInternalError?.(method, e);
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
