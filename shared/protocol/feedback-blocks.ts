import { formatCount, formatSI } from '../units';
import type { KindValidator } from './block-kinds';
import { validateReadSettings, type BlockReader } from './block-reader';
import { exceeds } from './defaults';
import { FORMING_MODES, type FormingMode, type ReadSettings } from './document';
import { describeJson, has, isRecord, own } from './fields';
import { IV_MAX_STEPS_PER_CYCLE, readCompliance } from './iv-sweep-block';
import { describeLimit } from './limits';
import { resolveRead } from './reads';
import { rampCount } from './timing';

/*
 * The feedback blocks: forming and converge. Each runs until a measurement meets its target, so
 * its tally is its worst case (the whole staircase, every pulse) and never exact. See
 * FormingBlockOf and ConvergeBlockOf in document.ts for what the fields mean.
 */

/** A current limit (A): positive and within the protocol's compliance limit. */
export function readCurrentLimit(b: BlockReader, key: string, required: boolean): number | undefined {
  const v = b.quantity(key, { unit: 'A', required, sign: 'positive' });
  if (v !== undefined && exceeds(v, b.limits.compliance)) {
    b.ctx.problems.add(b.at(key), 'limit', `${key} ${formatSI(v, 'A')} exceeds ${describeLimit('compliance', b.limits.compliance)}`);
    return undefined;
  }
  return v;
}

/** A voltage within the protocol's max |V|. */
function readVoltage(b: BlockReader, key: string, sign: 'any' | 'nonZero'): number | undefined {
  const v = b.quantity(key, { unit: 'V', required: true, sign });
  if (v !== undefined && exceeds(Math.abs(v), b.limits.maxVoltage)) {
    b.ctx.problems.add(b.at(key), 'limit', `${key} ${formatSI(v, 'V')} exceeds ${describeLimit('maxVoltage', b.limits.maxVoltage)}`);
    return undefined;
  }
  return v;
}

/** A pulse or step length within the protocol's max width. */
function readWidth(b: BlockReader, key: string): number | undefined {
  const v = b.quantity(key, { unit: 's', required: true, sign: 'positive' });
  if (v !== undefined && exceeds(v, b.limits.maxWidth)) {
    b.ctx.problems.add(b.at(key), 'limit', `${key} ${formatSI(v, 's')} exceeds ${describeLimit('maxWidth', b.limits.maxWidth)}`);
    return undefined;
  }
  return v;
}

/** Read settings given as an object (a feedback block always reads; `read` only changes how). */
function readSettings(b: BlockReader): ReadSettings | undefined {
  const raw = own(b.obj, 'read');
  if (raw === undefined) {
    b.usesDefaultVoltage();
    return undefined;
  }
  if (!isRecord(raw)) {
    b.ctx.problems.add(b.at('read'), 'type', `read must be read settings such as {"voltage": "0.1 V"}; got ${describeJson(raw)}`);
    return undefined;
  }
  const settings = validateReadSettings(b.ctx, raw, b.at('read'));
  if (settings.voltage === undefined) b.usesDefaultVoltage();
  return settings;
}

function readMode(b: BlockReader): FormingMode | undefined {
  const raw = own(b.obj, 'mode');
  if (raw === undefined || raw === 'staircase' || raw === 'pulses') return raw;
  b.ctx.problems.add(b.at('mode'), 'type', `mode must be ${FORMING_MODES.map((m) => `'${m}'`).join(' or ')}; got ${describeJson(raw)}`);
  return undefined;
}

