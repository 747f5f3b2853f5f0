import type { archiveRequests } from '../../shared/contract/areas/archive';
import type { Handlers } from '../router';
import { readUserFile } from '../services/files/read-user-file';
import { exportFilename } from '../services/runs/export';
import { sampleBundleFile } from '../services/runs/sample-experiment';
import { ServiceError } from '../services/errors';
import { BUNDLE_EXTENSION, type Store } from '../services/store';
import type { HandlerContext } from './context';

type ArchiveHandlers = Pick<Handlers, keyof typeof archiveRequests>;

function importBundle(store: Store, bytes: Uint8Array) {
  const r = store.bundles.import(bytes);
  return { imported: r.imported, skipped: r.skipped, experimentId: r.experimentId, experimentName: r.experimentName, checksums: r.checksums };
}

export function archiveHandlers({ store }: HandlerContext): ArchiveHandlers {
  return {
    'experiments.list': () => store.experiments.list(),
    'experiments.create': (input) => store.experiments.create(input),
    'runs.list': ({ device, ...filter }) =>
      store.runs.list({ ...filter, ...(device === undefined ? {} : { deviceKind: device.kind, ...(device.name === undefined ? {} : { deviceName: device.name }) }) }),
    'runs.facets': ({ experimentId }) => store.runs.facets(experimentId),
    'runs.get': ({ id }) => store.runs.get(id),
    'experiments.update': ({ id, name, description }) => {
      store.experiments.get(id);
      if (name !== undefined) store.experiments.rename(id, name);
      if (description !== undefined) store.experiments.setDescription(id, description);
      return store.experiments.get(id);
    },
    'experiments.delete': ({ id, withRuns }) => store.experiments.delete(id, { withRuns: withRuns === true }),
    'experiments.exportBundle': ({ id }) => {
      const b = store.bundles.export(id);
      const filename = exportFilename({ name: b.experiment.name, id: b.experiment.id }, BUNDLE_EXTENSION.slice(1));
      // A plain Uint8Array: a Buffer would serialise itself as JSON on the WebSocket wire.
      return { filename, bytes: new Uint8Array(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength), runs: b.runs, samples: b.samples };
    },
    'experiments.importBundle': ({ bytes }) => importBundle(store, bytes),
    'archive.loadSample': () => {
      const file = sampleBundleFile();
      let bytes: Buffer;
      try {
        bytes = readUserFile(file, 'bundle');
      } catch (e) {
        throw new ServiceError('unavailable', `The sample experiment is not installed (${file}: ${(e as Error).message}).`);
      }
      return importBundle(store, bytes);
    },
  };
}
