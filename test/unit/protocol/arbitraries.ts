/**
 * fast-check arbitraries for protocol documents: valid by construction under given limits, and
 * mutations of them.
 */
import fc from 'fast-check';
import { DEFAULT_LIMITS, type SafetyLimits, type SweepParameter } from '../../../shared/protocol';
import { formatSI, type UnitSymbol } from '../../../shared/units';

type Json = Record<string, unknown>;

export interface GeneratedProtocol {
  document: Json;
  limits: SafetyLimits;
}

/** Limits within the defaults, written into the document. */
const limitsArb: fc.Arbitrary<SafetyLimits> = fc.record({
  maxVoltage: fc.double({ min: 0.2, max: DEFAULT_LIMITS.maxVoltage, noNaN: true }),
  compliance: fc.double({ min: 1e-6, max: DEFAULT_LIMITS.compliance, noNaN: true }),
  maxWidth: fc.double({ min: 1e-4, max: DEFAULT_LIMITS.maxWidth, noNaN: true }),
  maxDutyCycle: fc.double({ min: 0.01, max: DEFAULT_LIMITS.maxDutyCycle, noNaN: true }),
  maxPulses: fc.constant(DEFAULT_LIMITS.maxPulses),
  maxReads: fc.constant(DEFAULT_LIMITS.maxReads),
});

/** The numbers every block of one protocol is built within, so any block fits in any sweep. */
interface Frame {
  limits: SafetyLimits;
  /** Longest width anywhere, own or swept. */
  widthCap: number;
  /** Read integration time used by every read. */
  integration: number;
  /** Shortest period anywhere: fits the longest width plus a read, within the duty cycle. */
  periodMin: number;
  bound: ReadonlySet<SweepParameter>;
}

/** A value written as a number (SI) or, half the time, as a string with units. */
function q(value: number, unit: UnitSymbol): fc.Arbitrary<number | string> {
  return fc.boolean().map((asText) => (asText ? formatSI(value, unit, { digits: 15 }) : value));
}

const between = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max: Math.max(min, max), noNaN: true });

function amplitude(f: Frame): fc.Arbitrary<number> {
  return between(-f.limits.maxVoltage, f.limits.maxVoltage);
}
function width(f: Frame): fc.Arbitrary<number> {
  return between(f.widthCap / 100, f.widthCap);
}
function period(f: Frame): fc.Arbitrary<number> {
  return between(f.periodMin, 3 * f.periodMin);
}
function interval(f: Frame): fc.Arbitrary<number> {
  return between(f.integration * 1.001, 1);
}
function duration(): fc.Arbitrary<number> {
  return between(0, 10);
}

const SWEEP_VALUES: Record<SweepParameter, { unit: UnitSymbol; arb: (f: Frame) => fc.Arbitrary<number> }> = {
  amplitude: { unit: 'V', arb: amplitude },
  width: { unit: 's', arb: width },
  period: { unit: 's', arb: period },
  duration: { unit: 's', arb: () => duration() },
  interval: { unit: 's', arb: interval },
};

/** A field, left out half the time when an enclosing sweep binds it. */
function field(f: Frame, name: SweepParameter, unit: UnitSymbol, arb: fc.Arbitrary<number>): fc.Arbitrary<Json> {
  const written = arb.chain((v) => q(v, unit)).map((v) => ({ [name]: v }));
  return f.bound.has(name) ? fc.oneof(fc.constant({}), written) : written;
}

const readAfter = fc.oneof(fc.constant({}), fc.constant({ read: true }), fc.constant({ read: false }));

function merge(...parts: fc.Arbitrary<Json>[]): fc.Arbitrary<Json> {
  return fc.tuple(...parts).map((ps) => Object.assign({}, ...ps) as Json);
}

/** A current limit within the frame's compliance. */
function current(f: Frame): fc.Arbitrary<number> {
  return between(f.limits.compliance / 100, f.limits.compliance);
}

function pulse(f: Frame): fc.Arbitrary<Json> {
  // A pulse under a compliance, a fifth of the time.
  const compliance = fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: current(f).chain((c) => q(c, 'A')).map((c) => ({ compliance: c })), weight: 1 });
  return merge(fc.constant({ kind: 'pulse' }), field(f, 'amplitude', 'V', amplitude(f)), field(f, 'width', 's', width(f)), compliance, readAfter);
}

