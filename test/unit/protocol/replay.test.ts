import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outermostLoops, RecordingReplay, replayProtocol, replayRecording, simulateProtocol } from '../../../shared/protocol';
import { SampleBuilder, sliceColumns, type SampleColumns } from '../../../shared/samples/columns';
import { validProtocol } from './arbitraries';
import { dryRun, libraryDocument, mustCompile } from './helpers';
import { TestModel } from './test-model';

const doc = (blocks: unknown[]) => ({ format: 'memristor-workbench/protocol', version: 1, name: 'replay', blocks });

/** Samples k of `c` left out, as a compliance trip leaves an operation unrecorded. */
function without(c: SampleColumns, drop: number): SampleColumns {
  const b = new SampleBuilder(c.length);
  for (let k = 0; k < c.length; k++) if (k !== drop) b.push(c.t[k]!, c.v[k]!, c.i[k]!, c.g[k]!, c.kind[k] as 0 | 1, c.block[k]!);
  return b.take();
}

describe('replaying a recording against its protocol', () => {
  it('gives each sample the iteration of its outermost repeat or sweep, 0 outside, and each pulse its width', () => {
    const program = mustCompile(
      doc([
        { kind: 'read' },
        {
          kind: 'sweep',
          parameter: 'width',
          values: ['1 ms', '2 ms'],
          body: [{ kind: 'repeat', times: 3, body: [{ kind: 'pulse', amplitude: '1 V', read: true }] }, { kind: 'read' }],
        },
        { kind: 'train', count: 2, amplitude: '1 V', width: '5 ms', period: '10 ms' },
      ]),
    );
    expect(Array.from(outermostLoops(program.blocks))).toEqual([-1, 1, 1, 1, 1, -1]);
    const samples = simulateProtocol(program, new TestModel());
    const r = replayRecording(program, samples);
    expect(r.problem).toBeNull();
    expect(r.matched).toBe(samples.length);
    // read | sweep 1: 3 × (pulse, read), read | sweep 2: the same | train: 2 pulses
    expect(Array.from(r.cycle)).toEqual([0, ...Array(7).fill(1), ...Array(7).fill(2), 0, 0]);
    const widths = Array.from(r.width).map((w) => (Number.isNaN(w) ? null : w));
    expect(widths).toEqual([null, ...[0.001, null, 0.001, null, 0.001, null, null], ...[0.002, null, 0.002, null, 0.002, null, null], 0.005, 0.005]);
  });

  it('follows an until the way the run went, its reference read in cycle 1', () => {
    const program = mustCompile(libraryDocument('forming-ramp.json'));
    const samples = simulateProtocol(program, new TestModel({ step: 0.02 }));
    const r = replayRecording(program, samples);
    expect(r.problem).toBeNull();
    expect(r.cycle[0]).toBe(1); // the reference read
    const cycles = new Set(r.cycle);
    expect(cycles.has(1)).toBe(true);
    expect([...cycles].every((c) => c >= 1 && c <= 3)).toBe(true);
    // The readings decide the path: a device that never falls runs all 3 ramps (26 pulses and reads each).
    const flat = simulateProtocol(program, new TestModel({ step: 0 }));
    const all = replayRecording(program, flat);
    expect(all.problem).toBeNull();
    expect(flat.length).toBe(1 + 3 * 26 * 2);
    expect(all.cycle.at(-1)).toBe(3);
  });

  it('counts the cycles of an I–V sweep, unless a repeat or sweep encloses it; the width of a step is its dwell', () => {
    const iv = { kind: 'iv-sweep', points: ['0 V', '1 V', '0 V', '-1 V', '0 V'], step: '0.25 V', dwell: '10 ms', cycles: 3, compliance: '1 mA' };
    const alone = mustCompile(doc([{ kind: 'read' }, iv]));
    const samples = simulateProtocol(alone, new TestModel());
    const r = replayRecording(alone, samples);
    expect(r.problem).toBeNull();
    const perCycle = (samples.length - 1) / 3;
    expect(Number.isInteger(perCycle) && perCycle > 10).toBe(true);
    expect(Array.from(r.cycle)).toEqual([0, ...Array(perCycle).fill(1), ...Array(perCycle).fill(2), ...Array(perCycle).fill(3)]);
    expect(Array.from(r.width.slice(1)).every((w) => w === 0.01)).toBe(true);

    const inRepeat = mustCompile(doc([{ kind: 'repeat', times: 2, body: [iv] }]));
    const twice = simulateProtocol(inRepeat, new TestModel());
    const cycles = Array.from(replayRecording(inRepeat, twice).cycle);
    expect(cycles).toEqual([...Array(twice.length / 2).fill(1), ...Array(twice.length / 2).fill(2)]);
  });

  it('steps over an operation that recorded nothing (a compliance trip) and goes on', () => {
    const program = mustCompile(doc([{ kind: 'repeat', times: 4, body: [{ kind: 'pulse', amplitude: '1 V', width: '1 ms', read: true }] }]));
    const full = simulateProtocol(program, new TestModel());
    const tripped = without(full, 2); // the second pulse
    const r = replayRecording(program, tripped);
    expect(r.problem).toBeNull();
    expect(Array.from(r.cycle)).toEqual([1, 1, 2, 3, 3, 4, 4]);
  });

  it('says so when the samples do not follow the protocol, and marks what it does not know', () => {
    const program = mustCompile(doc([{ kind: 'repeat', times: 2, body: [{ kind: 'pulse', amplitude: '1 V', width: '1 ms' }] }]));
    const other = simulateProtocol(mustCompile(doc([{ kind: 'repeat', times: 2, body: [{ kind: 'pulse', amplitude: '1 V', width: '1 ms' }] }, { kind: 'read' }])), new TestModel());
    const r = replayRecording(program, other);
    expect(r.matched).toBe(2);
    expect(r.problem).toBe('the protocol ends before sample 3 of 3 (a read in block 2): the recorded samples do not follow it');
    expect(Array.from(r.cycle)).toEqual([1, 2, -1]);
    expect(Number.isNaN(r.width[2]!)).toBe(true);
    expect(replayProtocol(null, other)).toMatchObject({ matched: 0, problem: 'it has no protocol snapshot', blocks: [] });
    expect(replayProtocol({ name: 'broken' }, other).problem).toMatch(/^its protocol snapshot does not compile/);
    expect(Array.from(replayProtocol(null, other).cycle)).toEqual([-1, -1, -1]);
  });

  it('accounts for every sample of any simulated protocol, with the widths the interpreter applied', () => {
    fc.assert(
      fc.property(validProtocol, ({ document }) => {
        const program = mustCompile(document);
        const samples = simulateProtocol(program, new TestModel());
        const r = replayRecording(program, samples);
        expect(r.problem).toBeNull();
        expect(r.matched).toBe(samples.length);
        // The interpreter on its own, each read answered with what the simulation read.
        const readG = Array.from(samples.g).filter((_, k) => samples.kind[k] === 0);
        // Each step answered with the current it recorded (a forming block stops where it did).
        const pulseI = Array.from(samples.i).filter((_, k) => samples.kind[k] === 1);
        const widths = dryRun(program, (_, k) => readG[k], (_, k) => pulseI[k]).ops.flatMap((op) => (op.op === 'pulse' ? [op.width] : op.op === 'step' ? [op.dwell] : []));
        expect(Array.from(r.width).filter((w) => !Number.isNaN(w))).toEqual(widths);
        const outer = outermostLoops(program.blocks);
        let last = new Map<number, number>();
        for (let k = 0; k < samples.length; k++) {
          const loop = outer[samples.block[k]!]!;
          if (loop < 0) expect(r.cycle[k]).toBe(0);
          else {
            // Within one loop block the cycle starts at 1 and never goes back.
            expect(r.cycle[k]).toBeGreaterThanOrEqual(last.get(loop) ?? 1);
            last = last.set(loop, r.cycle[k]!);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('fed window by window (a run streamed through a buffer), gives what one replay of the whole recording gives', () => {
    fc.assert(
      fc.property(validProtocol, fc.array(fc.nat(40), { maxLength: 12 }), fc.nat(5), ({ document }, cuts, drop) => {
        const program = mustCompile(document);
        // Sometimes a sample left out, so the replay loses the recording part-way and says where.
        const full = simulateProtocol(program, new TestModel());
        const samples = drop > 0 && full.length > drop ? without(full, full.length - drop) : full;
        const whole = replayRecording(program, samples);
        const width = new Float64Array(samples.length + 3).fill(7);
        const cycle = new Int32Array(samples.length + 3).fill(7);
        const replay = new RecordingReplay(program, samples.length);
        let from = 0;
        for (const cut of [...cuts, samples.length]) {
          const to = Math.min(samples.length, from + cut);
          // Written from index 3 of buffers of their own, as a row group takes them.
          replay.feed(sliceColumns(samples, from, to), width.subarray(3), cycle.subarray(3), from);
          from = to;
        }
        expect(Array.from(width.subarray(3))).toEqual(Array.from(whole.width));
        expect(Array.from(cycle.subarray(3))).toEqual(Array.from(whole.cycle));
        expect(Array.from(width.subarray(0, 3))).toEqual([7, 7, 7]);
        expect(replay.matched).toBe(whole.matched);
        expect(replay.problem).toBe(whole.problem);
      }),
      { numRuns: 150 },
    );
  });
});