export const forming: KindValidator = (b) => {
  const mode = readMode(b);
  const pulses = mode === 'pulses';
  const from = readVoltage(b, 'from', 'any');
  const to = readVoltage(b, 'to', 'nonZero');
  const step = b.quantity('step', { unit: 'V', required: true, sign: 'positive' });
  if (from !== undefined && to !== undefined && !(from * to >= 0 && Math.abs(from) < Math.abs(to))) {
    b.ctx.problems.add(b.at('to'), 'range', `to is the maximum voltage: it must be further from 0 V than from (${formatSI(from, 'V')}), on the same side; got ${formatSI(to, 'V')}`);
  }
  const width = readWidth(b, 'width');
  const period = b.quantity('period', { unit: 's', required: false, sign: 'positive' });
  const compliance = readCurrentLimit(b, 'compliance', true);
  const targetCurrent = b.quantity('targetCurrent', { unit: 'A', required: false, sign: 'positive' });
  const targetResistance = b.quantity('targetResistance', { unit: 'Ω', required: false, sign: 'positive' });
  const hasCurrent = has(b.obj, 'targetCurrent');
  const hasResistance = has(b.obj, 'targetResistance');
  if (!hasCurrent && !hasResistance) {
    b.ctx.problems.add(b.path, 'missing', "a forming block needs a target: targetCurrent (such as '50 µA') or targetResistance (such as '10 kΩ')");
  } else if (hasCurrent && hasResistance) {
    b.ctx.problems.add(b.path, 'structure', 'give targetCurrent or targetResistance, not both');
  }
  if (!pulses) {
    for (const key of ['period', 'read']) {
      if (has(b.obj, key)) b.ctx.problems.add(b.at(key), 'structure', `${key} is for mode 'pulses'; a staircase holds each voltage for width, back to back, and measures the current at its end`);
    }
    // A staircase measures under the compliance: a current above it, or a resistance below |V|/I_cc at every step, is never measured.
    if (targetCurrent !== undefined && compliance !== undefined && targetCurrent > compliance) {
      b.ctx.problems.add(b.at('targetCurrent'), 'range', `targetCurrent ${formatSI(targetCurrent, 'A')} can never be reached: the compliance holds |I| at ${formatSI(compliance, 'A')} or below`);
    }
    if (targetResistance !== undefined && compliance !== undefined && from !== undefined && step !== undefined) {
      const lowest = (from !== 0 ? Math.abs(from) : step) / compliance;
      if (targetResistance < lowest * (1 - 1e-9)) {
        b.ctx.problems.add(b.at('targetResistance'), 'range', `targetResistance ${formatSI(targetResistance, 'Ω')} can never be reached: under a ${formatSI(compliance, 'A')} compliance every step measures at least ${formatSI(lowest, 'Ω')}`);
      }
    }
  }
  const settings = pulses ? readSettings(b) : undefined;
  const read = pulses ? resolveRead(settings ?? true, b.ctx.readDefaults) : undefined;
  if (pulses && width !== undefined && period !== undefined) b.checkPeriodic({ values: [width] }, { values: [period] }, read);

  let n = 0;
  if (from !== undefined && to !== undefined && step !== undefined) {
    n = rampCount(from, to, step);
    if (!(n <= IV_MAX_STEPS_PER_CYCLE)) {
      b.ctx.problems.add(b.at('step'), 'range', `this forming block has ${Number.isFinite(n) ? formatCount(n) : 'countless'} steps, more than ${formatCount(IV_MAX_STEPS_PER_CYCLE)}: use a larger step`);
    } else if (exceeds(n, b.limits.maxPulses)) {
      b.ctx.problems.add(b.at('step'), 'limit', `${formatCount(n)} steps exceed ${describeLimit('maxPulses', b.limits.maxPulses)}`);
      b.ctx.once.add('maxPulses');
    }
  }
  const busy = (width ?? 0) + (read?.integration ?? 0);
  const reads = pulses ? n : 0;
  Object.assign(b.tally, { pulses: n, reads, operations: n + reads, duration: n * Math.max(busy, period ?? 0), hasRead: pulses, exact: false });
  return {
    fields: { mode, from, to, step, width, period, compliance, targetCurrent, targetResistance, read: settings },
    tally: b.tally,
  };
};

export const converge: KindValidator = (b) => {
  const low = b.quantity('low', { unit: 'S', required: true, sign: 'positive' });
  const high = b.quantity('high', { unit: 'S', required: true, sign: 'positive' });
  if (low !== undefined && high !== undefined && !(high > low)) {
    b.ctx.problems.add(b.at('high'), 'range', `high (${formatSI(high, 'S')}) must be above low (${formatSI(low, 'S')}): the band of G to converge to`);
  }
  const setAmplitude = readVoltage(b, 'setAmplitude', 'nonZero');
  const setWidth = readWidth(b, 'setWidth');
  const resetAmplitude = readVoltage(b, 'resetAmplitude', 'nonZero');
  const resetWidth = readWidth(b, 'resetWidth');
  const maxPulses = b.count('maxPulses', true);
  if (maxPulses !== undefined && exceeds(maxPulses, b.limits.maxPulses)) {
    b.ctx.problems.add(b.at('maxPulses'), 'limit', `maxPulses ${formatCount(maxPulses)} exceeds ${describeLimit('maxPulses', b.limits.maxPulses)}`);
    b.ctx.once.add('maxPulses');
  }
  const compliance = readCompliance(b);
  const settings = readSettings(b);
  const read = resolveRead(settings ?? true, b.ctx.readDefaults);
  const n = maxPulses ?? 0;
  const integration = read?.integration ?? 0;
  // Worst case: every pulse applied, each the longer of the two, each followed by its read; and the first read.
  Object.assign(b.tally, {
    pulses: n,
    reads: n + 1,
    operations: 2 * n + 1,
    duration: n * (Math.max(setWidth ?? 0, resetWidth ?? 0) + integration) + integration,
    hasRead: true,
    exact: false,
  });
  return {
    fields: { low, high, setAmplitude, setWidth, resetAmplitude, resetWidth, maxPulses, compliance, read: settings },
    tally: b.tally,
  };
};