/** A forming block within the frame's limits: a staircase or pulses, to a current or a resistance its mode can reach. */
function forming(f: Frame): fc.Arbitrary<Json> {
  const vMax = f.limits.maxVoltage;
  return fc
    .record({
      pulses: fc.boolean(),
      sign: fc.constantFrom(1, -1),
      to: between(0.1 * vMax, vMax),
      fromFraction: between(0, 0.9),
      steps: fc.integer({ min: 1, max: 40 }),
      width: width(f),
      compliance: current(f),
      byCurrent: fc.boolean(),
      // Below 1 by more than the rounding of the quantities' text forms, so the target stays reachable.
      targetFraction: between(0.001, 0.999),
    })
    .chain((r) => {
      const to = r.sign * r.to;
      const from = r.sign * r.fromFraction * r.to;
      const step = Math.abs(to - from) / r.steps;
      // A staircase measures under the compliance: |I| ≤ I_cc and R ≥ |V|/I_cc at its first non-zero step.
      const lowest = (from !== 0 ? Math.abs(from) : step) / r.compliance;
      const target = r.byCurrent ? { targetCurrent: r.compliance * r.targetFraction } : { targetResistance: lowest / r.targetFraction };
      const base = fc.tuple(q(from, 'V'), q(to, 'V'), q(step, 'V'), q(r.width, 's'), q(r.compliance, 'A')).map(([a, b, c, w, i]) => ({
        kind: 'forming',
        from: a,
        to: b,
        step: c,
        width: w,
        compliance: i,
        ...target,
      }));
      if (!r.pulses) return base;
      const paced = fc.oneof(fc.constant({}), period(f).map((p) => ({ period: p })));
      const read = fc.oneof(fc.constant({}), fc.constant({ read: {} }), fc.constant({ read: { integration: f.integration } }));
      return merge(base, fc.constant({ mode: 'pulses' }), paced, read);
    });
}

/** A converge block: a band of G, a SET and a RESET pulse within the limits, a few pulses at most. */
function converge(f: Frame): fc.Arbitrary<Json> {
  const vMax = f.limits.maxVoltage;
  const compliance = fc.oneof(fc.constant({}), current(f).map((c) => ({ compliance: c })), fc.tuple(current(f), current(f)).map(([positive, negative]) => ({ compliance: { positive, negative } })));
  return merge(
    fc.tuple(between(1e-7, 1e-4), between(1.1, 10)).map(([low, ratio]) => ({ kind: 'converge', low: formatSI(low, 'S', { digits: 15 }), high: low * ratio })),
    fc.record({ setAmplitude: between(0.05 * vMax, vMax), resetAmplitude: between(-vMax, -0.05 * vMax), setWidth: width(f), resetWidth: width(f) }),
    fc.integer({ min: 1, max: 5 }).map((maxPulses) => ({ maxPulses })),
    compliance,
    fc.oneof(fc.constant({}), fc.constant({ read: { integration: f.integration } })),
  );
}

function train(f: Frame): fc.Arbitrary<Json> {
  return merge(
    fc.constant({ kind: 'train' }),
    fc.integer({ min: 1, max: 4 }).map((count) => ({ count })),
    field(f, 'amplitude', 'V', amplitude(f)),
    field(f, 'width', 's', width(f)),
    field(f, 'period', 's', period(f)),
    readAfter,
  );
}

function read(f: Frame): fc.Arbitrary<Json> {
  const count = fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined });
  const timing = count.chain((n) => {
    const written = interval(f).chain((v) => q(v, 's')).map((i) => ({ interval: i }));
    // More than one read needs an interval, unless a sweep sets it.
    const needed = (n ?? 1) > 1 && !f.bound.has('interval');
    return (needed ? written : fc.oneof(fc.constant({}), written)).map((i) => (n === undefined ? i : { count: n, ...i }));
  });
  const voltage = fc.option(amplitude(f).filter((v) => v !== 0).chain((v) => q(v, 'V')), { nil: undefined }).map((v) => (v === undefined ? {} : { voltage: v }));
  return merge(fc.constant({ kind: 'read' }), timing, voltage);
}

function wait(f: Frame): fc.Arbitrary<Json> {
  const reads = fc.oneof(fc.constant({}), between(1, 5).chain((v) => q(v, 's')).map((readEvery) => ({ readEvery })));
  return merge(fc.constant({ kind: 'wait' }), field(f, 'duration', 's', duration()), reads);
}

function ramp(f: Frame): fc.Arbitrary<Json> {
  const ends = fc.tuple(amplitude(f), amplitude(f), fc.integer({ min: 1, max: 5 })).chain(([from, to, steps]) => {
    const step = Math.abs(to - from) / steps || 0.1;
    return fc.tuple(q(from, 'V'), q(to, 'V'), q(step, 'V')).map(([a, b, s]) => ({ from: a, to: b, step: s }));
  });
  return merge(fc.constant({ kind: 'ramp' }), ends, field(f, 'width', 's', width(f)), field(f, 'period', 's', period(f)), readAfter);
}

