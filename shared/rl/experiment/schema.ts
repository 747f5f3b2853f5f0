import { z } from 'zod';
import { ablations, builtInPresets, canAblate, parseDevicePreset } from '../../device';
import { dynamicMazeProblems, layoutProblems } from '../env/validate';
import { describeValue, fieldError, objectError, type RawIssue } from './messages';
import { tuningProblems, tuningSchema } from './tuning';
import { experimentWorkProblem } from './work-bound';

/**
 * The experiment file (JSON): environments, agent settings, the learning-rate strategies to
 * compare, seeds, episode cap and convergence window. Messages name the field and state what it
 * must be, because lab users edit these files by hand.
 */
export const EXPERIMENT_SCHEMA_VERSION = 1;

type Bounds = { gt?: number; gte?: number; lt?: number; lte?: number; int?: boolean };

function num(name: string, requirement: string, b: Bounds = {}) {
  const error = fieldError(name, requirement);
  let s = z.number({ error });
  if (b.int) s = s.int({ error });
  if (b.gt !== undefined) s = s.gt(b.gt, { error });
  if (b.gte !== undefined) s = s.gte(b.gte, { error });
  if (b.lt !== undefined) s = s.lt(b.lt, { error });
  if (b.lte !== undefined) s = s.lte(b.lte, { error });
  return s;
}

const unit = (name: string) => num(name, 'in [0, 1]', { gte: 0, lte: 1 });
const rate = (name: string) => num(name, 'in (0, 1]', { gt: 0, lte: 1 });
const positive = (name: string) => num(name, 'a positive number', { gt: 0 });
const count = (name: string, max = 1_000_000) => num(name, `an integer from 1 to ${max}`, { int: true, gte: 1, lte: max });
const text = (name: string) => z.string({ error: fieldError(name, 'a text') });
const idText = 'a short identifier of letters, digits, dots, dashes and underscores';
const id = (name: string) =>
  z.string({ error: fieldError(name, idText) }).regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: fieldError(name, idText) });

function strict<T extends z.core.$ZodLooseShape>(where: string, shape: T) {
  return z.strictObject(shape, { error: objectError(where, Object.keys(shape)) });
}

/** A discriminated union whose error says which kinds exist. */
function kinds<const O extends readonly [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]>(where: string, names: readonly string[], options: O) {
  return z.discriminatedUnion('kind', options as unknown as [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]], {
    error: (issue: RawIssue) => {
      const input = issue.input;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return `${where} must be an object (got ${describeValue(input)})`;
      const kind = (input as { kind?: unknown }).kind;
      // zod reports this at the object's `kind` field.
      return kind === undefined
        ? `${where} kind is missing: it must be one of ${names.join(', ')}`
        : `${where} kind must be one of ${names.join(', ')} (got ${describeValue(kind)})`;
    },
  }) as unknown as z.ZodDiscriminatedUnion<[...O]>;
}

// ---- environments --------------------------------------------------------------------------

const cellText = 'a [row, column] pair of non-negative integers';
const cell = z.tuple([num('row', 'a non-negative integer', { int: true, gte: 0 }), num('column', 'a non-negative integer', { int: true, gte: 0 })], {
  error: fieldError('cell', cellText),
});

export const mazeSchema = strict('maze', {
  layout: z
    .array(text('layout row'), { error: fieldError('layout', "a list of rows like \"S..#G\" ('#' wall, '.' free, 'S' start, 'G' goal)") })
    .min(1, { error: fieldError('layout', 'a list of at least one row') })
    .max(64, { error: fieldError('layout', 'at most 64 rows') })
    .refine((rows) => rows.every((r) => r.length >= 1 && r.length <= 64), { error: 'every layout row must have 1 to 64 cells' }),
  rewards: strict('rewards', {
    step: num('rewards.step', 'a number', {}),
    goal: num('rewards.goal', 'a number', {}),
    wall: num('rewards.wall', 'a number', {}),
  }),
  stepCap: count('stepCap', 100_000),
  slip: unit('slip'),
});

export const variantSchema = strict('variant', {
  goal: cell.optional(),
  start: cell.optional(),
  addWalls: z.array(cell, { error: fieldError('addWalls', `a list of ${cellText}s`) }).optional(),
  removeWalls: z.array(cell, { error: fieldError('removeWalls', `a list of ${cellText}s`) }).optional(),
});

