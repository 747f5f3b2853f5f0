import type { labRequests } from '../../shared/contract/areas/lab';
import type { Handlers } from '../router';
import type { HandlerContext } from './context';

type LabHandlers = Pick<Handlers, keyof typeof labRequests>;

/** The device hierarchy and the device-centric views of the archive (#14); every check is the store's. */
export function labHandlers({ store }: HandlerContext): LabHandlers {
  const { lab, deviceArchive } = store;
  return {
    'lab.samples.list': () => lab.listSamples(),
    'lab.samples.create': (input) => lab.createSample(input),
    'lab.samples.update': ({ id, ...patch }) => lab.updateSample(id, patch),
    'lab.chips.list': ({ sampleId }) => lab.listChips(sampleId),
    'lab.chips.create': (input) => lab.createChip(input),
    'lab.chips.update': ({ id, ...patch }) => lab.updateChip(id, patch),
    'lab.devices.list': (filter) => lab.listDevices(filter),
    'lab.devices.create': (input) => lab.createDevice(input),
    'lab.devices.update': ({ id, ...patch }) => lab.updateDevice(id, patch),
    'lab.devices.delete': ({ id }) => lab.deleteDevice(id),
    'lab.devices.timeline': ({ id }) => ({ device: lab.getDevice(id), entries: deviceArchive.timeline(id) }),
    'lab.chips.map': ({ id }) => ({ chip: lab.getChip(id), cells: deviceArchive.chipMap(id) }),
    'lab.variability': ({ deviceIds, chipId, mode }) => deviceArchive.variability(chipId !== undefined ? { chipId } : { deviceIds: deviceIds ?? [] }, mode),
  };
}