/** An I–V sweep within the frame's limits: points on a grid of tenths of max |V|, linear or log. */
function ivSweep(f: Frame): fc.Arbitrary<Json> {
  const vMax = f.limits.maxVoltage;
  const points = fc
    .array(fc.integer({ min: -10, max: 10 }), { minLength: 2, maxLength: 5 })
    .filter((ks) => ks.every((k, i) => i === 0 || k !== ks[i - 1]))
    .map((ks) => ks.map((k) => (k * vMax) / 10));
  return points.chain((ps) => {
    const span = Math.max(...ps.slice(1).map((p, i) => Math.abs(p - ps[i]!)));
    const smallest = Math.min(...ps.filter((p) => p !== 0).map(Math.abs), vMax);
    const linear = between(span / 40, span).map((step) => ({ step }));
    const log = fc.tuple(fc.integer({ min: 1, max: 5 }), between(smallest / 1000, smallest)).map(([pointsPerDecade, floor]) => ({ spacing: 'log', pointsPerDecade, floor }));
    return fc.oneof(linear, log).chain((geometry) => {
      const dwell = between(f.widthCap / 100, f.widthCap / 2);
      const timing =
        'step' in geometry
          ? fc.oneof(dwell.chain((d) => q(d, 's')).map((d) => ({ dwell: d })), dwell.map((d) => ({ rate: geometry.step / d })))
          : dwell.chain((d) => q(d, 's')).map((d) => ({ dwell: d }));
      const current = between(f.limits.compliance / 100, f.limits.compliance).chain((c) => q(c, 'A'));
      const compliance = fc.oneof(
        fc.constant({}),
        current.map((c) => ({ compliance: c })),
        fc.tuple(current, current).map(([positive, negative]) => ({ compliance: { positive, negative } })),
      );
      const cycles = fc.oneof(fc.constant({}), fc.integer({ min: 1, max: 3 }).map((n) => ({ cycles: n })));
      return merge(fc.constant({ kind: 'iv-sweep', points: ps.map((p) => formatSI(p, 'V', { digits: 15 })), ...geometry }), timing, compliance, cycles);
    });
  });
}

/** A block that certainly takes the parameter from the sweep around it. */
function user(parameter: SweepParameter): Json {
  switch (parameter) {
    case 'amplitude':
      return { kind: 'pulse', width: '1 µs' };
    case 'width':
      return { kind: 'pulse', amplitude: 0.1 };
    case 'period':
      return { kind: 'train', count: 2, amplitude: 0.1, width: '1 µs' };
    case 'duration':
      return { kind: 'wait' };
    case 'interval':
      return { kind: 'read', count: 2 };
  }
}

function body(f: Frame, depth: number): fc.Arbitrary<Json[]> {
  return fc.array(block(f, depth), { minLength: 1, maxLength: 3 });
}

function block(f: Frame, depth: number): fc.Arbitrary<Json> {
  const leaves = [pulse(f), train(f), read(f), wait(f), ramp(f), ivSweep(f), forming(f), converge(f)];
  if (depth <= 0) return fc.oneof(...leaves);
  // chain defers building the containers' arbitraries until one is drawn.
  const containers = fc.constantFrom('repeat', 'sweep', 'until').chain((kind) => container(kind, f, depth - 1));
  return fc.oneof({ arbitrary: fc.oneof(...leaves), weight: 3 }, { arbitrary: containers, weight: 1 });
}

function container(kind: string, f: Frame, depth: number): fc.Arbitrary<Json> {
  if (kind === 'repeat') return fc.tuple(fc.integer({ min: 1, max: 3 }), body(f, depth)).map(([times, b]) => ({ kind, times, body: b }));
  if (kind === 'until') {
    const condition = fc.oneof(
      between(0.05, 0.95).map((relative) => ({ when: 'below', relative })),
      between(1.05, 3).map((relative) => ({ when: 'above', relative })),
      fc.tuple(fc.constantFrom('above', 'below'), between(1e-7, 1e-4)).map(([when, t]) => ({ when, threshold: formatSI(t, 'S', { digits: 15 }) })),
    );
    return fc
      .tuple(condition, fc.integer({ min: 1, max: 3 }), body(f, depth))
      .map(([c, maxIterations, b]) => ({ kind, ...c, maxIterations, body: [...b, { kind: 'read' }] }));
  }
  return fc.constantFrom<SweepParameter>('amplitude', 'width', 'period', 'duration', 'interval').chain((parameter) => {
    const inner: Frame = { ...f, bound: new Set([...f.bound, parameter]) };
    const { unit, arb } = SWEEP_VALUES[parameter];
    const values = fc.array(arb(f).chain((v) => q(v, unit)), { minLength: 1, maxLength: 3 });
    return fc.tuple(values, body(inner, depth)).map(([vs, b]) => ({ kind, parameter, values: vs, body: [...b, user(parameter)] }));
  });
}

