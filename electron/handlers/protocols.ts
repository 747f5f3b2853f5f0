import { HostError } from '../../shared/contract';
import type { protocolRequests } from '../../shared/contract/areas/protocols';
import type { ProtocolInput } from '../../shared/protocol';
import type { Handlers } from '../router';
import { LibraryError, listShippedProtocols, loadProtocol } from '../services/library';
import { StoreError } from '../services/store';
import type { HandlerContext } from './context';

type ProtocolHandlers = Pick<Handlers, keyof typeof protocolRequests>;

/**
 * Store errors keep their meaning and their details across the boundary: an invalid document is
 * refused as invalid_request with `details.problems` (each with its path), a missing protocol or
 * version is not_found.
 */
function translate<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof StoreError) {
        const code = e.code === 'not_found' ? 'not_found' : e.code === 'conflict' ? 'conflict' : e.code === 'invalid' ? 'invalid_request' : 'internal';
        throw new HostError(code, e.message, e.details);
      }
      throw e;
    }
  };
}

/** The stored document is one validateProtocol accepted; the contract's output schema checks its shape again. */
const asInput = <T extends { document: Record<string, unknown> }>(r: T) => ({ ...r, document: r.document as unknown as ProtocolInput });

export function protocolHandlers({ store, settings }: HandlerContext): ProtocolHandlers {
  const p = store.protocols;
  // Documents are checked against the workbench's limits as Settings has them now.
  const limits = () => ({ limits: settings.currentLimits() });
  return {
    'protocols.list': translate((input) => ({ protocols: p.list(input), tags: p.tags() })),
    'protocols.get': translate(({ id, version }) => asInput(p.get(id, version))),
    'protocols.versions': translate(({ id }) => p.versions(id)),
    'protocols.save': translate((input) => asInput(p.save(input, limits()))),
    'protocols.restore': translate(({ id, version }) => asInput(p.restore(id, version))),
    'protocols.duplicate': translate(({ id, version, name }) => asInput(p.duplicate(id, { version, name }))),
    'protocols.delete': translate(({ id }) => p.delete(id)),
    'protocols.templates': () =>
      listShippedProtocols().flatMap((id) => {
        try {
          const loaded = loadProtocol(id);
          return [{ id, name: loaded.document.name, description: loaded.document.description ?? '', document: loaded.source as ProtocolInput }];
        } catch (e) {
          // A damaged shipped file is left out rather than breaking the library; the CLI reports it.
          if (e instanceof LibraryError) return [];
          throw e;
        }
      }),
  };
}
