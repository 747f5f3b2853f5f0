import { HostError } from '../../shared/contract';
import type { archiveRequests } from '../../shared/contract/areas/archive';
import type { Handlers } from '../router';
import { readUserFile } from '../services/files/read-user-file';
import { exportFilename } from '../services/runs/export';
import { sampleBundleFile } from '../services/runs/sample-experiment';
import { BUNDLE_EXTENSION, BundleError, StoreError, type Store } from '../services/store';
import type { HandlerContext } from './context';

type ArchiveHandlers = Pick<Handlers, keyof typeof archiveRequests>;

/** Store errors keep their meaning across the boundary: not found stays not_found, and so on. */
export function translateStoreErrors<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e instanceof StoreError) {
        const code = e.code === 'not_found' ? 'not_found' : e.code === 'conflict' ? 'conflict' : e.code === 'invalid' ? 'invalid_request' : 'internal';
        throw new HostError(code, e.message, e instanceof BundleError ? { problems: [{ path: 'bytes', message: e.message }] } : undefined);
      }
      throw e;
    }
  };
}

function importBundle(store: Store, bytes: Uint8Array) {
  const r = store.bundles.import(bytes);
  return { imported: r.imported, skipped: r.skipped, experimentId: r.experimentId, experimentName: r.experimentName, checksums: r.checksums };
}

export function archiveHandlers({ store }: HandlerContext): ArchiveHandlers {
  return {
    'experiments.list': translateStoreErrors(() => store.experiments.list()),
    'experiments.create': translateStoreErrors((input) => store.experiments.create(input)),
    'runs.list': translateStoreErrors(({ device, ...filter }) =>
      store.runs.list({ ...filter, ...(device === undefined ? {} : { deviceKind: device.kind, ...(device.name === undefined ? {} : { deviceName: device.name }) }) }),
    ),
    'runs.facets': translateStoreErrors(({ experimentId }) => store.runs.facets(experimentId)),
    'runs.get': translateStoreErrors(({ id }) => store.runs.get(id)),
    'experiments.update': translateStoreErrors(({ id, name, description }) => {
      store.experiments.get(id);
      if (name !== undefined) store.experiments.rename(id, name);
      if (description !== undefined) store.experiments.setDescription(id, description);
      return store.experiments.get(id);
    }),
    'experiments.delete': translateStoreErrors(({ id, withRuns }) => store.experiments.delete(id, { withRuns: withRuns === true })),
    'experiments.exportBundle': translateStoreErrors(({ id }) => {
      const b = store.bundles.export(id);
      const filename = exportFilename({ name: b.experiment.name, id: b.experiment.id }, BUNDLE_EXTENSION.slice(1));
      // A plain Uint8Array: a Buffer would serialise itself as JSON on the WebSocket wire.
      return { filename, bytes: new Uint8Array(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength), runs: b.runs, samples: b.samples };
    }),
    'experiments.importBundle': translateStoreErrors(({ bytes }) => importBundle(store, bytes)),
    'archive.loadSample': translateStoreErrors(() => {
      const file = sampleBundleFile();
      let bytes: Buffer;
      try {
        bytes = readUserFile(file, 'bundle');
      } catch (e) {
        throw new HostError('unavailable', `The sample experiment is not installed (${file}: ${(e as Error).message}).`);
      }
      return importBundle(store, bytes);
    }),
  };
}
