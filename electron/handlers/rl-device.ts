import { problemsUnder, summarizeProblems } from '../../shared/contract';
import type { RlHardwareChoice, RlPlan, rlDeviceRequests } from '../../shared/contract/areas/rl-device';
import type { Device } from '../../shared/device/device';
import { median } from '../../shared/stats';
import { experimentSeeds, parseExperiment, resolveDevicePreset, type DeviceStrategySpec, type Experiment } from '../../shared/rl';
import type { Handlers } from '../router';
import { ServiceError } from '../services/errors';
import { deviceExperiment, G0_BURST, referenceFromRun, referenceWarning, type HardwareRecord } from '../services/rl/device-run';
import { hardwarePlan } from '../services/rl/hardware-plan';
import { openNonInstrumentDevice } from '../services/rl/open-device';
import type { StartedRl } from '../services/rl';
import type { HandlerContext } from './context';

type RlDeviceHandlers = Pick<Handlers, keyof typeof rlDeviceRequests>;

const NOT_CONNECTED = 'no instrument is connected: connect one on the Instruments page (a virtual instrument will do) and try again';

function parsed(experiment: Record<string, unknown>): Experiment {
  const r = parseExperiment(experiment);
  if (!r.ok) throw new ServiceError('invalid_request', summarizeProblems(r.problems), { problems: problemsUnder('experiment', r.problems) });
  return r.experiment;
}

function deviceSpec(x: Experiment, strategy: string): DeviceStrategySpec {
  try {
    return deviceExperiment(x, strategy).spec;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ServiceError('invalid_request', message, { problems: [{ path: 'hardware.strategy', message }] });
  }
}

function readVoltageOf(spec: DeviceStrategySpec): number {
  return spec.readVoltage ?? resolveDevicePreset(spec.device).readVoltage;
}

function g0Of(ctx: HandlerContext, choice: RlHardwareChoice['g0']): { value: number; source: string } | null {
  if (choice.kind === 'entered') return { value: choice.value, source: 'entered' };
  if (choice.kind === 'run') {
    try {
      return referenceFromRun(ctx.store, choice.runId);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new ServiceError('invalid_request', message, { problems: [{ path: 'hardware.g0.runId', message }] });
    }
  }
  return null;
}

/** A burst of timed reads: the median G and the median time a read takes on this instrument. */
async function timedBurst(device: Device, voltage: number): Promise<{ g: number; readSeconds: number }> {
  const g: number[] = [];
  const t: number[] = [];
  for (let k = 0; k < G0_BURST; k++) {
    const t0 = performance.now();
    g.push((await device.read(voltage)).conductance);
    t.push((performance.now() - t0) / 1000);
  }
  return { g: median(g) ?? NaN, readSeconds: median(t) ?? NaN };
}

/**
 * RL on the connected instrument: the plan before a run, the start itself (the other strategies
 * run in simulation), pause / continue / stop of the device side, resume of a stored run, and what
 * each episode did to the device.
 */