const scheduleText = '{"every": N} or {"at": [episodes]}';
const scheduleSchema = z.union(
  [
    strict('schedule', { every: count('schedule.every') }),
    strict('schedule', {
      at: z
        .array(num('schedule.at[]', 'a positive integer episode index', { int: true, gte: 1 }), { error: fieldError('schedule.at', 'a list of episode indices') })
        .min(1, { error: fieldError('schedule.at', 'a non-empty list of episode indices') })
        .refine((at) => at.every((e, k) => k === 0 || e > at[k - 1]!), { error: 'schedule.at must list episodes in increasing order, each once' }),
    }),
  ],
  { error: (issue: RawIssue) => `schedule must be ${scheduleText} (got ${describeValue(issue.input)})` },
);

const environmentCommon = {
  id: id('id'),
  title: text('title'),
  /** Overrides the experiment's episode cap for this environment. */
  episodes: count('episodes').optional(),
  /** A published reduction to print next to ours (e.g. the paper's figure), in %. */
  reportedReductionPercent: num('reportedReductionPercent', 'a number (percent)', {}).optional(),
};

const staticMazeEnv = strict('environment', { ...environmentCommon, kind: z.literal('maze'), maze: mazeSchema }).superRefine((env, ctx) => {
  for (const p of layoutProblems(env.maze.layout)) ctx.addIssue({ code: 'custom', path: ['maze', ...p.path], message: p.message });
});

