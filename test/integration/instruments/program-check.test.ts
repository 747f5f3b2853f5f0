/**
 * instrumentProblems: a compiled protocol checked against an instrument's limits before a run is
 * queued on it, each problem at the document path a person fixes (the block's field, the values of
 * the sweep that binds it, a ramp's end). The instrument here is the limits module the drivers use,
 * with tighter limits than Settings allow by default; the Keithley 2400's shortest pulse is tested
 * over a real pseudo-terminal in instruments-manager/settings.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { compileProtocol, type Program } from '../../../shared/protocol';
import { errorMessage } from '../../../electron/services/instruments/errors';
import { assertPulseSafe, assertReadSafe, resolveLimits } from '../../../electron/services/instruments/limits';
import { instrumentProblems } from '../../../electron/services/instruments/program-check';

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
};

function program(blocks: unknown[]): Program {
  const r = compileProtocol({ format: 'memristor-workbench/protocol', version: 1, name: 'p', blocks });
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