/** A protocol that is valid under the limits it writes into itself. */
export const validProtocol: fc.Arbitrary<GeneratedProtocol> = fc
  .tuple(limitsArb, fc.double({ min: 1e-5, max: 1e-3, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }))
  .chain(([limits, integration, widthFraction, depth]) => {
    const widthCap = Math.max(2e-6, limits.maxWidth * widthFraction);
    const periodMin = Math.max(widthCap / limits.maxDutyCycle, widthCap + integration) * (1 + 1e-6);
    const frame: Frame = { limits, widthCap, integration, periodMin, bound: new Set() };
    return body(frame, depth).map((blocks) => ({
      limits,
      document: {
        format: 'memristor-workbench/protocol',
        version: 1,
        name: 'generated',
        limits: {
          maxVoltage: formatSI(limits.maxVoltage, 'V', { digits: 15 }),
          compliance: limits.compliance,
          maxWidth: limits.maxWidth,
          maxDutyCycle: limits.maxDutyCycle,
        },
        read: { integration },
        blocks,
      },
    }));
  });

export interface Mutation {
  at: number;
  kind: 'number' | 'drop' | 'garbage' | 'nest' | 'string' | 'unit';
  number: number;
  garbage: unknown;
  text: string;
}

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom<Mutation['kind']>('number', 'drop', 'garbage', 'nest', 'string', 'unit'),
    number: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -1, 1e9, 0.5, 2, -0)),
    garbage: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything({ maxDepth: 2 })),
    text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('10 ms', '5 V', 'pulse', 'sweep', 'width', '-1 s', '1 Hz', '50 %', '')),
  }),
  { minLength: 1, maxLength: 3 },
);

type Slot = { parent: Json | unknown[]; key: string | number };

function slots(value: unknown, out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) value.forEach((v, k) => { out.push({ parent: value, key: k }); slots(v, out); });
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) { out.push({ parent: value as Json, key: k }); slots(v, out); }
  return out;
}

const UNITS_TO_TRY = ['V', 's', 'ms', 'Hz', 'S', '%', 'kV', 'µs', ''];

/** Applies the mutations to a deep copy of the document. */
export function mutate(document: Json, ms: readonly Mutation[]): unknown {
  const root: { doc: unknown } = { doc: structuredClone(document) };
  for (const m of ms) {
    const all = slots(root);
    const slot = all[m.at % all.length];
    if (!slot) continue;
    const { parent, key } = slot;
    const get = (): unknown => (parent as Record<string | number, unknown>)[key];
    const set = (v: unknown): void => {
      (parent as Record<string | number, unknown>)[key] = v;
    };
    switch (m.kind) {
      case 'number':
        set(m.number);
        break;
      case 'drop':
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Json)[key as string];
        break;
      case 'garbage':
        set(m.garbage);
        break;
      case 'nest': {
        const v = get();
        set(m.at % 3 === 0 ? [v] : m.at % 3 === 1 ? { body: v } : [[v]]);
        break;
      }
      case 'string':
        set(m.text);
        break;
      case 'unit': {
        const v = get();
        set(`${typeof v === 'number' ? v : m.number} ${UNITS_TO_TRY[m.at % UNITS_TO_TRY.length]}`);
        break;
      }
    }
  }
  return root.doc;
}

/** How much to multiply each loop count and wait in a protocol by: up to far beyond any bound. */
const SCALES = [1, 10, 1e3, 1e6, 1e9, 1e12, 1e200, 1e300] as const;

/**
 * A valid protocol with its loops (repeat times, train and read counts, until iterations) and its
 * waits scaled by factors up to 10^300: near the workbench's bounds, past them, and past what a
 * double can sum (Infinity). Only counts and durations change, so whatever is wrong with it is a
 * limit.
 */
export const largeProtocol: fc.Arbitrary<GeneratedProtocol> = fc
  .tuple(validProtocol, fc.array(fc.constantFrom(...SCALES), { minLength: 1, maxLength: 8 }))
  .map(([generated, scales]) => {
    const document = structuredClone(generated.document);
    let k = 0;
    const next = () => scales[k++ % scales.length]!;
    const visit = (blocks: unknown): void => {
      if (!Array.isArray(blocks)) return;
      for (const b of blocks as Json[]) {
        for (const key of ['times', 'count', 'maxIterations', 'cycles'] as const) {
          // More than one read needs an interval: a read block's count grows only when it has one.
          if (key === 'count' && b.kind === 'read' && b.interval === undefined) continue;
          if (typeof b[key] === 'number') b[key] = (b[key] as number) * next();
        }
        if (b.kind === 'wait' && b.duration !== undefined) {
          const seconds = typeof b.duration === 'number' ? b.duration : Number.NaN;
          // Written in seconds; capped at 1e307 s so the value itself stays a finite number.
          if (Number.isFinite(seconds)) b.duration = Math.min(1e307, seconds * next());
        }
        visit(b.body);
      }
    };
    visit(document.blocks);
    return { document, limits: generated.limits };
  });
