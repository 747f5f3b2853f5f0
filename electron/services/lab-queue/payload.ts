/**
 * What travels on the lab's job queue (#16), and how a result is stored: pure functions, no I/O.
 *
 * A job is one (environment × strategy × seed) of an RL comparison — the same unit `workbench
 * reproduce` runs on its threads, so the assembled comparison is the local one, number for number —
 * or one (grid point × seed) run of a simulation sweep, the run `workbench simulate` makes.
 * Its identity (sweep, job key) is what makes a retried job write its row at most once.
 */
import { instrumentNameProblem } from '../../../shared/lab/instrument-name';
import type { RunResult } from '../../../shared/rl';
import { ServiceError } from '../errors';

/** The queue every PC's worker serves. */
export const GENERAL_QUEUE = 'wb-sweep';
/** The queue of one instrument: only the worker of the PC that owns it subscribes to it. */
export function instrumentQueue(instrument: string): string {
  const problem = instrumentNameProblem(instrument);
  if (problem !== null) throw new ServiceError('invalid_request', problem);
  return `${GENERAL_QUEUE}-instrument-${instrument}`;
}

export interface SweepJobData {
  sweepId: string;
  environmentId: string;
  strategyId: string;
  seed: number;
}

/** One (grid point × seed) run of a simulation sweep; `point` indexes the sweep's grid points. */
export interface SimulationJobData {
  kind: 'simulation';
  sweepId: string;
  point: number;
  seed: number;
}

/** A simulation job's identity within its sweep (also the seed of its lab run's id). */
export function simulationJobKey(d: Pick<SimulationJobData, 'point' | 'seed'>): string {
  return `point-${d.point}/seed-${d.seed}`;
}

/** The job's identity within its sweep. */
export function jobKey(d: Pick<SweepJobData, 'environmentId' | 'strategyId' | 'seed'>): string {
  return `${d.environmentId}/${d.strategyId}/${d.seed}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID = /^[A-Za-z0-9_.:-]{1,200}$/;

export type PayloadCheck = { ok: true; data: SweepJobData | SimulationJobData } | { ok: false; reason: string };

const wholeNumber = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** Checks a job's data as it came off the queue; any other shape is a reason, never a throw. */
export function checkJobData(raw: unknown): PayloadCheck {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, reason: `the job's data is ${raw === null ? 'null' : Array.isArray(raw) ? 'a list' : typeof raw}, not an object` };
  }
  const o = raw as Record<string, unknown>;
  if (o.kind === 'simulation') return checkSimulationJob(o);
  const extra = Object.keys(o).filter((k) => !['sweepId', 'environmentId', 'strategyId', 'seed'].includes(k));
  if (extra.length > 0) return { ok: false, reason: `the job's data has unknown field(s): ${extra.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}` };
  if (typeof o.sweepId !== 'string' || !UUID.test(o.sweepId)) return { ok: false, reason: "the job's sweepId is missing or not a UUID" };
  for (const f of ['environmentId', 'strategyId'] as const) {
    const v = o[f];
    if (typeof v !== 'string' || !ID.test(v)) return { ok: false, reason: `the job's ${f} is missing or not an id (letters, digits, _ . : -)` };
  }
  if (!wholeNumber(o.seed)) return { ok: false, reason: "the job's seed is missing or not a non-negative integer" };
  return { ok: true, data: { sweepId: o.sweepId.toLowerCase(), environmentId: o.environmentId as string, strategyId: o.strategyId as string, seed: o.seed } };
}

function checkSimulationJob(o: Record<string, unknown>): PayloadCheck {
  const extra = Object.keys(o).filter((k) => !['kind', 'sweepId', 'point', 'seed'].includes(k));
  if (extra.length > 0) return { ok: false, reason: `the job's data has unknown field(s): ${extra.slice(0, 5).map((k) => JSON.stringify(k)).join(', ')}` };
  if (typeof o.sweepId !== 'string' || !UUID.test(o.sweepId)) return { ok: false, reason: "the job's sweepId is missing or not a UUID" };
  if (!wholeNumber(o.point)) return { ok: false, reason: "the job's point is missing or not a non-negative integer" };
  if (!wholeNumber(o.seed)) return { ok: false, reason: "the job's seed is missing or not a non-negative integer" };
  return { ok: true, data: { kind: 'simulation', sweepId: o.sweepId.toLowerCase(), point: o.point, seed: o.seed } };
}

/** What a stored result keeps: everything compareResults reads; the per-episode traces stay out. */
export type StoredResult = Omit<RunResult, 'episodes'>;

/**
 * A result as text, every number exactly: JSON writes the shortest decimal that reads back to the
 * same double, and the values JSON has no word for (NaN, ±Infinity; a censored figure may be one)
 * travel as {"$n": "NaN"}.
 */
export function encodeResult(r: RunResult | StoredResult): string {
  const { episodes: _drop, ...kept } = r as RunResult;
  void _drop;
  return JSON.stringify(kept, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $n: String(v) } : v));
}

export function decodeResult(text: string): StoredResult {
  return JSON.parse(text, (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const n = (v as { $n?: unknown }).$n;
      if (keys.length === 1 && (n === 'NaN' || n === 'Infinity' || n === '-Infinity')) return Number(n);
    }
    return v;
  }) as StoredResult;
}
