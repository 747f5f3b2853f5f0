/**
 * instrumentProblems: a compiled protocol checked against an instrument's limits before a run is
 * queued on it, each problem at the document path a person fixes (the block's field, the values of
 * the sweep that binds it, a ramp's end). The instrument here is the limits module the drivers use,
 * with tighter limits than Settings allow by default; the Keithley 2400's shortest pulse is tested
 * over a real pseudo-terminal in instruments-manager/settings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileProtocol, workbenchLimits, type Program, type SafetyLimits } from '../../../shared/protocol';
import { errorMessage } from '../../../electron/services/instruments/errors';
import { assertComplianceSafe, assertPulseSafe, assertReadSafe, resolveLimits } from '../../../electron/services/instruments/limits';
import { capabilityProblems, instrumentProblems } from '../../../electron/services/instruments/program-check';
import { describeDrivers } from '../../../electron/services/instruments/drivers/index';
import { DriverCapabilities } from '../../../shared/contract/areas/instruments';
import { connect, emulator } from './helpers';

const limits = resolveLimits({ maxVoltage: 2, maxWidth: 0.01 });
const refusal = (check: () => void): string | null => {
  try {
    check();
    return null;
  } catch (e) {
    return errorMessage(e);
  }
};
const instrument = {
  pulseRefusal: (a: number, w: number) => refusal(() => assertPulseSafe(a, w, limits)),
  readRefusal: (v: number) => refusal(() => assertReadSafe(v, limits)),
  stepRefusal: (v: number, d: number, c: number) =>
    refusal(() => {
      assertPulseSafe(v, d, limits);
      assertComplianceSafe(c, limits);
    }),
};

function program(blocks: unknown[], limits?: Partial<SafetyLimits>): Program {
  const r = compileProtocol({ format: 'memristor-workbench/protocol', version: 1, name: 'p', blocks }, limits ? { limits: workbenchLimits(limits) } : {});
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.program;
}

describe('instrumentProblems', () => {
  it('finds nothing in a protocol within the limits', () => {
    expect(instrumentProblems(program([{ kind: 'train', count: 5, amplitude: '1.5 V', width: '5 ms', period: '100 ms', read: true }]), instrument)).toEqual([]);
  });

  it('names the field of each block that breaks a limit, once per block', () => {
    const found = instrumentProblems(
      program([
        { kind: 'pulse', amplitude: '3 V', width: '1 ms' },
        { kind: 'train', count: 10, amplitude: '1 V', width: '20 ms', period: '100 ms' },
        { kind: 'read', voltage: '2.5 V' },
        { kind: 'pulse', amplitude: '1 V', width: '1 ms', read: { voltage: '-2.5 V' } },
      ]),
      instrument,
    );
    expect(found.map((p) => p.path)).toEqual(['blocks[0].amplitude', 'blocks[1].width', 'blocks[2].voltage', 'blocks[3].read']);
    expect(found[0]!.message).toMatch(/3 V.*limit of 2 V/);
    expect(found[1]!.message).toMatch(/20 ms.*limit of 10 ms/);
    expect(found.every((p) => p.code === 'limit')).toBe(true);
  });

  it('points at the sweep values or the ramp end that bind a pulse', () => {
    const found = instrumentProblems(
      program([
        { kind: 'sweep', parameter: 'amplitude', values: ['1 V', '2.5 V'], body: [{ kind: 'pulse', width: '1 ms' }] },
        { kind: 'ramp', from: '0.5 V', to: '3 V', step: '0.5 V', width: '1 ms', period: '10 ms' },
        { kind: 'repeat', times: 2, body: [{ kind: 'sweep', parameter: 'width', values: ['1 ms', '50 ms'], body: [{ kind: 'pulse', amplitude: '1 V' }] }] },
      ]),
      instrument,
    );
    expect(found.map((p) => p.path)).toEqual(['blocks[0].values', 'blocks[1].to', 'blocks[2].body[0].values']);
  });
});

describe('capabilities in the program check', () => {
  it('a connected instrument refuses what its driver says it cannot make, at the field a person fixes', async () => {
    const b2900 = await emulator({ driver: 'keysight-b2900', time: 'simulated' });
    const fast = await connect({ path: b2900.path, driver: 'keysight-b2900' });
    const found = instrumentProblems(program([{ kind: 'train', count: 3, amplitude: '1 V', width: '20 us', period: '10 ms' }]), fast);
    expect(found).toEqual([{ path: 'blocks[0].width', code: 'limit', message: expect.stringMatching(/a Keysight B2900 cannot make a pulse shorter than 50 µs/) }]);
    expect(instrumentProblems(program([{ kind: 'train', count: 3, amplitude: '1 V', width: '60 us', period: '10 ms' }]), fast)).toEqual([]);

    // A 2602B sources at most 40 V, whatever Settings allow.
    const k2600 = await emulator({ driver: 'keithley2600', time: 'simulated' });
    const wide = await connect({ path: k2600.path, driver: 'keithley2600', limits: { maxVoltage: 100 } });
    const tooHigh = instrumentProblems(program([{ kind: 'pulse', amplitude: '50 V', width: '1 ms' }, { kind: 'read', voltage: '45 V' }], { maxVoltage: 100 }), wide);
    expect(tooHigh.map((p) => [p.path, p.message])).toEqual([
      ['blocks[0].amplitude', expect.stringMatching(/sources at most 40 V/)],
      ['blocks[1].voltage', expect.stringMatching(/read at 45 V: a Keithley 2600B series sources at most 40 V/)],
    ]);
  });

  it('capabilityProblems checks a driver before anything is connected', () => {
    const drivers = describeDrivers();
    const k2450 = drivers.find((d) => d.name === 'keithley2450')!;
    expect(capabilityProblems(program([{ kind: 'pulse', amplitude: '1 V', width: '1 ms' }]), k2450)).toEqual([
      { path: 'blocks[0].width', code: 'limit', message: 'refused a pulse of width 1 ms: a Keithley 2450 cannot make a pulse shorter than 2 ms' },
    ]);
    expect(capabilityProblems(program([{ kind: 'pulse', amplitude: '1 V', width: '5 ms' }]), k2450)).toEqual([]);
    // Every driver states what the contract carries, and its ranges ascend.
    for (const d of drivers) {
      expect(DriverCapabilities.parse(d.capabilities)).toEqual(d.capabilities);
      expect([...d.capabilities.voltageRanges].sort((a, b) => a - b)).toEqual(d.capabilities.voltageRanges);
      expect([...d.capabilities.currentRanges].sort((a, b) => a - b)).toEqual(d.capabilities.currentRanges);
    }
  });
});
