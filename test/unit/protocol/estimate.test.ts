import { describe, expect, it } from 'vitest';
import { estimateEnergy, estimateProgram } from '../../../shared/protocol';
import { doc, dryRun, libraryDocument, mustCompile } from './helpers';
import { RecordingModel, TestModel } from './test-model';

describe('estimateProgram', () => {
  it('gives the paper spike train exactly: 100 pulses, 100 reads, 100 s', () => {
    const e = estimateProgram(mustCompile(libraryDocument('paper-spike-train.json')));
    expect(e).toEqual({
      duration: { value: 100, exact: true },
      pulses: { value: 100, exact: true },
      reads: { value: 100, exact: true },
      operations: { value: 200, exact: true },
      maxAbsVoltage: 2,
      maxWidth: 0.01,
      maxDutyCycle: 0.01,
      dataDependent: false,
    });
  });

  it('adds the 600 s of reads every 10 s of the relaxation protocol', () => {
    const e = estimateProgram(mustCompile(libraryDocument('relaxation.json')));
    expect(e.duration).toEqual({ value: 700, exact: true });
    expect(e.reads).toEqual({ value: 160, exact: true });
  });

  it('adds up sweeps value by value', () => {
    const program = mustCompile(doc([{ kind: 'sweep', parameter: 'period', values: ['50 ms', '2 s'], body: [{ kind: 'train', count: 3, amplitude: 1, width: '10 ms' }] }]));
    const e = estimateProgram(program);
    expect(e.duration.value).toBeCloseTo(3 * 0.05 + 3 * 2, 12);
    expect(e.maxDutyCycle).toBeCloseTo(0.2, 12);
    expect(e.pulses.value).toBe(6);
  });

  it('counts a wait whose duration a sweep sets with the reads each duration takes', () => {
    const program = mustCompile(doc([{ kind: 'sweep', parameter: 'duration', values: [25, 0, 10], body: [{ kind: 'wait', readEvery: 10 }] }]));
    const e = estimateProgram(program);
    expect(e.reads.value).toBe(3 + 0 + 1);
    expect(e.duration.value).toBe(35);
    expect(dryRun(program).reads).toBe(4);
  });

  it('makes the figures upper bounds when an until decides, and says so', () => {
    const program = mustCompile(libraryDocument('forming-ramp.json'));
    const e = estimateProgram(program);
    expect(e.dataDependent).toBe(true);
    expect(e.pulses).toEqual({ value: 3 * 26, exact: false });
    expect(e.reads).toEqual({ value: 1 + 3 * 26, exact: false });
    expect(e.duration.value).toBeCloseTo(0.001 + 3 * 26 * 0.2, 9);
    expect(e.maxAbsVoltage).toBe(3);
  });

  it('multiplies repeats without running them', () => {
    const program = mustCompile(doc([{ kind: 'repeat', times: 1000, body: [{ kind: 'train', count: 1000, amplitude: 1, width: '1 ms', period: '10 ms' }] }]));
    const e = estimateProgram(program);
    expect(e.pulses.value).toBe(1_000_000);
    expect(e.duration.value).toBeCloseTo(10_000, 6);
  });
});

describe('estimateEnergy', () => {
  it('sums V²·G·w over the pulses', () => {
    const program = mustCompile(libraryDocument('paper-spike-train.json'));
    const e = estimateEnergy(program, new RecordingModel(1e-5));
    expect(e.energy).toBeCloseTo(100 * 2 * 2 * 1e-5 * 0.01, 15);
    expect(e.maxPulseCurrent).toBeCloseTo(2e-5, 15);
    expect(e.exceedsCompliance).toBe(false);
    expect(e.dataDependent).toBe(false);
  });

  it('uses G at the onset of each pulse, so a depressing device takes less energy', () => {
    const program = mustCompile(libraryDocument('paper-spike-train.json'));
    const constant = estimateEnergy(program, new RecordingModel(1e-5)).energy;
    const depressing = estimateEnergy(program, new TestModel({ g0: 1e-5, step: 0.05 })).energy;
    expect(depressing).toBeLessThan(constant);
    expect(depressing).toBeGreaterThan(0);
  });

  it('flags a pulse current above the compliance', () => {
    const program = mustCompile(doc([{ kind: 'pulse', amplitude: '2 V', width: '1 ms' }], { limits: { compliance: '10 µA' } }));
    const e = estimateEnergy(program, new RecordingModel(1e-5));
    expect(e.maxPulseCurrent).toBeCloseTo(2e-5, 15);
    expect(e.exceedsCompliance).toBe(true);
  });

  it('says when the energy depends on the run', () => {
    expect(estimateEnergy(mustCompile(libraryDocument('forming-ramp.json')), new TestModel()).dataDependent).toBe(true);
  });
});