const dynamicMazeEnv = strict('environment', {
  ...environmentCommon,
  kind: z.literal('dynamic-maze'),
  maze: mazeSchema,
  variants: z.array(variantSchema, { error: fieldError('variants', 'a list of changes to the base maze') }).min(1, { error: fieldError('variants', 'a non-empty list') }),
  schedule: scheduleSchema,
}).superRefine((env, ctx) => {
  for (const p of dynamicMazeProblems(env)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
});

export const environmentKinds = ['maze', 'dynamic-maze'] as const;
export const environmentSchema = kinds('environment', environmentKinds, [staticMazeEnv, dynamicMazeEnv]);

// ---- agent ---------------------------------------------------------------------------------

const epsilonSchema = kinds('epsilon', ['constant', 'decay'], [
  strict('epsilon', { kind: z.literal('constant'), value: unit('epsilon.value') }),
  strict('epsilon', { kind: z.literal('decay'), start: unit('epsilon.start'), end: unit('epsilon.end'), rate: rate('epsilon.rate') }),
]);

export const agentSchema = strict('agent', {
  algorithm: z.enum(['q-learning', 'sarsa'], { error: fieldError('algorithm', 'q-learning or sarsa') }),
  gamma: unit('gamma'),
  epsilon: epsilonSchema,
  initialQ: num('initialQ', 'a number', {}).default(0),
});

// ---- strategies ----------------------------------------------------------------------------

const colour = z.string({ error: fieldError('color', 'a colour like "#1f77b4"') }).regex(/^#[0-9a-fA-F]{6}$/, { error: fieldError('color', 'a colour like "#1f77b4"') });
const strategyCommon = {
  id: id('id'),
  name: text('name').min(1, { error: fieldError('name', 'a non-empty text') }),
  /** Fixed colour for charts, so a strategy keeps its colour across views. */
  color: colour.optional(),
  notes: text('notes').optional(),
};

const presetNames = builtInPresets.map((p) => p.name);
const deviceRef = z.union([z.string(), z.record(z.string(), z.unknown())], {
  error: fieldError('device', `a built-in preset name (${presetNames.join(', ')}) or a device preset object`),
});

const spikeSchema = kinds('spike', ['every-episode', 'after-success', 'td-below'], [
  strict('spike', { kind: z.literal('every-episode') }),
  strict('spike', { kind: z.literal('after-success') }),
  strict('spike', { kind: z.literal('td-below'), threshold: positive('spike.threshold') }),
]);

/** About 0.1 of the 2 V, 10 ms calibration spike's efficacy on the intrinsic-gradient preset. */
export const DEFAULT_PULSE = { amplitude: 1.5, width: 0.001 } as const;

const deviceStrategy = strict('strategy', {
  ...strategyCommon,
  kind: z.literal('device'),
  device: deviceRef,
  noise: z.boolean({ error: fieldError('noise', 'true or false') }).default(true),
  map: strict('map', {
    kind: z.enum(['linear', 'log'], { error: fieldError('map.kind', 'linear or log') }).default('linear'),
    alphaMin: rate('map.alphaMin').default(0.01),
    alphaMax: rate('map.alphaMax').default(0.9),
    floor: num('map.floor', 'in (0, 1)', { gt: 0, lt: 1 }).optional(),
  }).default({ kind: 'linear', alphaMin: 0.01, alphaMax: 0.9 }),
  spike: spikeSchema.default({ kind: 'after-success' }),
  pulse: strict('pulse', { amplitude: positive('pulse.amplitude'), width: positive('pulse.width') }).default({ ...DEFAULT_PULSE }),
  secondsPerEpisode: num('secondsPerEpisode', 'a non-negative number of seconds', { gte: 0 }).default(1),
  readVoltage: positive('readVoltage').optional(),
  /** Physics switched off to see what it adds: ["second-state"] freezes the intrinsic-gradient barrier. */
  ablate: z.array(z.enum(ablations, { error: fieldError('ablate[]', ablations.join(' or ')) }), { error: fieldError('ablate', `a list of ${ablations.join(', ')}`) }).optional(),
}).superRefine((s, ctx) => {
  if (s.map.alphaMin > s.map.alphaMax) ctx.addIssue({ code: 'custom', path: ['map', 'alphaMin'], message: `map.alphaMin must not exceed map.alphaMax = ${s.map.alphaMax} (got ${s.map.alphaMin})` });
  const checkFloor = (preset: { model: string; params: object }) => {
    // The α map needs the conductance that maps to α_min; a model without a floor must be given one.
    if (!('gMin' in preset.params) && s.map.floor === undefined) {
      ctx.addIssue({ code: 'custom', path: ['map', 'floor'], message: `the ${preset.model} model has no conductance floor: give map.floor, the G/G0 that maps to α_min` });
    }
  };
  const checkAblations = (model: Parameters<typeof canAblate>[0]) => {
    for (const a of s.ablate ?? []) {
      if (!canAblate(model, a)) ctx.addIssue({ code: 'custom', path: ['ablate'], message: `ablate: the ${model} model has no ${a.replace('-', ' ')} to freeze` });
    }
  };
  if (typeof s.device === 'string') {
    const preset = builtInPresets.find((p) => p.name === s.device);
    if (!preset) ctx.addIssue({ code: 'custom', path: ['device'], message: `device must be a built-in preset (${presetNames.join(', ')}) or a preset object (got ${describeValue(s.device)})` });
    else {
      checkAblations(preset.model);
      checkFloor(preset);
    }
    return;
  }
  const parsed = parseDevicePreset(s.device);
  if (!parsed.ok) for (const p of parsed.problems) ctx.addIssue({ code: 'custom', path: ['device', ...(p.path ? p.path.split('.') : [])], message: p.message });
  else {
    checkAblations(parsed.preset.model);
    checkFloor(parsed.preset);
  }
});

/** A decay told of each change of the task starts again from n = 0 there: an oracle, labelled so. */
const decayCommon = {
  ...strategyCommon,
  restart: z.literal('at-change', { error: fieldError('restart', '"at-change" (the decay starts again at each change of the task: an oracle)') }).optional(),
};

const scheduleStrategies = [
  strict('strategy', { ...strategyCommon, kind: z.literal('constant'), alpha: rate('alpha') }),
  strict('strategy', { ...decayCommon, kind: z.literal('exponential'), alpha0: rate('alpha0'), rate: rate('rate'), alphaMin: unit('alphaMin') }),
  strict('strategy', { ...decayCommon, kind: z.literal('inverse-time'), alpha0: rate('alpha0'), k: num('k', 'a non-negative number', { gte: 0 }) }),
  strict('strategy', { ...decayCommon, kind: z.literal('polynomial'), alpha0: rate('alpha0'), omega: num('omega', 'in [0, 1]', { gte: 0, lte: 1 }) }),
  strict('strategy', { ...decayCommon, kind: z.literal('linear'), alpha0: rate('alpha0'), alphaEnd: rate('alphaEnd'), episodes: count('episodes') }),
  strict('strategy', {
    ...strategyCommon,
    kind: z.literal('success-gated'),
    alphaMax: rate('alphaMax'),
    alphaMin: unit('alphaMin'),
    drop: unit('drop'),
    tau: positive('tau'),
  }).superRefine((s, ctx) => {
    if (s.alphaMin > s.alphaMax) ctx.addIssue({ code: 'custom', path: ['alphaMin'], message: `alphaMin must not exceed alphaMax = ${s.alphaMax} (got ${s.alphaMin})` });
  }),
] as const;

export const strategyKinds = ['constant', 'exponential', 'inverse-time', 'polynomial', 'linear', 'success-gated', 'device'] as const;
export const strategySchema = kinds('strategy', strategyKinds, [...scheduleStrategies, deviceStrategy]);

// ---- the experiment ------------------------------------------------------------------------

const experimentShape = {
  schema: z.literal(EXPERIMENT_SCHEMA_VERSION, { error: fieldError('schema', `the experiment format version ${EXPERIMENT_SCHEMA_VERSION}`) }),
  name: id('name'),
  title: text('title'),
  /** Where the parameters come from; shown wherever results are. */
  provenance: text('provenance').min(1, { error: fieldError('provenance', 'a non-empty text saying where the parameters come from') }),
  notes: text('notes').optional(),
  seeds: count('seeds', 10_000),
  firstSeed: num('firstSeed', 'a non-negative integer', { int: true, gte: 0 }).default(0),
  episodes: count('episodes'),
  /** K: consecutive optimal greedy episodes that count as converged. */
  convergenceWindow: count('convergenceWindow', 10_000),
  agent: agentSchema,
  environments: z.array(environmentSchema, { error: fieldError('environments', 'a list of environments') }).min(1, { error: fieldError('environments', 'a non-empty list') }),
  strategies: z.array(strategySchema, { error: fieldError('strategies', 'a list of strategies') }).min(1, { error: fieldError('strategies', 'a non-empty list') }),
  /** How the tuned strategies were chosen (`workbench tune`): tuning seeds, budget, search spaces. */
  tuning: tuningSchema.optional(),
  comparison: strict('comparison', {
    /** The strategy under test (the device-driven one). */
    primary: id('comparison.primary'),
    /** The conventional baseline its reduction is reported against. */
    baseline: id('comparison.baseline'),
  }),
};

export const experimentSchema = z.strictObject(experimentShape, { error: objectError('the experiment', Object.keys(experimentShape)) }).superRefine((x, ctx) => {
  const dup = (list: readonly { id: string }[], where: 'environments' | 'strategies') => {
    const seen = new Set<string>();
    list.forEach((item, k) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [where, k, 'id'], message: `id '${item.id}' is used twice in ${where}; ids must be unique` });
      seen.add(item.id);
    });
  };
  dup(x.environments, 'environments');
  dup(x.strategies, 'strategies');
  const ids = x.strategies.map((s) => s.id);
  if (ids.length === 0) return;
  for (const key of ['primary', 'baseline'] as const) {
    if (!ids.includes(x.comparison[key])) {
      ctx.addIssue({ code: 'custom', path: ['comparison', key], message: `comparison.${key} must be the id of one of the strategies (${ids.join(', ')}); got '${x.comparison[key]}'` });
    }
  }
  if (x.comparison.primary === x.comparison.baseline && ids.includes(x.comparison.primary)) {
    ctx.addIssue({ code: 'custom', path: ['comparison', 'baseline'], message: 'comparison.baseline must differ from comparison.primary' });
  }
  if (x.tuning) for (const p of tuningProblems(x.strategies, x.tuning)) ctx.addIssue({ code: 'custom', path: ['tuning', ...p.path], message: p.message });
  x.environments.forEach((env, k) => {
    const episodes = env.episodes ?? x.episodes;
    if (episodes < x.convergenceWindow) {
      ctx.addIssue({ code: 'custom', path: ['environments', k, 'episodes'], message: `the episode cap (${episodes}) must be at least convergenceWindow = ${x.convergenceWindow}` });
    }
  });
  // The total work, last: every factor of it has been checked on its own above.
  const work = experimentWorkProblem(x);
  if (work) ctx.addIssue({ code: 'custom', path: work.path, message: work.message });
});

export type ExperimentInput = z.input<typeof experimentSchema>;
export type Experiment = z.output<typeof experimentSchema>;
export type EnvironmentSpec = Experiment['environments'][number];
export type StrategySpec = Experiment['strategies'][number];
export type DeviceStrategySpec = Extract<StrategySpec, { kind: 'device' }>;
