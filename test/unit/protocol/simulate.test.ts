import { describe, expect, it } from 'vitest';
import { SampleKind, sampleAt, type Sample } from '../../../shared/samples/columns';
import { compileProtocol, estimateProgram, simulateProtocol } from '../../../shared/protocol';
import { doc, libraryDocument, mustCompile } from './helpers';
import { RecordingModel, TestModel } from './test-model';

describe('simulateProtocol', () => {
  it('produces pulse and read samples for the paper spike train', () => {
    const program = mustCompile(libraryDocument('paper-spike-train.json'));
    const model = new TestModel({ g0: 1e-5, step: 0.05, tau: 150 });
    const c = simulateProtocol(program, model);
    expect(c.length).toBe(200);
    const first = sampleAt(c, 0);
    expect(first).toEqual({ t: 0, v: 2, i: 2e-5, g: 1e-5, kind: SampleKind.pulse, block: 0, compliance: false });
    const read = sampleAt(c, 1);
    expect(read.kind).toBe(SampleKind.read);
    expect(read.t).toBeCloseTo(0.01, 12);
    expect(read.v).toBe(0.1);
    // The pulse's step, then relaxation over the 10 ms the pulse lasted.
    expect(read.g).toBeCloseTo(1e-5 * (1 - 0.05 * 0.99 * Math.exp(-0.01 / 150)), 15);
    expect(read.i).toBeCloseTo(read.g * 0.1, 18);
    for (let k = 0; k < 100; k++) {
      const pulse = sampleAt(c, 2 * k);
      expect(pulse.kind).toBe(SampleKind.pulse);
      expect(pulse.t).toBe(k);
      expect(pulse.i).toBeCloseTo(pulse.g * 2, 18);
    }
    // The conductance falls over the train.
    expect(sampleAt(c, 199).g).toBeLessThan(0.2 * 1e-5);
  });

  it('takes G at a pulse as the conductance at its onset', () => {
    const program = mustCompile(doc([{ kind: 'pulse', amplitude: 1, width: '1 ms' }, { kind: 'pulse', amplitude: 1, width: '1 ms' }]));
    const c = simulateProtocol(program, new TestModel({ g0: 1, step: 0.5, tau: 1e12 }));
    expect(c.g[0]).toBe(1);
    expect(c.g[1]).toBeCloseTo(1 - 0.5 * 0.99, 9);
  });

  it('applies pulses, reads and exactly the time that passes to the model', () => {
    const program = mustCompile(libraryDocument('relaxation.json'));
    const model = new RecordingModel();
    simulateProtocol(program, model);
    const pulses = model.calls.filter((x) => x.call === 'pulse');
    const reads = model.calls.filter((x) => x.call === 'read');
    const relaxed = model.calls.reduce((s, x) => s + (x.call === 'relax' ? x.dt : 0), 0);
    expect(pulses).toHaveLength(100);
    expect(pulses[0]).toEqual({ call: 'pulse', amplitude: 2, width: 0.01 });
    expect(reads).toHaveLength(160);
    expect(reads.every((r) => r.call === 'read' && r.voltage === 0.1)).toBe(true);
    expect(relaxed).toBeCloseTo(estimateProgram(program).duration.value, 9);
    expect(model.calls.every((x) => x.call !== 'relax' || x.dt >= 0)).toBe(true);
    // A pulse is followed by the relaxation over its width, then the read.
    expect(model.calls.slice(0, 3)).toEqual([{ call: 'pulse', amplitude: 2, width: 0.01 }, { call: 'relax', dt: 0.01 }, { call: 'read', voltage: 0.1 }]);
  });

  it('tags every sample with its block', () => {
    const c = simulateProtocol(mustCompile(libraryDocument('relaxation.json')), new TestModel());
    const blocks = Array.from(c.block);
    expect(blocks.filter((b) => b === 0)).toHaveLength(200);
    expect(blocks.filter((b) => b === 1)).toHaveLength(60);
    expect(Array.from(c.t.subarray(200))).toEqual(Array.from({ length: 60 }, (_, k) => 100 + 10 * k));
  });

  it('watches the device recover during the wait', () => {
    const c = simulateProtocol(mustCompile(libraryDocument('relaxation.json')), new TestModel({ tau: 150 }));
    const recovery = Array.from(c.g.subarray(200));
    for (let k = 1; k < recovery.length; k++) expect(recovery[k]).toBeGreaterThan(recovery[k - 1] ?? Infinity);
  });

  it('calls onSample with each sample, in order', () => {
    const seen: Sample[] = [];
    const c = simulateProtocol(mustCompile(libraryDocument('paired-pulse.json')), new TestModel(), { onSample: (s) => seen.push(s) });
    expect(seen).toHaveLength(c.length);
    seen.forEach((s, k) => expect(s).toEqual(sampleAt(c, k)));
  });

  it('stops an until on the simulated device when G crosses the threshold', () => {
    // Pulses below 1.2 V do nothing to this test model; above, each takes 20 % of the way to g_min.
    const model = new TestModel({ g0: 1e-5, step: 0.2, threshold: 1.2, tau: 1e9 });
    const program = mustCompile(libraryDocument('forming-ramp.json'));
    const c = simulateProtocol(program, model);
    const pulses = Array.from(c.v.filter((_, k) => c.kind[k] === SampleKind.pulse));
    // 0.5 … 1.1 V change nothing; 1.2, 1.3, 1.4 V bring g to 0.8, 0.64, 0.51; 1.5 V to 0.41 ≤ 0.5.
    expect(pulses).toHaveLength(11);
    expect(pulses.at(-1)).toBeCloseTo(1.5, 12);
    expect(c.g[c.length - 1]).toBeLessThanOrEqual(0.5e-5);
    expect(c.length).toBeLessThan(estimateProgram(program).pulses.value);
  });

  // How fast it is: `workbench bench` (protocol.simulate), against a bare model loop in the same run.
  it('runs the relaxation protocol end to end (parse, compile, simulate), the same every time', () => {
    const text = JSON.stringify(libraryDocument('relaxation.json'));
    const once = () => {
      const compiled = compileProtocol(JSON.parse(text));
      if (!compiled.ok) throw new Error('invalid');
      return simulateProtocol(compiled.program, new TestModel());
    };
    const first = once();
    expect(first.length).toBeGreaterThan(100);
    expect([...once().g]).toEqual([...first.g]);
  });
});
