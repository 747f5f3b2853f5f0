import { HostError } from '../../shared/contract';
import type { Handlers } from '../router';
import { StoreError } from '../services/store';
import type { HandlerContext } from './context';

type ArchiveHandlers = Pick<Handlers, 'experiments.list' | 'experiments.create' | 'runs.list' | 'runs.get'>;

/** Store errors keep their meaning across the boundary: not found stays not_found, and so on. */
export function translateStoreErrors<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof StoreError) {
        const code = e.code === 'not_found' ? 'not_found' : e.code === 'conflict' ? 'conflict' : e.code === 'invalid' ? 'invalid_request' : 'internal';
        throw new HostError(code, e.message);
      }
      throw e;
    }
  };
}

export function archiveHandlers({ store }: HandlerContext): ArchiveHandlers {
  return {
    'experiments.list': translateStoreErrors(() => store.experiments.list()),
    'experiments.create': translateStoreErrors((input) => store.experiments.create(input)),
    'runs.list': translateStoreErrors((input) => store.runs.list(input)),
    'runs.get': translateStoreErrors(({ id }) => store.runs.get(id)),
  };
}
