import { formatCount, formatPercent, formatSI } from '../units';
import { MAX_NESTING, exceeds } from './defaults';
import {
  BLOCK_FIELDS,
  BLOCK_KINDS,
  SWEEP_PARAMETERS,
  SWEEP_PARAMETER_NAMES,
  isSweepParameter,
  takesParameter,
  type Block,
  type BlockKind,
  type ReadAfter,
  type ReadSettings,
  type SweepParameter,
} from './document';
import {
  checkKnownFields,
  closest,
  describeJson,
  has,
  isRecord,
  own,
  quantityValue,
  readCount,
  readQuantity,
  readText,
  type JsonObject,
  type ProblemList,
  type QuantityField,
} from './fields';
import { describeLimit, type SafetyLimits } from './limits';
import { childPath } from './problems';
import { resolveRead, type ResolvedRead } from './reads';
import { rampCount, readsDuring } from './timing';

export interface BlockContext {
  readonly problems: ProblemList;
  readonly limits: SafetyLimits;
  readonly readDefaults: ResolvedRead;
  /** id → path of the block that has it. */
  readonly ids: Map<string, string>;
  /** Problems to report once per document, already reported. */
  readonly once: Set<string>;
}

/** What an enclosing sweep binds: its valid values and where it is. */
interface Binding {
  readonly values: readonly number[];
  readonly path: string;
}

interface Scope {
  readonly bindings: ReadonlyMap<SweepParameter, Binding>;
  readonly depth: number;
}

/**
 * What a part of a document does, for the limits that apply to the whole: pulses and reads (upper
 * bounds when an until may stop early or a sweep varies a wait's duration), whether it reads at
 * all, and which sweep parameters it took from enclosing sweeps.
 */
export interface Tally {
  pulses: number;
  reads: number;
  exact: boolean;
  hasRead: boolean;
  uses: Set<SweepParameter>;
}

function emptyTally(): Tally {
  return { pulses: 0, reads: 0, exact: true, hasRead: false, uses: new Set() };
}

function addTally(into: Tally, part: Tally, times = 1): void {
  into.pulses += times * part.pulses;
  into.reads += times * part.reads;
  into.exact &&= part.exact;
  into.hasRead ||= part.hasRead;
  for (const p of part.uses) into.uses.add(p);
}

/** The values a parameter takes in a block: its own, or those of the enclosing sweep. */
interface Param {
  readonly values: readonly number[];
  readonly sweep?: string;
}

const KIND_NAMES: Readonly<Record<BlockKind, string>> = {
  pulse: 'a pulse block',
  train: 'a train block',
  read: 'a read block',
  wait: 'a wait block',
  ramp: 'a ramp block',
  repeat: 'a repeat block',
  sweep: 'a sweep block',
  until: 'an until block',
};

export function validateBlocks(ctx: BlockContext, raw: unknown, path: string): { blocks: Block[]; tally: Tally } {
  return validateBody(ctx, raw, path, { bindings: new Map(), depth: 0 });
}

function validateBody(ctx: BlockContext, raw: unknown, path: string, scope: Scope): { blocks: Block[]; tally: Tally } {
  const tally = emptyTally();
  const blocks: Block[] = [];
  const name = path.endsWith('body') ? 'body' : 'blocks';
  if (raw === undefined) {
    ctx.problems.add(path, 'missing', `missing ${name}: give a list of blocks`);
    return { blocks, tally };
  }
  if (!Array.isArray(raw)) {
    ctx.problems.add(path, 'type', `${name} must be a list of blocks; got ${describeJson(raw)}`);
    return { blocks, tally };
  }
  if (raw.length === 0) {
    ctx.problems.add(path, 'structure', `${name} must have at least one block`);
    return { blocks, tally };
  }
  if (scope.depth > MAX_NESTING) {
    ctx.problems.add(path, 'structure', `blocks are nested more than ${MAX_NESTING} deep`);
    return { blocks, tally };
  }
  // By index, not forEach: a sparse array's holes must be reported, not skipped.
  for (let k = 0; k < raw.length; k++) {
    const result = validateBlock(ctx, raw[k], childPath(path, k), scope);
    if (result.block) blocks.push(result.block);
    addTally(tally, result.tally);
  }
  return { blocks, tally };
}

