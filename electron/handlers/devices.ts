import type { DeviceFitOutcome, DevicePresetEntry, deviceRequests } from '../../shared/contract/areas/devices';
import type { DevicePreset } from '../../shared/device';
import { fitTrace, traceFromCsv, traceFromRun, type TraceResult } from '../services/fit';
import type { Handlers } from '../router';
import { ServiceError } from '../services/errors';
import { listShippedPresets, loadDevicePreset } from '../services/library';
import type { DevicePresetSummary } from '../services/store';
import type { HandlerContext } from './context';

type DeviceHandlers = Pick<Handlers, keyof typeof deviceRequests>;

function shippedEntry(preset: DevicePreset): DevicePresetEntry {
  return {
    name: preset.name,
    title: preset.title,
    model: preset.model,
    source: preset.source,
    description: preset.description,
    origin: 'shipped',
    updatedAt: null,
  };
}

function savedEntry(s: DevicePresetSummary): DevicePresetEntry {
  return { name: s.name, title: s.title, model: s.model, source: s.source, description: s.description, origin: 'saved', updatedAt: s.updatedAt };
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const isShipped = (name: string) => listShippedPresets().includes(name);

/** A preset by the name a picker shows: shipped ones first unless `origin` says which. */
export function presetByName(store: HandlerContext['store'], name: string, origin?: 'shipped' | 'saved'): { entry: DevicePresetEntry; preset: DevicePreset } {
  const shipped = origin === 'shipped' || (origin === undefined && isShipped(name));
  if (shipped) {
    if (!isShipped(name)) throw new ServiceError('not_found', `There is no shipped device preset called "${name}".`);
    const preset = loadDevicePreset(name);
    return { entry: shippedEntry(preset), preset };
  }
  const saved = store.devicePresets.get(name);
  return { entry: savedEntry(saved), preset: saved.preset };
}

export function deviceHandlers({ store }: HandlerContext): DeviceHandlers {

  return {
    'devices.presets.list': () => {
      const shipped = listShippedPresets().map((name) => shippedEntry(loadDevicePreset(name)));
      return [...shipped, ...store.devicePresets.list().map(savedEntry)];
    },

    'devices.presets.get': ({ name, origin }) => presetByName(store, name, origin),

    'devices.presets.save': ({ preset, overwrite }) => {
      if (isShipped(preset.name)) {
        throw new ServiceError('conflict', `"${preset.name}" is a shipped preset, which is read-only; save your changes under a new name.`, {
          problems: [{ path: 'name', message: 'name must not be the name of a shipped preset' }],
        });
      }
      return savedEntry(store.devicePresets.save(preset, { overwrite: overwrite === true }));
    },

    'devices.presets.delete': ({ name }) => {
      if (isShipped(name)) throw new ServiceError('conflict', `"${name}" is a shipped preset, which is read-only and cannot be deleted.`);
      store.devicePresets.delete(name);
      return { name, deleted: true as const };
    },

    'devices.fit': (request): DeviceFitOutcome => {
      const widthOption = request.pulseWidth === undefined ? {} : { pulseWidth: request.pulseWidth };
      const source: TraceResult =
        request.source.kind === 'csv'
          ? traceFromCsv(request.source.text, {
              ...widthOption,
              name: request.source.fileName ?? 'the CSV',
              ...(request.source.dialect === undefined ? {} : { dialect: request.source.dialect }),
              ...(request.source.columns === undefined ? {} : { columns: request.source.columns }),
            })
          : traceFromRun(store, request.source.runId, widthOption);
      if (!source.ok) return { ok: false, problems: source.problems };
      const fit = fitTrace({
        model: request.model,
        trace: source.trace,
        ...(request.free ? { free: request.free } : {}),
        ...(request.start ? { start: request.start } : {}),
        ...(request.method ? { method: request.method } : {}),
        ...(request.presetName ? { presetName: request.presetName } : {}),
      });
      if (!fit.ok) return { ok: false, problems: fit.problems };
      if (fit.status === 'failed') return { ok: false, problems: [`the fit failed: ${fit.reason}`] };
      const estimates: Record<string, { value: number; standardError: number | null; relativeError: number | null }> = {};
      for (const [key, e] of Object.entries(fit.estimates)) {
        if (e) estimates[key] = { value: e.value, standardError: finiteOrNull(e.standardError), relativeError: finiteOrNull(e.relativeError) };
      }
      return {
        ok: true,
        model: fit.model,
        free: fit.free,
        params: { ...(fit.params as Record<string, number>) },
        estimates,
        residualRms: fit.residualRms,
        relativeResidualRms: fit.relativeResidualRms,
        converged: fit.converged,
        status: fit.status,
        reason: fit.reason,
        iterations: fit.iterations,
        evaluations: fit.evaluations,
        preset: fit.validPreset,
        presetProblems: fit.presetProblems,
        t: Float64Array.from(source.trace.reads, (r) => r.t),
        measured: Float64Array.from(fit.measured),
        fitted: Float64Array.from(fit.fitted),
        pulses: Float64Array.from(source.trace.pulses, (p) => p.t),
        sourceDescription: source.description,
      };
    },
  };
}
