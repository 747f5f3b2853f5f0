import type { protocolRequests } from '../../shared/contract/areas/protocols';
import type { ProtocolInput } from '../../shared/protocol';
import type { Handlers } from '../router';
import { LibraryError, listShippedProtocols, loadProtocol } from '../services/library';
import type { HandlerContext } from './context';

type ProtocolHandlers = Pick<Handlers, keyof typeof protocolRequests>;

/** The stored document is one validateProtocol accepted; the contract's output schema checks its shape again. */
const asInput = <T extends { document: Record<string, unknown> }>(r: T) => ({ ...r, document: r.document as unknown as ProtocolInput });

export function protocolHandlers({ store, settings }: HandlerContext): ProtocolHandlers {
  const p = store.protocols;
  // Documents are checked against the workbench's limits as Settings has them now.
  const limits = () => ({ limits: settings.currentLimits() });
  return {
    'protocols.list': (input) => ({ protocols: p.list(input), tags: p.tags() }),
    'protocols.get': ({ id, version }) => asInput(p.get(id, version)),
    'protocols.versions': ({ id }) => p.versions(id),
    'protocols.save': (input) => asInput(p.save(input, limits())),
    'protocols.restore': ({ id, version }) => asInput(p.restore(id, version)),
    'protocols.duplicate': ({ id, version, name }) => asInput(p.duplicate(id, { version, name })),
    'protocols.delete': ({ id }) => p.delete(id),
    'protocols.templates': () =>
      byFirstSteps(
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
      ),
  };
}

/**
 * The templates as a newcomer meets them (Start here, the library): the paper's spike train first —
 * Help's first run starts there — then the rest by name. In file order the first offered was
 * "Converge to a state", a bipolar-device refinement, and the titles read in no order at all.
 */
const FIRST_TEMPLATE = 'paper-spike-train';
function byFirstSteps<T extends { id: string; name: string }>(templates: T[]): T[] {
  const rank = (t: T) => (t.id === FIRST_TEMPLATE ? 0 : 1);
  return [...templates].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'en'));
}
