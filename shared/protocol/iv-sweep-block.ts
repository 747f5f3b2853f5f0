import { formatCount, formatSI } from '../units';
import type { KindValidator } from './block-kinds';
import type { BlockReader } from './block-reader';
import { exceeds } from './defaults';
import { IV_SPACINGS, type ComplianceOf, type IvSpacing } from './document';
import { checkKnownFields, describeJson, has, isRecord, own, quantityValue } from './fields';
import { ivStepCount } from './iv-steps';
import { describeLimit } from './limits';
import { childPath } from './problems';

/**
 * Most steps one cycle of an I–V sweep may have (ours): far more than any curve tracer's list
 * (a source–measure unit holds a few thousand points), and it keeps a compiled program a sane size.
 */
export const IV_MAX_STEPS_PER_CYCLE = 100_000;

/** The fields of an iv-sweep block, checked; see IvSweepBlockOf in document.ts for what they mean. */
export const ivSweep: KindValidator = (b) => {
  const points = readPoints(b);
  const spacing = readSpacing(b);
  const linear = spacing !== 'log';
  const step = b.quantity('step', { unit: 'V', required: false, sign: 'positive' });
  if (linear && !has(b.obj, 'step')) b.ctx.problems.add(b.at('step'), 'missing', "missing step: give the size of each step of the staircase, such as '20 mV'");
  const pointsPerDecade = b.count('pointsPerDecade', !linear);
  const floor = b.quantity('floor', { unit: 'V', required: false, sign: 'positive' });
  if (!linear && !has(b.obj, 'floor')) b.ctx.problems.add(b.at('floor'), 'missing', "missing floor: give the smallest |V| a log sweep steps to, such as '10 mV'");
  if (linear) {
    for (const key of ['pointsPerDecade', 'floor']) {
      if (has(b.obj, key)) b.ctx.problems.add(b.at(key), 'structure', `${key} is for spacing 'log'; a linear sweep steps by step`);
    }
  } else if (has(b.obj, 'step')) {
    b.ctx.problems.add(b.at('step'), 'structure', "step is for linear spacing; a log sweep takes pointsPerDecade and floor");
  }
  if (!linear && floor !== undefined && points !== undefined) {
    points.forEach((v, k) => {
      // Within rounding of the floor is on it (a point typed as '40 mV' and a floor of 0.04 agree).
      if (v !== 0 && exceeds(floor, Math.abs(v))) b.ctx.problems.add(childPath(b.at('points'), k), 'range', `point ${formatSI(v, 'V')} is below the log floor ${formatSI(floor, 'V')}: a log sweep cannot reach it`);
    });
  }

  const dwell = readDwell(b, linear, step);
  const cycles = b.count('cycles', false);
  const compliance = readCompliance(b);

  let count = 0;
  const geometry = linear ? step !== undefined : pointsPerDecade !== undefined && floor !== undefined;
  if (points !== undefined && geometry) {
    count = ivStepCount({ points, spacing: spacing ?? 'linear', step, pointsPerDecade, floor });
    if (!(count <= IV_MAX_STEPS_PER_CYCLE)) {
      const where = linear ? 'step' : 'pointsPerDecade';
      b.ctx.problems.add(b.at(where), 'range', `one cycle of this sweep has ${Number.isFinite(count) ? formatCount(count) : 'countless'} steps, more than ${formatCount(IV_MAX_STEPS_PER_CYCLE)}: use a larger ${linear ? 'step' : 'spacing (fewer points per decade)'}`);
    }
  }
  const n = (cycles ?? 1) * count;
  Object.assign(b.tally, { pulses: n, operations: n, duration: n * (dwell.value ?? 0) });
  return {
    fields: { points, spacing, step, pointsPerDecade, floor, dwell: dwell.dwell, rate: dwell.rate, cycles, compliance },
    tally: b.tally,
  };
};

