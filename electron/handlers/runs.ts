import { problemsUnder, summarizeProblems, type FieldProblem, type RequestInput } from '../../shared/contract';
import type { runRequests } from '../../shared/contract/areas/runs';
import { parseDevicePreset, type DevicePreset } from '../../shared/device';
import type { Problem, SafetyLimits } from '../../shared/protocol';
import type { Handlers } from '../router';
import type { InstrumentManager } from '../services/instruments/manager';
import { describeTypedPath } from '../services/instruments/ports';
import { deviceResource } from '../../shared/instruments/resource';
import { instrumentProblems } from '../services/instruments/program-check';
import { ServiceError } from '../services/errors';
import { LibraryError, loadDevicePreset, loadProtocol } from '../services/library';
import type { Store } from '../services/store';
import { analyzeRun, exportFilename, exportRun, prepareProtocol, randomSeed, type PreparedProtocol, type RunDeviceSpec } from '../services/runs';
import type { HandlerContext } from './context';

type RunHandlers = Pick<Handlers, keyof typeof runRequests>;

function invalid(message: string, problems: FieldProblem[]): ServiceError {
  return new ServiceError('invalid_request', `runs.start: ${message}`, { problems });
}

/**
 * The protocol of a start request: a document, or the name of a shipped one, validated against the
 * workbench's safety limits (Settings), which a document may tighten but not loosen.
 */
export function resolveProtocol(spec: unknown, limits?: SafetyLimits): PreparedProtocol {
  let source: unknown = spec;
  if (typeof spec === 'string') {
    try {
      source = loadProtocol(spec).source;
    } catch (e) {
      if (e instanceof LibraryError) {
        throw invalid(`there is no shipped protocol called '${spec}'`, [{ path: 'protocol', message: `no shipped protocol called '${spec}'` }]);
      }
      throw e;
    }
  }
  const prepared = prepareProtocol(source, limits === undefined ? {} : { limits });
  if (!prepared.ok) throw protocolProblems('the protocol is not valid', prepared.problems);
  return prepared.protocol;
}

/** invalid_request listing a protocol's problems, each path under `protocol`. */
function protocolProblems(what: string, found: Problem[]): ServiceError {
  return invalid(`${what}: ${summarizeProblems(found, '(document)')}`, problemsUnder('protocol', found));
}

/**
 * A run on the connected instrument is also checked against that instrument: its limits (mirrored
 * from Settings) and what it can make (a Keithley 2400's shortest pulse), so the run is refused
 * before it is queued rather than failing when it reaches the pulse. An instrument that is not
 * connected yet is connected when the run starts, and checks every operation itself then.
 */
function checkOnInstrument(protocol: PreparedProtocol, device: RunDeviceSpec, instruments: InstrumentManager | undefined): void {
  if (device.kind !== 'instrument' || !instruments) return;
  const instrument = instruments.instrumentFor(device.scheme, device.port);
  if (!instrument) return;
  const found = instrumentProblems(protocol.program, instrument);
  if (found.length > 0) throw protocolProblems(`the protocol cannot run on the connected ${instrument.title} (${instrument.port})`, found);
}

/** A device preset: a shipped or saved one by name, or a whole preset document. */
export function resolvePreset(store: Store, preset: string | Record<string, unknown>): DevicePreset {
  if (typeof preset !== 'string') {
    const parsed = parseDevicePreset(preset);
    if (!parsed.ok) {
      const problems = problemsUnder('device.preset', parsed.problems);
      throw invalid(`the device preset is not valid: ${problems[0]?.path}: ${problems[0]?.message}`, problems);
    }
    return parsed.preset;
  }
  try {
    return loadDevicePreset(preset);
  } catch (e) {
    if (!(e instanceof LibraryError)) throw e;
    if (store.devicePresets.has(preset)) return store.devicePresets.get(preset).preset;
    throw invalid(`there is no device preset called '${preset}'`, [{ path: 'device.preset', message: `no shipped or saved device preset called '${preset}'` }]);
  }
}

export function resolveDevice(store: Store, device: RequestInput<'runs.start'>['device']): RunDeviceSpec {
  if (device.kind === 'simulated') {
    return { kind: 'simulated', preset: resolvePreset(store, device.preset), seed: device.seed ?? randomSeed(), noise: device.noise ?? true };
  }
  const virtual = device.port.startsWith('virtual:');
  if (!virtual) {
    // An address that is not one, or a serial port that is not there, is refused here, not left as
    // a failed run in the archive. Other resources (LAN, USB-TMC, GPIB) are reached when the run opens them.
    const resource = deviceResource('serial', device.port);
    if (!resource.ok) throw invalid(`cannot run on ${device.port}: ${resource.message}`, [{ path: 'device.port', message: resource.message }]);
    const port = resource.resource.kind === 'serial' ? describeTypedPath(resource.resource.path) : null;
    if (port && !port.ok) throw invalid(`cannot run on ${device.port}: ${port.message}`, [{ path: 'device.port', message: port.message }]);
  }
  return {
    kind: 'instrument',
    scheme: virtual ? 'virtual' : 'serial',
    port: virtual ? device.port.slice('virtual:'.length) : device.port,
    driver: device.driver,
    settings: device.settings ?? {},
  };
}