export function rlDeviceHandlers(ctx: HandlerContext): RlDeviceHandlers {
  const { store, rl } = ctx;

  const plan = async (x: Experiment, seeds: number, hardware: RlHardwareChoice): Promise<RlPlan> => {
    const spec = deviceSpec(x, hardware.strategy);
    const g0 = g0Of(ctx, hardware.g0);
    const connected = ctx.instruments?.runBridge.connectedInstrument() ?? null;
    let measured: { g: number; readSeconds: number } | null = null;
    // Timing reads needs the instrument to itself: not while a run uses it.
    if (connected && !ctx.instruments!.runBridge.inUse) {
      const opened = ctx.instruments!.runBridge.openConnected();
      if (opened) {
        try {
          measured = await timedBurst(opened.device, readVoltageOf(spec));
        } finally {
          await opened.device.outputOff().catch(() => undefined);
          await opened.device.close();
        }
      }
    }
    // An episode costs one pulse and one read beyond its device time; a pulse's round trip is taken as a read's.
    const overhead = measured ? 2 * measured.readSeconds : null;
    const p = hardwarePlan(x, spec, { seeds, limits: ctx.settings.currentLimits(), overheadPerEpisode: overhead, restSeconds: hardware.restSeconds ?? 0 });
    const problems = [...p.problems];
    if (!connected) problems.unshift({ path: 'hardware', message: NOT_CONNECTED });
    return {
      ...p,
      instrument: connected,
      g0,
      gNow: measured?.g ?? null,
      warning: measured && g0 ? referenceWarning(measured.g, g0.value) : null,
      problems,
    };
  };

  return {

    'rl.plan': async ({ experiment, seeds, hardware }) => {
      const x = parsed(experiment);
      return plan(x, experimentSeeds(x, seeds).length, hardware);
    },

    'rl.pause': ({ id }) => rl.pause(id),
    'rl.continue': ({ id }) => rl.continue(id),
    'rl.stop': ({ id }) => rl.stop(id),
    'rl.deviceState': () => rl.deviceState(),

    'rl.resume': ({ id }) => {
      const record = store.rlRuns.get(id).hardware as HardwareRecord | null;
      if (!record || typeof record.g0 !== 'number') throw new ServiceError('invalid_request', `RL run ${id} did not run on a device: there is nothing to resume on one.`);
      const spec = String(record.reopen?.device ?? '');
      const other = openNonInstrumentDevice(store, spec, typeof record.reopen?.seed === 'number' ? record.reopen.seed : null);
      let opened: { device: Device; identity: string | null };
      if (other) {
        opened = { device: other.device, identity: null };
      } else {
        const connected = ctx.instruments?.runBridge.openConnected() ?? null;
        if (!connected) throw new ServiceError('conflict', `this run ran on an instrument (${record.identity ?? spec}); ${NOT_CONNECTED}`);
        opened = connected;
      }
      let started: StartedRl;
      try {
        started = rl.resume(id, { ...opened, closeAtEnd: true });
      } catch (e) {
        void opened.device.close().catch(() => undefined);
        throw e;
      }
      return { rlRunId: started.id };
    },

    'rl.deviceEpisodes': ({ id }) => {
      const run = store.rlRuns.get(id);
      const rows = store.rlCheckpoints.deviceEpisodes(id);
      return {
        environmentId: rows.map((r) => r.environmentId),
        seed: Int32Array.from(rows, (r) => r.seed),
        episode: Int32Array.from(rows, (r) => r.episode),
        gBefore: Float64Array.from(rows, (r) => r.gBefore ?? Number.NaN),
        gAfter: Float64Array.from(rows, (r) => r.gAfter ?? Number.NaN),
        alpha: Float64Array.from(rows, (r) => r.alpha),
        pulses: Int32Array.from(rows, (r) => r.pulses),
        steps: Int32Array.from(rows, (r) => r.values.steps),
        success: rows.map((r) => r.values.success === 1),
        startedAt: rows.map((r) => r.startedAt),
        endedAt: rows.map((r) => r.endedAt),
        hardware: run.hardware,
      };
    },
  };
}


/** rl.start with a strategy on the connected instrument: its pulses checked, G0 resolved, the instrument opened for the run. */
export async function startOnConnected(ctx: HandlerContext, request: { experiment: Experiment; seeds?: number | undefined; name?: string | undefined; experimentId?: string | undefined; hardware: RlHardwareChoice; deviceId?: string | undefined }): Promise<StartedRl> {
  const x = request.experiment;
  const spec = deviceSpec(x, request.hardware.strategy);
  const seeds = experimentSeeds(x, request.seeds).length;
  const checked = hardwarePlan(x, spec, { seeds, limits: ctx.settings.currentLimits(), overheadPerEpisode: null, restSeconds: request.hardware.restSeconds ?? 0 });
  if (checked.problems.length > 0) {
    throw new ServiceError('invalid_request', `the device strategy's pulses are refused: ${summarizeProblems(checked.problems)}`, { problems: problemsUnder('experiment', checked.problems) });
  }
  const g0 = g0Of(ctx, request.hardware.g0);
  const opened = ctx.instruments?.runBridge.openConnected() ?? null;
  if (!opened) throw new ServiceError('conflict', NOT_CONNECTED, { problems: [{ path: 'hardware', message: NOT_CONNECTED }] });
  try {
    return await ctx.rl.startOnDevice({
      experiment: x,
      seeds: request.seeds,
      name: request.name,
      experimentId: request.experimentId,
      ...(request.deviceId ? { deviceId: request.deviceId } : {}),
      hardware: { strategyId: spec.id, device: opened.device, identity: opened.identity, reopen: opened.reopen, restSeconds: request.hardware.restSeconds ?? 0, closeAtEnd: true, ...(g0 ? { g0 } : {}) },
    });
  } catch (e) {
    await opened.device.close().catch(() => undefined);
    throw e;
  }
}

