import { formatPercent, formatSI } from '../units';
import { exceeds } from './defaults';
import { SWEEP_PARAMETERS, SWEEP_PARAMETER_NAMES, isSweepParameter, type BlockKind, type SweepParameter } from './document';
import { describeJson, has, own, quantityValue } from './fields';
import { largest, type BlockReader, type Param } from './block-reader';
import { converge, forming, readCurrentLimit } from './feedback-blocks';
import { ivSweep } from './iv-sweep-block';
import { childPath } from './problems';
import type { ResolvedRead } from './reads';
import { addTally, type Tally } from './tally';
import { rampCount, readsDuring } from './timing';

/**
 * The fields of each kind of block, read and checked, with what the block does (its Tally). The
 * checks that involve several blocks (ids, nesting, the limits on the whole) are validate-blocks.ts's.
 */
export type KindValidator = (b: BlockReader) => { fields: Record<string, unknown>; tally: Tally };

/**
 * `n` pulses at a period, each maybe followed by a read: pulse k starts at k·period, or right after
 * the one before when pulse and read take longer than the period.
 */
function paced(n: number, width: Param | undefined, period: Param | undefined, read: ResolvedRead | undefined): Partial<Tally> {
  const reads = read ? n : 0;
  const busy = largest(width) + (read?.integration ?? 0);
  return { pulses: n, reads, operations: n + reads, duration: n * Math.max(largest(period), busy), hasRead: read !== undefined };
}

const pulse: KindValidator = (b) => {
  const amplitude = b.sweepable('amplitude', { unit: 'V' });
  const width = b.sweepable('width', { unit: 's', sign: 'positive' });
  const compliance = readCurrentLimit(b, 'compliance', false);
  const read = b.readAfter();
  const reads = read.read ? 1 : 0;
  const duration = largest(width.param) + (read.read?.integration ?? 0);
  Object.assign(b.tally, { pulses: 1, reads, operations: 1 + reads, duration, hasRead: read.read !== undefined });
  return { fields: { amplitude: amplitude.own, width: width.own, compliance, read: read.value }, tally: b.tally };
};

const train: KindValidator = (b) => {
  const count = b.count('count', true);
  b.checkCountLimit(count, 'maxPulses');
  const amplitude = b.sweepable('amplitude', { unit: 'V' });
  const width = b.sweepable('width', { unit: 's', sign: 'positive' });
  const period = b.sweepable('period', { unit: 's', sign: 'positive' });
  const read = b.readAfter();
  b.checkPeriodic(width.param, period.param, read.read);
  Object.assign(b.tally, paced(count ?? 0, width.param, period.param, read.read));
  return { fields: { count, amplitude: amplitude.own, width: width.own, period: period.own, read: read.value }, tally: b.tally };
};

const read: KindValidator = (b) => {
  const voltage = b.quantity('voltage', { unit: 'V', required: false, sign: 'nonZero' });
  if (voltage !== undefined) b.checkIntrinsicLimit('voltage', voltage, b.at('voltage'));
  else if (!has(b.obj, 'voltage')) b.usesDefaultVoltage();
  const integration = b.quantity('integration', { unit: 's', required: false, sign: 'positive' });
  const count = b.count('count', false);
  b.checkCountLimit(count, 'maxReads');
  const interval = b.sweepable('interval', { unit: 's', sign: 'positive', required: (count ?? 1) > 1 });
  const effectiveIntegration = integration ?? b.ctx.readDefaults.integration;
  const shortest = interval.param && interval.param.values.length > 0 ? Math.min(...interval.param.values) : undefined;
  if (shortest !== undefined && exceeds(effectiveIntegration, shortest)) {
    const from = interval.param?.sweep ? ` (from the sweep at ${interval.param.sweep})` : '';
    b.ctx.problems.add(b.at('interval'), 'timing', `interval ${formatSI(shortest, 's')}${from} is shorter than the read's integration time ${formatSI(effectiveIntegration, 's')}`);
  }
  // Paced at the interval when there is one (given or swept), else back to back.
  const n = count ?? 1;
  const duration = n * Math.max(interval.param ? largest(interval.param) : 0, effectiveIntegration);
  Object.assign(b.tally, { reads: n, operations: n, duration, hasRead: true });
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
  const longest = largest(duration.param);
  const reads = readEvery === undefined ? 0 : readsDuring(longest, readEvery);
  // Its reads are paced at readEvery, and the wait lasts at least its duration.
  const time = readEvery === undefined ? longest : Math.max(longest, reads * Math.max(readEvery, settings?.integration ?? 0));
  Object.assign(b.tally, {
    reads,
    operations: Math.max(1, reads),
    duration: time,
    hasRead: reads > 0,
    exact: !(readEvery !== undefined && duration.param?.sweep),
  });
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
  Object.assign(b.tally, paced(n, width.param, period.param, read.read));
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
  if (hasRelative) {
    // The reference read that a relative threshold is taken from.
    b.tally.reads += 1;
    b.tally.operations += 1;
    b.tally.duration += b.ctx.readDefaults.integration;
  }
  b.tally.exact = false;
  return {
    fields: { when: when === 'above' || when === 'below' ? when : undefined, threshold, relative, maxIterations, body: body.blocks },
    tally: b.tally,
  };
};

export const KIND_VALIDATORS: Readonly<Record<BlockKind, KindValidator>> = { pulse, train, read, wait, ramp, repeat, sweep, until, 'iv-sweep': ivSweep, forming, converge };