function validateBlock(ctx: BlockContext, raw: unknown, path: string, scope: Scope): { block?: Block; tally: Tally } {
  if (!isRecord(raw)) {
    ctx.problems.add(path, 'type', `a block must be an object such as {"kind": "pulse", …}; got ${describeJson(raw)}`);
    return { tally: emptyTally() };
  }
  const kind = own(raw, 'kind');
  if (!isBlockKind(kind)) {
    const known = BLOCK_KINDS.join(', ');
    if (kind === undefined) ctx.problems.add(childPath(path, 'kind'), 'missing', `missing kind: give one of ${known}`);
    else {
      const near = typeof kind === 'string' ? closest(kind, BLOCK_KINDS) : undefined;
      const hint = near === undefined ? `expected one of ${known}` : `did you mean '${near}'?`;
      ctx.problems.add(childPath(path, 'kind'), 'type', `unknown block kind ${describeJson(kind)}; ${hint}`);
    }
    return { tally: emptyTally() };
  }
  const id = readText(ctx.problems, raw, 'id', path, { required: false });
  if (id !== undefined) {
    const earlier = ctx.ids.get(id);
    if (id.trim() === '') ctx.problems.add(childPath(path, 'id'), 'range', 'id must not be empty');
    else if (earlier !== undefined) ctx.problems.add(childPath(path, 'id'), 'duplicate-id', `id '${id}' is already used by ${earlier}`);
    else ctx.ids.set(id, path);
  }
  const label = readText(ctx.problems, raw, 'label', path, { required: false });
  checkKnownFields(ctx.problems, raw, path, ['kind', 'id', 'label', ...BLOCK_FIELDS[kind]], KIND_NAMES[kind]);
  const b = new BlockReader(ctx, raw, path, scope, kind);
  const { fields, tally } = KIND_VALIDATORS[kind](b);
  const block = compact({ kind, id, label, ...fields }) as unknown as Block;
  return { block, tally };
}

function isBlockKind(x: unknown): x is BlockKind {
  return typeof x === 'string' && (BLOCK_KINDS as readonly string[]).includes(x);
}

