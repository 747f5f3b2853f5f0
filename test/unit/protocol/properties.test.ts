import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileProtocol,
  pathSegments,
  estimateProgram,
  ProtocolDocumentSchema,
  ProtocolInputSchema,
  TOLERANCE,
  validateProtocol,
  type Program,
  type SafetyLimits,
} from '../../../shared/protocol';
import { mutate, mutations, validProtocol } from './arbitraries';
import { dryRun } from './helpers';

const within = (value: number, limit: number): boolean => value <= limit * (1 + TOLERANCE);

/** Runs the program with reads from `g` and checks everything it does against the limits. */
function checkRunWithinLimits(program: Program, limits: SafetyLimits, g: (k: number) => number | undefined = () => 1e-5): void {
  const run = dryRun(program, (_op, k) => g(k));
  let previousEnd = 0;
  for (const op of run.ops) {
    // Operations never overlap and time never goes back.
    expect(op.t).toBeGreaterThanOrEqual(previousEnd - 1e-9 * Math.max(1, previousEnd));
    if (op.op === 'pulse') {
      expect(within(Math.abs(op.amplitude), limits.maxVoltage), `|V| ${op.amplitude} > ${limits.maxVoltage}`).toBe(true);
      expect(op.width).toBeGreaterThan(0);
      expect(within(op.width, limits.maxWidth), `width ${op.width} > ${limits.maxWidth}`).toBe(true);
      if (op.period !== undefined) expect(within(op.width / op.period, limits.maxDutyCycle), `duty ${op.width / op.period}`).toBe(true);
      previousEnd = op.t + op.width;
    } else if (op.op === 'read') {
      expect(within(Math.abs(op.voltage), limits.maxVoltage)).toBe(true);
      previousEnd = op.t + op.integration;
    } else if (op.op === 'step') {
      expect(within(Math.abs(op.voltage), limits.maxVoltage)).toBe(true);
      expect(within(op.dwell, limits.maxWidth)).toBe(true);
      expect(op.compliance).toBeGreaterThan(0);
      expect(within(op.compliance, limits.compliance)).toBe(true);
      previousEnd = op.t + op.dwell;
    } else {
      expect(op.duration).toBeGreaterThan(0);
      previousEnd = op.t + op.duration;
    }
  }
  expect(run.pulses).toBeLessThanOrEqual(limits.maxPulses);
  expect(run.reads).toBeLessThanOrEqual(limits.maxReads);

  const estimate = estimateProgram(program);
  expect(estimate.maxAbsVoltage).toBeLessThanOrEqual(limits.maxVoltage * (1 + TOLERANCE));
  expect(estimate.pulses.value).toBeLessThanOrEqual(limits.maxPulses);
  expect(within(estimate.maxDutyCycle, limits.maxDutyCycle)).toBe(true);
}