export function runHandlers({ store, runs, settings, instruments, parquet }: HandlerContext): RunHandlers {
  return {
    'runs.start': (input) => {
      // Every problem at once: the protocol's and the device's.
      const settled = [() => resolveProtocol(input.protocol, settings.currentLimits()), () => resolveDevice(store, input.device)].map((f) => {
        try {
          return { ok: true as const, value: f() };
        } catch (e) {
          return { ok: false as const, error: e };
        }
      });
      const failures = settled.flatMap((r) => (r.ok ? [] : [r.error]));
      if (failures.length > 0) {
        const refusals = failures.filter((e): e is ServiceError => e instanceof ServiceError && e.code === 'invalid_request');
        if (refusals.length !== failures.length || refusals.length === 1) throw failures[0];
        const problems = refusals.flatMap((e) => (e.details as { problems: FieldProblem[] }).problems);
        throw new ServiceError('invalid_request', `${refusals.map((e) => e.message).join('; also ').replace(/; also runs\.start: /g, '; also ')}`, { problems });
      }
      const protocol = (settled[0] as { value: PreparedProtocol }).value;
      const device = (settled[1] as { value: RunDeviceSpec }).value;
      checkOnInstrument(protocol, device, instruments);
      return runs.submit({
        protocol,
        device,
        ...(input.pace === undefined ? {} : { pace: input.pace }),
        ...(input.experimentId === undefined ? {} : { experimentId: input.experimentId }),
        ...(input.experimentName === undefined ? {} : { experimentName: input.experimentName }),
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.notes === undefined ? {} : { notes: input.notes }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
        ...(input.deviceId === undefined ? {} : { deviceId: input.deviceId }),
      });
    },
    'runs.control': ({ id, action }) => runs.control(id, action),
    'runs.active': () => {
      const mine = runs.active();
      const elsewhere = store.runs.list({ status: ['running', 'paused'], limit: 100 }).runs.filter((r) => !runs.isDriving(r.id));
      return { ...mine, elsewhere };
    },
    'runs.samples': ({ id, from, to }) => {
      const run = store.runs.get(id);
      const columns = store.readSamples(id, { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) });
      const start = Math.min(from ?? 0, run.sampleCount);
      // A live run may have committed more between the two reads: total is never behind `to`.
      return { runId: run.id, from: start, to: start + columns.length, total: Math.max(run.sampleCount, start + columns.length), status: run.status, columns };
    },
    'runs.detail': ({ id }) => store.runs.get(id),
    'runs.update': ({ id, name, notes, tags }) => {
      // One transaction per field would let a failing later field leave the earlier ones changed:
      // check the run exists first; each setter validates its own field.
      store.runs.get(id);
      if (name !== undefined) store.runs.rename(id, name);
      if (notes !== undefined) store.runs.setNotes(id, notes);
      if (tags !== undefined) store.runs.setTags(id, tags);
      return store.runs.get(id);
    },
    'runs.delete': async ({ id }) => {
      if (runs.isDriving(id)) {
        const run = store.runs.get(id);
        if (run.status !== 'queued') throw new ServiceError('conflict', `Run "${run.name}" is ${run.status}; stop it before deleting it.`);
        await runs.control(id, 'stop');
      }
      store.runs.delete(id);
      return { id };
    },
    'runs.export': ({ id, format, comments }) => {
      const run = store.runs.get(id);
      return exportRun(run, store.readSamples(id), format, { comments: comments === true });
    },
    'runs.exportParquet': async ({ id, deviceId }) => {
      const ids = id !== undefined ? [store.runs.get(id).id] : store.labFiles.runsOfDevice(deviceId as string);
      const named = id !== undefined ? store.runs.get(id) : { name: deviceLabel(store, deviceId as string), id: deviceId as string };
      const file = await parquet.bytes(ids);
      return { filename: exportFilename(named, 'parquet'), ...file };
    },
    'runs.analysis': ({ id }) => analyzeRun(store, id),
  };
}

/** `sample-chip-device`, the name a device's export is saved under. */
function deviceLabel(store: Store, deviceId: string): string {
  const d = store.lab.getDevice(deviceId);
  return `${d.sampleName} ${d.chipName} ${d.name}`;
}