function compact(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

type KindValidator = (b: BlockReader) => { fields: Record<string, unknown>; tally: Tally };

/** Reads the fields of one block, recording problems against its path. */
class BlockReader {
  readonly tally = emptyTally();

  constructor(
    readonly ctx: BlockContext,
    readonly obj: JsonObject,
    readonly path: string,
    readonly scope: Scope,
    readonly kind: BlockKind,
  ) {}

  get limits(): SafetyLimits {
    return this.ctx.limits;
  }

  at(key: string): string {
    return childPath(this.path, key);
  }

  quantity(key: string, field: QuantityField): number | undefined {
    return readQuantity(this.ctx.problems, this.obj, key, this.path, field);
  }

  count(key: string, required: boolean): number | undefined {
    return readCount(this.ctx.problems, this.obj, key, this.path, { required });
  }

  /**
   * A parameter a sweep may set: required unless an enclosing sweep binds it. Its own value, when
   * given, is checked like any other even though the sweep's values are the ones used.
   */
  sweepable(key: SweepParameter, field: Omit<QuantityField, 'required'> & { required?: boolean }): { own?: number; param?: Param } {
    const binding = takesParameter(this.kind, key) ? this.scope.bindings.get(key) : undefined;
    const own = this.quantity(key, { ...field, required: binding === undefined && (field.required ?? true) });
    if (own !== undefined) this.checkIntrinsicLimit(key, own, this.at(key));
    if (binding !== undefined) {
      this.tally.uses.add(key);
      return { own, param: { values: binding.values, sweep: binding.path } };
    }
    return { own, param: own === undefined ? undefined : { values: [own] } };
  }

  /** Limits that hold for a value on its own, wherever it is written. */
  checkIntrinsicLimit(key: SweepParameter | 'from' | 'to' | 'voltage', value: number, path: string): void {
    checkIntrinsicLimit(this.ctx, key, value, path);
  }

  /** A `read` field: true, false, or settings; returns the read it asks for (undefined: none). */
  readAfter(key = 'read'): { value?: ReadAfter; read?: ResolvedRead } {
    const raw = own(this.obj, key);
    if (raw === undefined) return {};
    if (typeof raw === 'boolean') {
      if (raw) this.usesDefaultVoltage();
      return { value: raw, read: resolveRead(raw, this.ctx.readDefaults) };
    }
    if (!isRecord(raw)) {
      this.ctx.problems.add(this.at(key), 'type', `${key} must be true, false or read settings such as {"voltage": "0.1 V"}; got ${describeJson(raw)}`);
      return {};
    }
    const settings = validateReadSettings(this.ctx, raw, this.at(key));
    if (settings.voltage === undefined) this.usesDefaultVoltage();
    return { value: settings, read: resolveRead(settings, this.ctx.readDefaults) };
  }

  /**
   * A read at the default voltage must respect the limits too (a protocol capped at 50 mV cannot
   * read at 0.1 V). Reported once, at the first block that reads so.
   */
  usesDefaultVoltage(): void {
    const v = this.ctx.readDefaults.voltage;
    if (!exceeds(Math.abs(v), this.limits.maxVoltage) || this.ctx.once.has('default-read-voltage')) return;
    this.ctx.once.add('default-read-voltage');
    this.ctx.problems.add(
      this.path,
      'limit',
      `this block reads at the default read voltage ${formatSI(v, 'V')}, which exceeds ${describeLimit('maxVoltage', this.limits.maxVoltage)}; set a lower voltage in the document's read settings`,
    );
  }

  /** Duty cycle and fit in time of pulses repeated every period, each maybe followed by a read. */
  checkPeriodic(width: Param | undefined, period: Param | undefined, read: ResolvedRead | undefined): void {
    if (!width || !period || width.values.length === 0 || period.values.length === 0) return;
    const w = Math.max(...width.values);
    const p = Math.min(...period.values);
    const from = sources(width, period);
    const duty = w / p;
    if (exceeds(duty, this.limits.maxDutyCycle)) {
      this.ctx.problems.add(
        this.at('period'),
        'limit',
        `duty cycle ${formatPercent(duty)} (${formatSI(w, 's')} pulses every ${formatSI(p, 's')}${from}) exceeds ${describeLimit('maxDutyCycle', this.limits.maxDutyCycle)}`,
      );
    }
    const busy = w + (read?.integration ?? 0);
    if (exceeds(busy, p)) {
      const parts = read ? `the ${formatSI(w, 's')} pulse plus its ${formatSI(read.integration, 's')} read` : `the ${formatSI(w, 's')} pulse`;
      this.ctx.problems.add(this.at('period'), 'timing', `period ${formatSI(p, 's')}${from} is shorter than ${parts}; it must be at least ${formatSI(busy, 's')}`);
    }
  }

  body(parameter?: { name: SweepParameter; binding: Binding }): { blocks: Block[]; tally: Tally } {
    const bindings = new Map(this.scope.bindings);
    if (parameter) bindings.set(parameter.name, parameter.binding);
    return validateBody(this.ctx, own(this.obj, 'body'), this.at('body'), { bindings, depth: this.scope.depth + 1 });
  }
}

function sources(width: Param, period: Param): string {
  const parts: string[] = [];
  if (width.sweep) parts.push(`width from the sweep at ${width.sweep}`);
  if (period.sweep) parts.push(`period from the sweep at ${period.sweep}`);
  return parts.length === 0 ? '' : `, ${parts.join(', ')}`;
}

function checkIntrinsicLimit(ctx: BlockContext, key: string, value: number, path: string): void {
  const { limits } = ctx;
  if ((key === 'amplitude' || key === 'from' || key === 'to' || key === 'voltage') && exceeds(Math.abs(value), limits.maxVoltage)) {
    const what = key === 'voltage' ? 'read voltage' : key === 'amplitude' ? 'amplitude' : `ramp ${key}`;
    ctx.problems.add(path, 'limit', `${what} ${formatSI(value, 'V')} exceeds ${describeLimit('maxVoltage', limits.maxVoltage)}`);
  }
  if (key === 'width' && exceeds(value, limits.maxWidth)) {
    ctx.problems.add(path, 'limit', `width ${formatSI(value, 's')} exceeds ${describeLimit('maxWidth', limits.maxWidth)}`);
  }
}

/** `voltage` and `integration` of a read, as in a block's `read` or the document's `read`. */
export function validateReadSettings(ctx: BlockContext, obj: JsonObject, path: string): ReadSettings {
  checkKnownFields(ctx.problems, obj, path, ['voltage', 'integration'], 'read settings');
  const voltage = readQuantity(ctx.problems, obj, 'voltage', path, { unit: 'V', required: false, sign: 'nonZero' });
  if (voltage !== undefined) checkIntrinsicLimit(ctx, 'voltage', voltage, childPath(path, 'voltage'));
  const integration = readQuantity(ctx.problems, obj, 'integration', path, { unit: 's', required: false, sign: 'positive' });
  return compact({ voltage, integration }) as ReadSettings;
}

const pulse: KindValidator = (b) => {
  const amplitude = b.sweepable('amplitude', { unit: 'V' });
  const width = b.sweepable('width', { unit: 's', sign: 'positive' });
  const read = b.readAfter();
  Object.assign(b.tally, { pulses: 1, reads: read.read ? 1 : 0, hasRead: read.read !== undefined });
  return { fields: { amplitude: amplitude.own, width: width.own, read: read.value }, tally: b.tally };
};

const train: KindValidator = (b) => {
  const count = b.count('count', true);
  const amplitude = b.sweepable('amplitude', { unit: 'V' });
  const width = b.sweepable('width', { unit: 's', sign: 'positive' });
  const period = b.sweepable('period', { unit: 's', sign: 'positive' });
  const read = b.readAfter();
  b.checkPeriodic(width.param, period.param, read.read);
  const n = count ?? 0;
  Object.assign(b.tally, { pulses: n, reads: read.read ? n : 0, hasRead: read.read !== undefined });
  return { fields: { count, amplitude: amplitude.own, width: width.own, period: period.own, read: read.value }, tally: b.tally };
};

const read: KindValidator = (b) => {
  const voltage = b.quantity('voltage', { unit: 'V', required: false, sign: 'nonZero' });
  if (voltage !== undefined) b.checkIntrinsicLimit('voltage', voltage, b.at('voltage'));
  else if (!has(b.obj, 'voltage')) b.usesDefaultVoltage();
  const integration = b.quantity('integration', { unit: 's', required: false, sign: 'positive' });
  const count = b.count('count', false);
  const interval = b.sweepable('interval', { unit: 's', sign: 'positive', required: (count ?? 1) > 1 });
  const effectiveIntegration = integration ?? b.ctx.readDefaults.integration;
  const shortest = interval.param && interval.param.values.length > 0 ? Math.min(...interval.param.values) : undefined;
  if (shortest !== undefined && exceeds(effectiveIntegration, shortest)) {
    const from = interval.param?.sweep ? ` (from the sweep at ${interval.param.sweep})` : '';
    b.ctx.problems.add(b.at('interval'), 'timing', `interval ${formatSI(shortest, 's')}${from} is shorter than the read's integration time ${formatSI(effectiveIntegration, 's')}`);
  }
  Object.assign(b.tally, { reads: count ?? 1, hasRead: true });
  return { fields: { voltage, integration, count, interval: interval.own }, tally: b.tally };
};

const wait: KindValidator = (b) => {
  const duration = b.sweepable('duration', { unit: 's', sign: 'nonNegative' });
  const readEvery = b.quantity('readEvery', { unit: 's', required: false, sign: 'positive' });
  const read = b.readAfter();
  let settings: ResolvedRead | undefined;
  if (readEvery !== undefined) {
    if (read.value === false) b.ctx.problems.add(b.at('read'), 'structure', 'readEvery asks for reads but read is false; remove one of them');
    settings = read.read ?? b.ctx.readDefaults;
    if (read.value === undefined) b.usesDefaultVoltage();
    if (exceeds(settings.integration, readEvery)) {
      b.ctx.problems.add(b.at('readEvery'), 'timing', `readEvery ${formatSI(readEvery, 's')} is shorter than the read's integration time ${formatSI(settings.integration, 's')}`);
    }
  } else if (read.value !== undefined && read.value !== false) {
    b.ctx.problems.add(b.at('read'), 'structure', 'read settings need readEvery (how often to read during the wait)');
  }
  const longest = duration.param && duration.param.values.length > 0 ? Math.max(...duration.param.values) : 0;
  const reads = readEvery === undefined ? 0 : readsDuring(longest, readEvery);
  Object.assign(b.tally, { reads, hasRead: reads > 0, exact: !(readEvery !== undefined && duration.param?.sweep) });
  return { fields: { duration: duration.own, readEvery, read: read.value }, tally: b.tally };
};

const ramp: KindValidator = (b) => {
  const from = b.quantity('from', { unit: 'V', required: true });
  const to = b.quantity('to', { unit: 'V', required: true });
  const step = b.quantity('step', { unit: 'V', required: true, sign: 'positive' });
  if (from !== undefined) b.checkIntrinsicLimit('from', from, b.at('from'));
  if (to !== undefined) b.checkIntrinsicLimit('to', to, b.at('to'));
  const width = b.sweepable('width', { unit: 's', sign: 'positive' });
  const period = b.sweepable('period', { unit: 's', sign: 'positive' });
  const read = b.readAfter();
  b.checkPeriodic(width.param, period.param, read.read);
  const n = from !== undefined && to !== undefined && step !== undefined ? rampCount(from, to, step) : 0;
  Object.assign(b.tally, { pulses: n, reads: read.read ? n : 0, hasRead: read.read !== undefined });
  return { fields: { from, to, step, width: width.own, period: period.own, read: read.value }, tally: b.tally };
};

const repeat: KindValidator = (b) => {
  const times = b.count('times', true);
  const body = b.body();
  addTally(b.tally, body.tally, times ?? 0);
  return { fields: { times, body: body.blocks }, tally: b.tally };
};

const SWEEP_VALUE_SIGN = { amplitude: 'any', width: 'positive', period: 'positive', duration: 'nonNegative', interval: 'positive' } as const;

const sweep: KindValidator = (b) => {
  const rawParameter = own(b.obj, 'parameter');
  let parameter: SweepParameter | undefined;
  if (rawParameter === undefined) b.ctx.problems.add(b.at('parameter'), 'missing', `missing parameter: give one of ${SWEEP_PARAMETER_NAMES.join(', ')}`);
  else if (!isSweepParameter(rawParameter)) {
    b.ctx.problems.add(b.at('parameter'), 'type', `parameter must be one of ${SWEEP_PARAMETER_NAMES.join(', ')}; got ${describeJson(rawParameter)}`);
  } else parameter = rawParameter;

  const rawValues = own(b.obj, 'values');
  const values: number[] = [];
  if (rawValues === undefined) b.ctx.problems.add(b.at('values'), 'missing', 'missing values: give the list of values to sweep over');
  else if (!Array.isArray(rawValues)) b.ctx.problems.add(b.at('values'), 'type', `values must be a list; got ${describeJson(rawValues)}`);
  else if (rawValues.length === 0) b.ctx.problems.add(b.at('values'), 'structure', 'values must have at least one value');
  else if (parameter !== undefined) {
    const { unit } = SWEEP_PARAMETERS[parameter];
    for (let k = 0; k < rawValues.length; k++) {
      const at = childPath(b.at('values'), k);
      const v = quantityValue(b.ctx.problems, rawValues[k], at, parameter, unit, SWEEP_VALUE_SIGN[parameter]);
      if (v !== undefined) {
        b.checkIntrinsicLimit(parameter, v, at);
        values.push(v);
      }
    }
  }

  const binding = parameter === undefined ? undefined : { name: parameter, binding: { values, path: b.path } };
  const body = b.body(binding);
  if (parameter !== undefined && has(b.obj, 'body') && body.blocks.length > 0 && !body.tally.uses.has(parameter)) {
    const kinds = SWEEP_PARAMETERS[parameter].kinds.join(' or ');
    b.ctx.problems.add(b.at('parameter'), 'structure', `a sweep over ${parameter} changes nothing: its body has no ${kinds} block that uses a ${parameter}`);
  }
  const times = Array.isArray(rawValues) ? rawValues.length : 0;
  addTally(b.tally, body.tally, times);
  // The body's uses of this parameter are this sweep's, not an enclosing one's.
  if (parameter !== undefined) b.tally.uses.delete(parameter);
  return { fields: { parameter, values, body: body.blocks }, tally: b.tally };
};

const until: KindValidator = (b) => {
  const when = own(b.obj, 'when');
  if (when === undefined) b.ctx.problems.add(b.at('when'), 'missing', "missing when: give 'above' or 'below'");
  else if (when !== 'above' && when !== 'below') b.ctx.problems.add(b.at('when'), 'type', `when must be 'above' or 'below'; got ${describeJson(when)}`);
  const threshold = b.quantity('threshold', { unit: 'S', required: false, sign: 'positive' });
  const relative = b.quantity('relative', { unit: '', required: false, sign: 'positive' });
  const hasThreshold = has(b.obj, 'threshold');
  const hasRelative = has(b.obj, 'relative');
  if (!hasThreshold && !hasRelative) {
    b.ctx.problems.add(b.path, 'missing', "an until needs threshold (a conductance such as '5 µS') or relative (a factor of the starting G such as 0.5 or '50 %')");
  } else if (hasThreshold && hasRelative) {
    b.ctx.problems.add(b.path, 'structure', 'give threshold or relative, not both');
  }
  if (relative !== undefined && when === 'below' && relative >= 1) {
    b.ctx.problems.add(b.at('relative'), 'range', `relative ${formatPercent(relative)} with when 'below' is met before anything happens (G starts at 100 %); use a factor below 1`);
  }
  if (relative !== undefined && when === 'above' && relative <= 1) {
    b.ctx.problems.add(b.at('relative'), 'range', `relative ${formatPercent(relative)} with when 'above' is met before anything happens (G starts at 100 %); use a factor above 1`);
  }
  if (hasRelative) b.usesDefaultVoltage();
  const maxIterations = b.count('maxIterations', true);
  const body = b.body();
  if (body.blocks.length > 0 && !body.tally.hasRead) {
    b.ctx.problems.add(b.at('body'), 'structure', 'an until must read G in its body to know when to stop: add a read block, or read: true on a pulse, train or ramp');
  }
  addTally(b.tally, body.tally, maxIterations ?? 0);
  b.tally.reads += hasRelative ? 1 : 0;
  b.tally.exact = false;
  return {
    fields: { when: when === 'above' || when === 'below' ? when : undefined, threshold, relative, maxIterations, body: body.blocks },
    tally: b.tally,
  };
};

const KIND_VALIDATORS: Readonly<Record<BlockKind, KindValidator>> = { pulse, train, read, wait, ramp, repeat, sweep, until };

/** "1,000 pulses" / "up to 1,000 pulses", for the limit messages on the whole document. */
export function describeTotal(n: number, exact: boolean, noun: string): string {
  return `${exact ? '' : 'up to '}${formatCount(n)} ${noun}`;
}
