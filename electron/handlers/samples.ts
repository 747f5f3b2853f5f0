import type { samplesRequests } from '../../shared/contract/areas/samples';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

type SamplesHandlers = Pick<Handlers, keyof typeof samplesRequests>;

/** The device hierarchy and the device-centric views of the archive (#14); every check is the store's. */
export function samplesHandlers({ store }: HandlerContext): SamplesHandlers {
  const { lab, deviceArchive } = store;
  return {
    'samples.list': () => lab.listSamples(),
    'samples.create': (input) => lab.createSample(input),
    'samples.update': ({ id, ...patch }) => lab.updateSample(id, patch),
    'samples.chips.list': ({ sampleId }) => lab.listChips(sampleId),
    'samples.chips.create': (input) => lab.createChip(input),
    'samples.chips.update': ({ id, ...patch }) => lab.updateChip(id, patch),
    'samples.devices.list': (filter) => lab.listDevices(filter),
    'samples.devices.create': (input) => lab.createDevice(input),
    'samples.devices.update': ({ id, ...patch }) => lab.updateDevice(id, patch),
    'samples.devices.delete': ({ id }) => lab.deleteDevice(id),
    'samples.devices.timeline': ({ id }) => ({ device: lab.getDevice(id), entries: deviceArchive.timeline(id) }),
    'samples.chips.map': ({ id }) => ({ chip: lab.getChip(id), cells: deviceArchive.chipMap(id) }),
    'samples.variability': ({ deviceIds, chipId, mode }) => deviceArchive.variability(chipId !== undefined ? { chipId } : { deviceIds: deviceIds ?? [] }, mode),
  };
}
