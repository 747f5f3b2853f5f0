import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_BOUNDS, TEXT_LIMITS } from '../../../shared/contract/limits';
import { createDevice, builtInPresets } from '../../../shared/device';
import {
  compileProtocol,
  drive,
  estimateProgram,
  SafetyLimitError,
  validateProtocol,
  type Problem,
  type Program,
} from '../../../shared/protocol';
import { largeProtocol, validProtocol } from './arbitraries';
import { doc, dryRun } from './helpers';

/**
 * Every protocol ends: its duration, operation count and sample count are bounded
 * (PROTOCOL_BOUNDS), checked when it is validated — so `protocol validate`, saving, the preview,
 * `simulate` and `run` all refuse it — with the path of the block to change.
 */
function problems(input: unknown): Problem[] {
  const result = validateProtocol(input);
  if (result.ok) throw new Error('expected problems, the document is valid');
  return result.problems;
}
const wait = (duration: number | string, extra: Record<string, unknown> = {}) => ({ kind: 'wait', duration, ...extra });
const repeat = (times: number, ...body: unknown[]) => ({ kind: 'repeat', times, body });

describe('protocols that would never end', () => {
  it('refuses a repeat of 10^12 waits at the repeat, naming its duration and operations', () => {
    const ps = problems(doc([repeat(1e12, wait('1 s'))]));
    expect(ps.map((p) => [p.path, p.code])).toEqual([['blocks[0]', 'limit']]);
    expect(ps[0]!.message).toMatch(/^this repeat block lasts .*more than the limit of 720 h \(30 days\) of protocol time; it runs 1,000,000,000,000 operations, more than the limit of 100,000,000 operations$/);
  });

  it('refuses nested repeats of waits at the innermost block that is too long', () => {
    const ps = problems(doc([repeat(1e4, repeat(1e4, repeat(1e4, wait('1 s'))))]));
    expect(ps.map((p) => p.path)).toEqual(['blocks[0].body[0]']);
    expect(ps[0]!.message).toContain('lasts 3 years');
    // Each level within the bounds, together over them: the outer one is named.
    const outer = problems(doc([repeat(1e3, repeat(1e3, repeat(1e3, wait('0 s'))))]));
    expect(outer.map((p) => p.path)).toEqual(['blocks[0]']);
    expect(outer[0]!.message).toContain('runs 1,000,000,000 operations');
  });

  it('refuses a wait of 10^308 s, twice: each wait, and never "Infinity s"', () => {
    const ps = problems(doc([wait(1e308), wait(1e308)]));
    expect(ps.map((p) => p.path)).toEqual(['blocks[0]', 'blocks[1]']);
    expect(ps[0]!.message).toBe('this wait block lasts about 10^300 years, more than the limit of 720 h (30 days) of protocol time');
    for (const p of ps) expect(p.message).not.toMatch(/Infinity|e\+/);
  });

  it('treats a total that overflows to Infinity as over the limit', () => {
    // Each block alone is within the bounds; 10^300 repeats of 10^300 repeats overflow a double.
    const ps = problems(doc([repeat(1e300, repeat(1e300, { kind: 'pulse', amplitude: 1, width: '1 µs' }))]));
    expect(ps.some((p) => p.path === 'blocks[0].body[0]' && p.code === 'limit')).toBe(true);
    expect(ps.every((p) => !p.message.includes('Infinity') && !p.message.includes('NaN'))).toBe(true);
    // 10^308 times ten seconds is more than a double holds.
    const infinite = problems(doc([repeat(1e308, repeat(10, wait('1 s')))]));
    expect(infinite.map((p) => p.path)).toEqual(['blocks[0]']);
    expect(infinite[0]!.message).toBe(
      'this repeat block lasts longer than can be counted, more than the limit of 720 h (30 days) of protocol time; it runs more operations than can be counted, more than the limit of 100,000,000 operations',
    );
  });

  it('refuses `wait 0 s` with readEvery repeated 10^12 times: no time, no reads, but operations', () => {
    const ps = problems(doc([repeat(1e12, wait('0 s', { readEvery: '1 ms' }))]));
    expect(ps.map((p) => p.path)).toEqual(['blocks[0]']);
    expect(ps[0]!.message).toContain('runs 1,000,000,000,000 operations');
    expect(ps[0]!.message).not.toContain('lasts');
  });

  it('counts bodies without pulses or reads: a sweep of waits, an until that only waits between reads', () => {
    const values = Array.from({ length: 1000 }, (_, k) => `${k + 1} ms`);
    const sweep = problems(doc([repeat(1e6, { kind: 'sweep', parameter: 'duration', values, body: [{ kind: 'wait' }] })]));
    expect(sweep.map((p) => p.path)).toEqual(['blocks[0]']);
    const until = problems(
      doc([{ kind: 'until', when: 'above', threshold: '1 mS', maxIterations: 1e9, body: [wait('1 s'), { kind: 'read' }] }]),
    );
    expect(until.map((p) => p.path)).toEqual(['blocks[0]', 'blocks']);
    expect(until[0]!.message).toContain('lasts up to');
  });

  it('adds the blocks of the document together', () => {
    const ps = problems(doc([wait(1_500_000), wait(1_500_000), wait(1_500_000)]));
    expect(ps.map((p) => p.path)).toEqual(['blocks']);
    expect(ps[0]!.message).toBe('the protocol lasts 1250 h (52 days), more than the limit of 720 h (30 days) of protocol time');
  });

  it('accepts a protocol right at the bounds', () => {
    const ok = validateProtocol(doc([wait(PROTOCOL_BOUNDS.maxDurationS)]));
    expect(ok.ok).toBe(true);
    const reads = validateProtocol(doc([{ kind: 'read', count: 10_000_000, interval: '1 ms' }]));
    expect(reads.ok).toBe(true);
  });

  it('stops a program made by hand that goes past the bounds, in the interpreter', () => {
    const compiled = compileProtocol(doc([wait('1 s'), { kind: 'read' }]));
    if (!compiled.ok) throw new Error('invalid');
    const program: Program = structuredClone(compiled.program);
    const first = program.instructions[0];
    if (first?.kind !== 'wait') throw new Error('expected a wait');
    first.duration = 1e12;
    expect(() => dryRun(program)).toThrow(SafetyLimitError);
    expect(() => dryRun(program)).toThrow(/protocol time .* exceeds the workbench's bound/);
  });
});

describe('names and texts of a protocol', () => {
  it('refuses a 10 MB name at validation, with its path, before any run', () => {
    const ps = problems(doc([{ kind: 'read' }], { name: 'n'.repeat(10 * 1024 * 1024) }));
    expect(ps.map((p) => [p.path, p.code])).toEqual([['name', 'range']]);
    expect(ps[0]!.message).toBe(`name must be at most ${TEXT_LIMITS.name} characters; this one has 10,485,760`);
    const description = problems(doc([{ kind: 'read' }], { description: 'd'.repeat(TEXT_LIMITS.description + 1) }));
    expect(description.map((p) => p.path)).toEqual(['description']);
    const label = problems(doc([{ kind: 'read', label: 'l'.repeat(TEXT_LIMITS.name + 1) }]));
    expect(label.map((p) => p.path)).toEqual(['blocks[0].label']);
  });
});

describe('any protocol that validates', () => {
  it('has a finite estimate within the bounds, however large its loops and waits', () => {
    fc.assert(
      fc.property(largeProtocol, ({ document }) => {
        const result = validateProtocol(document);
        if (!result.ok) {
          // Scaling only changes counts and durations: all that can be wrong is a limit.
          expect(result.problems.every((p) => p.code === 'limit'), JSON.stringify(result.problems)).toBe(true);
          return;
        }
        const compiled = compileProtocol(document);
        if (!compiled.ok) throw new Error('validated but did not compile');
        const e = estimateProgram(compiled.program);
        for (const [what, value, bound] of [
          ['duration', e.duration.value, PROTOCOL_BOUNDS.maxDurationS],
          ['operations', e.operations.value, PROTOCOL_BOUNDS.maxOperations],
          ['samples', e.pulses.value + e.reads.value, PROTOCOL_BOUNDS.maxSamples],
        ] as const) {
          expect(Number.isFinite(value), what).toBe(true);
          expect(value, what).toBeLessThanOrEqual(bound * (1 + 1e-9));
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is simulated to its end within its estimate (and so within the bounds)', () => {
    const preset = builtInPresets.find((p) => p.name === 'intrinsic-gradient')!;
    fc.assert(
      fc.property(fc.oneof(validProtocol, largeProtocol), fc.integer({ min: 1, max: 1000 }), ({ document }, seed) => {
        const compiled = compileProtocol(document);
        if (!compiled.ok) return;
        const e = estimateProgram(compiled.program);
        // Large ones were checked above; running a hundred million operations here would prove nothing more.
        fc.pre(e.operations.value <= 20_000);
        let pulses = 0;
        let reads = 0;
        let end = 0;
        const run = drive(compiled.program, createDevice(preset, { seed, noise: true }), {
          maxOps: PROTOCOL_BOUNDS.maxOperations,
          sample: (t, _v, _i, _g, kind) => {
            if (kind === 0) reads++;
            else pulses++;
            end = Math.max(end, t);
          },
        });
        expect(run.truncated).toBe(false);
        expect(pulses).toBeLessThanOrEqual(e.pulses.value);
        expect(reads).toBeLessThanOrEqual(e.reads.value);
        expect(end).toBeLessThanOrEqual(e.duration.value * (1 + 1e-9) + 1e-12);
      }),
      { numRuns: 200 },
    );
  });
});