function readPoints(b: BlockReader): number[] | undefined {
  const raw = own(b.obj, 'points');
  const at = b.at('points');
  if (raw === undefined) {
    b.ctx.problems.add(at, 'missing', "missing points: give the voltages the sweep passes through, such as ['0 V', '1.5 V', '0 V', '-1.5 V', '0 V']");
    return undefined;
  }
  if (!Array.isArray(raw)) {
    b.ctx.problems.add(at, 'type', `points must be a list of voltages; got ${describeJson(raw)}`);
    return undefined;
  }
  if (raw.length < 2) {
    b.ctx.problems.add(at, 'structure', 'points must have at least two voltages: a sweep goes from one to the next');
    return undefined;
  }
  const points: number[] = [];
  let ok = true;
  let previous: number | undefined;
  for (let k = 0; k < raw.length; k++) {
    const path = childPath(at, k);
    const v = quantityValue(b.ctx.problems, raw[k], path, `points[${k}]`, 'V');
    if (v !== undefined && exceeds(Math.abs(v), b.limits.maxVoltage)) {
      b.ctx.problems.add(path, 'limit', `point ${formatSI(v, 'V')} exceeds ${describeLimit('maxVoltage', b.limits.maxVoltage)}`);
      ok = false;
    } else if (v !== undefined && v === previous) {
      b.ctx.problems.add(path, 'structure', `point ${formatSI(v, 'V')} is the same as the one before it: each segment must go somewhere`);
      ok = false;
    }
    if (v === undefined) ok = false;
    else points.push(v);
    previous = v;
  }
  return ok ? points : undefined;
}

function readSpacing(b: BlockReader): IvSpacing | undefined {
  const raw = own(b.obj, 'spacing');
  if (raw === undefined) return undefined;
  if (raw === 'linear' || raw === 'log') return raw;
  b.ctx.problems.add(b.at('spacing'), 'type', `spacing must be ${IV_SPACINGS.map((s) => `'${s}'`).join(' or ')}; got ${describeJson(raw)}`);
  return undefined;
}

/** dwell, or rate (linear only) from which dwell = step / rate; `value` is the dwell either way. */
function readDwell(b: BlockReader, linear: boolean, step: number | undefined): { dwell?: number; rate?: number; value?: number } {
  const dwell = b.quantity('dwell', { unit: 's', required: false, sign: 'positive' });
  const rate = b.quantity('rate', { unit: 'V/s', required: false, sign: 'positive' });
  const hasDwell = has(b.obj, 'dwell');
  const hasRate = has(b.obj, 'rate');
  if (!hasDwell && !hasRate) {
    b.ctx.problems.add(b.at('dwell'), 'missing', "missing dwell: give how long each step lasts, such as '10 ms', or a sweep rate such as '1 V/s'");
  } else if (hasDwell && hasRate) {
    b.ctx.problems.add(b.path, 'structure', 'give dwell or rate, not both');
  } else if (hasRate && !linear) {
    b.ctx.problems.add(b.at('rate'), 'structure', 'a sweep rate needs linear spacing (equal steps); give a log sweep a dwell');
  }
  const value = dwell ?? (rate !== undefined && step !== undefined && linear ? step / rate : undefined);
  if (value !== undefined && exceeds(value, b.limits.maxWidth)) {
    const what = dwell !== undefined ? `dwell ${formatSI(value, 's')}` : `a step of ${formatSI(step ?? 0, 'V')} at ${formatSI(rate ?? 0, 'V/s')} lasts ${formatSI(value, 's')}, which`;
    b.ctx.problems.add(b.at(dwell !== undefined ? 'dwell' : 'rate'), 'limit', `${what} exceeds ${describeLimit('maxWidth', b.limits.maxWidth)}`);
  }
  return { dwell, rate, value };
}

/** A current, or {positive, negative}; each positive and within the protocol's compliance limit. */
export function readCompliance(b: BlockReader): ComplianceOf<number> | undefined {
  const raw = own(b.obj, 'compliance');
  if (raw === undefined) return undefined;
  const at = b.at('compliance');
  const current = (value: unknown, path: string, name: string): number | undefined => {
    const v = quantityValue(b.ctx.problems, value, path, name, 'A', 'positive');
    if (v !== undefined && exceeds(v, b.limits.compliance)) {
      b.ctx.problems.add(path, 'limit', `${name} ${formatSI(v, 'A')} exceeds ${describeLimit('compliance', b.limits.compliance)}`);
      return undefined;
    }
    return v;
  };
  if (typeof raw === 'number' || typeof raw === 'string') return current(raw, at, 'compliance');
  if (!isRecord(raw)) {
    b.ctx.problems.add(at, 'type', `compliance must be a current such as '1 mA', or one per polarity such as {"positive": "1 mA", "negative": "5 mA"}; got ${describeJson(raw)}`);
    return undefined;
  }
  checkKnownFields(b.ctx.problems, raw, at, ['positive', 'negative'], 'compliance');
  const out: { positive?: number; negative?: number } = {};
  for (const key of ['positive', 'negative'] as const) {
    if (own(raw, key) === undefined) continue;
    const v = current(own(raw, key), childPath(at, key), `compliance.${key}`);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