describe('random valid protocols', () => {
  it('validate, compile, and stay within their limits when run', () => {
    fc.assert(
      fc.property(validProtocol, ({ document, limits }) => {
        const result = compileProtocol(document);
        if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
        expect(result.program.limits.maxVoltage).toBeCloseTo(limits.maxVoltage, 12);
        checkRunWithinLimits(result.program, result.program.limits);
      }),
      { numRuns: 300 },
    );
  });

  it('estimate exactly what a run does, or bound it when an until decides', () => {
    fc.assert(
      fc.property(validProtocol, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ document }, seed) => {
        const program = compileProtocol(document);
        if (!program.ok) throw new Error('invalid');
        const estimate = estimateProgram(program.program);
        // Reads that never meet a condition run every until to its maximum: the bound is reached exactly.
        const full = dryRun(program.program, () => Number.NaN);
        expect(full.pulses).toBe(estimate.pulses.value);
        expect(full.reads).toBe(estimate.reads.value);
        // A converge block is costed with the longer of its two pulses; a run applies one or the other.
        if (program.program.instructions.some((ins) => ins.kind === 'choose')) expect(full.end).toBeLessThanOrEqual(estimate.duration.value * (1 + 1e-9) + 1e-12);
        else expect(full.end).toBeCloseTo(estimate.duration.value, 6);
        // Reads that sometimes meet them stop early: never beyond the bound.
        let state = seed;
        const random = dryRun(program.program, () => {
          state = (state * 1103515245 + 12345) % 2 ** 31;
          return (state / 2 ** 31) * 2e-4;
        });
        expect(random.pulses).toBeLessThanOrEqual(estimate.pulses.value);
        expect(random.reads).toBeLessThanOrEqual(estimate.reads.value);
        expect(random.end).toBeLessThanOrEqual(estimate.duration.value * (1 + 1e-9) + 1e-12);
        if (!estimate.dataDependent) expect(random.ops).toEqual(full.ops);
      }),
      { numRuns: 200 },
    );
  });

  it('normalise idempotently, to documents the zod schemas accept', () => {
    fc.assert(
      fc.property(validProtocol, ({ document }) => {
        const first = validateProtocol(document);
        if (!first.ok) throw new Error('invalid');
        expect(ProtocolInputSchema.safeParse(document).success).toBe(true);
        expect(ProtocolDocumentSchema.safeParse(first.document).success).toBe(true);
        const second = validateProtocol(JSON.parse(JSON.stringify(first.document)));
        expect(second.ok && second.document).toEqual(first.document);
      }),
      { numRuns: 200 },
    );
  });

  it('under tighter workbench limits, either compile within them or are rejected with limit problems', () => {
    const outcomes = { compiled: 0, rejected: 0 };
    const tighter = fc.record({
      maxVoltage: fc.double({ min: 0.05, max: 5, noNaN: true }),
      maxWidth: fc.double({ min: 1e-5, max: 1, noNaN: true }),
      maxDutyCycle: fc.double({ min: 0.01, max: 1, noNaN: true }),
      maxPulses: fc.integer({ min: 1, max: 60 }),
      maxReads: fc.integer({ min: 1, max: 200 }),
    });
    fc.assert(
      fc.property(validProtocol, tighter, ({ document }, limits) => {
        // Drop the document's own limits so that only the workbench's apply.
        const { limits: _own, ...rest } = document;
        const result = compileProtocol(rest, { limits });
        if (result.ok) {
          outcomes.compiled++;
          expect(result.program.limits).toMatchObject(limits);
          checkRunWithinLimits(result.program, result.program.limits);
        } else {
          outcomes.rejected++;
          expect(result.problems.some((p) => p.code === 'limit' || p.code === 'timing')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
    expect(outcomes.compiled).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });
});

/** Whether every segment of a problem's path but the last exists in the input. */
function pathLeadsIntoInput(input: unknown, path: string): boolean {
  const segments = pathSegments(path);
  let node: unknown = input;
  for (const s of segments.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    const key = Array.isArray(node) ? Number(s) : s;
    if (!Object.prototype.hasOwnProperty.call(node, key)) return false;
    node = (node as Record<string | number, unknown>)[key];
  }
  return true;
}

describe('mutated protocols', () => {
  it('are valid, or rejected with paths into the document; never a throw', () => {
    const outcomes = { valid: 0, rejected: 0 };
    fc.assert(
      fc.property(validProtocol, mutations, ({ document }, ms) => {
        const input = mutate(document, ms);
        const result = compileProtocol(input);
        if (result.ok) {
          outcomes.valid++;
          expect(ProtocolInputSchema.safeParse(input).success).toBe(true);
          checkRunWithinLimits(result.program, result.program.limits);
          return;
        }
        outcomes.rejected++;
        expect(result.problems.length).toBeGreaterThan(0);
        for (const p of result.problems) {
          expect(p.message.length).toBeGreaterThan(10);
          expect(pathLeadsIntoInput(input, p.path), `path ${p.path} for: ${p.message}`).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    expect(outcomes.valid).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(0);
  });

  it('any value at all validates without throwing', () => {
    const weird = fc.anything({
      maxDepth: 4,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withSparseArray: true,
      withTypedArray: true,
      withBigInt: true,
      withDate: true,
    });
    fc.assert(
      fc.property(weird, (value) => {
        for (const input of [value, { format: 'memristor-workbench/protocol', version: 1, name: 'x', blocks: value }, { format: 'memristor-workbench/protocol', version: 1, name: 'x', blocks: [{ kind: 'repeat', times: 2, body: [value] }] }]) {
          const result = validateProtocol(input);
          if (!result.ok) for (const p of result.problems) expect(typeof p.message).toBe('string');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('deep nesting is rejected, not a stack overflow', () => {
    let body: unknown = [{ kind: 'read' }];
    for (let k = 0; k < 5000; k++) body = [{ kind: 'repeat', times: 1, body }];
    const result = validateProtocol({ format: 'memristor-workbench/protocol', version: 1, name: 'deep', blocks: body });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message)).toContain('blocks are nested more than 16 deep');
  });
});
