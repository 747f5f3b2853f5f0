import { formatCount, formatPercent, formatSI } from '../units';
import { exceeds } from './defaults';
import { takesParameter, type Block, type BlockKind, type ReadAfter, type ReadSettings, type SweepParameter } from './document';
import { checkKnownFields, describeJson, isRecord, own, readCount, readQuantity, type JsonObject, type ProblemList, type QuantityField } from './fields';
import { describeLimit, type SafetyLimits } from './limits';
import { childPath } from './problems';
import { resolveRead, type ResolvedRead } from './reads';
import { emptyTally, type Tally } from './tally';

/** What every block of one document is validated against, and what validation has seen so far. */
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
export interface Binding {
  readonly values: readonly number[];
  readonly path: string;
}

export interface Scope {
  readonly bindings: ReadonlyMap<SweepParameter, Binding>;
  readonly depth: number;
}

/** The values a parameter takes in a block: its own, or those of the enclosing sweep. */
export interface Param {
  readonly values: readonly number[];
  readonly sweep?: string;
}

/** Validates a body (a list of blocks) in a scope: validate-blocks.ts's, handed in to avoid an import cycle. */
export type BodyValidator = (ctx: BlockContext, raw: unknown, path: string, scope: Scope) => { blocks: Block[]; tally: Tally };

/** Reads the fields of one block, recording problems against its path. */
export class BlockReader {
  readonly tally = emptyTally();

  constructor(
    readonly ctx: BlockContext,
    readonly obj: JsonObject,
    readonly path: string,
    readonly scope: Scope,
    readonly kind: BlockKind,
    private readonly validateBody: BodyValidator,
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

  /**
   * A block whose own count is over the protocol's pulse or read limit is reported at its count
   * field (#19: a count of 1e9 was reported only for the document, the field not outlined); the
   * document-wide check then stays quiet about that limit.
   */
  checkCountLimit(count: number | undefined, limit: 'maxPulses' | 'maxReads'): void {
    if (count === undefined || !exceeds(count, this.limits[limit])) return;
    this.ctx.problems.add(this.at('count'), 'limit', `count ${formatCount(count)} exceeds ${describeLimit(limit, this.limits[limit])}`);
    this.ctx.once.add(limit);
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
    return this.validateBody(this.ctx, own(this.obj, 'body'), this.at('body'), { bindings, depth: this.scope.depth + 1 });
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

export function compact(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out;
}

/** The largest of a parameter's values (0 when it has none). */
export function largest(param: Param | undefined): number {
  return param && param.values.length > 0 ? Math.max(...param.values) : 0;
}
