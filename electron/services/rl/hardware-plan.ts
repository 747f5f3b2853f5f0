import type { FieldProblem as Problem } from '../../../shared/contract/issues';
import type { DeviceStrategySpec, Experiment } from '../../../shared/rl';
import type { SafetyLimits } from '../../../shared/protocol';
import { prepareProtocol } from '../runs/protocol';

/**
 * What an RL run on a device will do to it and how long it will take, known before it starts:
 * the pulses (at most one spike per episode), checked against the safety limits in force exactly
 * like a protocol — as a train of the strategy's pulse with a read after each, one period per
 * episode — and the wall time: device time per episode plus the instrument's own overhead, per
 * episode, for every seed, plus the rests between seeds.
 */
export interface HardwarePlan {
  strategyId: string;
  environments: number;
  seeds: number;
  episodesPerSeed: number;
  /** Device time per episode (s): the strategy's secondsPerEpisode. */
  secondsPerEpisode: number;
  /** Measured overhead per episode (s): one pulse and one read's round trips; null when not measured. */
  overheadPerEpisode: number | null;
  restSeconds: number;
  /** episodes × seeds × environments × (device time + overhead) + rests between seeds. */
  wallSeconds: number;
  pulses: { max: number; amplitude: number; width: number };
  /** Every reason the run is refused, with its path in the experiment. */
  problems: Problem[];
}

export function hardwarePlan(x: Experiment, spec: DeviceStrategySpec, options: { seeds: number; limits: SafetyLimits; overheadPerEpisode: number | null; restSeconds: number }): HardwarePlan {
  const index = x.strategies.findIndex((s) => s.id === spec.id);
  const at = `strategies[${index}]`;
  const problems: Problem[] = [];
  const { amplitude, width } = spec.pulse;
  if (!(spec.secondsPerEpisode > width)) {
    problems.push({ path: `${at}.secondsPerEpisode`, message: `the device time per episode (${spec.secondsPerEpisode} s) must be longer than one pulse (${width} s) and its read` });
  }
  const episodesPerSeed = Math.max(...x.environments.map((e) => e.episodes ?? x.episodes));
  const doc = {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: 'RL device pulses',
    blocks: [{ kind: 'train', count: episodesPerSeed, amplitude: `${amplitude} V`, width: `${width} s`, period: `${Math.max(spec.secondsPerEpisode, width * 2)} s`, read: true }],
  };
  const prepared = prepareProtocol(doc, { limits: options.limits });
  if (!prepared.ok) for (const p of prepared.problems) problems.push({ path: strategyPath(at, p.path), message: p.message });
  const jobs = options.seeds * x.environments.length;
  const episodes = x.environments.reduce((n, e) => n + (e.episodes ?? x.episodes), 0) * options.seeds;
  const wallSeconds = episodes * (spec.secondsPerEpisode + (options.overheadPerEpisode ?? 0)) + Math.max(0, jobs - 1) * options.restSeconds;
  return {
    strategyId: spec.id,
    environments: x.environments.length,
    seeds: options.seeds,
    episodesPerSeed,
    secondsPerEpisode: spec.secondsPerEpisode,
    overheadPerEpisode: options.overheadPerEpisode,
    restSeconds: options.restSeconds,
    wallSeconds,
    pulses: { max: episodes, amplitude, width },
    problems,
  };
}

/** A problem of the stand-in protocol, named by the strategy field it comes from. */
function strategyPath(at: string, path: string | undefined): string {
  if (!path) return at;
  if (/amplitude/.test(path)) return `${at}.pulse.amplitude`;
  if (/width/.test(path)) return `${at}.pulse.width`;
  if (/period|duration|time/.test(path)) return `${at}.secondsPerEpisode`;
  return `${at} (${path})`;
}
