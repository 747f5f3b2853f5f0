/**
 * The instrument side of an I–V sweep step (#13), without a serial line: the replies that carry a
 * step's current and compliance flag parse back to what the instrument said, and any garbled one
 * is refused (never read as another value); the emulated device under test measures a bipolar
 * model's step exactly as a simulated sweep does, so the same seed switches the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bipolarOxidePreset, createDevice } from '../../../shared/device';
import { measureStep } from '../../../shared/device/source-measure';
import { createRng } from '../../../shared/random';
import { parseReading } from '../../../electron/services/instruments/drivers/keithley2400';
import { parseStepReading } from '../../../electron/services/instruments/drivers/keithley2600';
import { parseBoardReply, parseStepFields } from '../../../electron/services/instruments/drivers/pulse-board';
import { DeviceUnderTest, garbleLine } from '../../../electron/services/instruments/emulator';
import { formatCommandNumber, formatScpiNumber, formatTspNumber } from '../../../electron/services/instruments/numbers';

const current = fc.double({ min: -1, max: 1, noNaN: true });
const voltage = fc.double({ min: -10, max: 10, noNaN: true });
const dwell = fc.double({ min: 1e-5, max: 10, noNaN: true });
const seed = fc.integer({ min: 0, max: 2 ** 31 });

/** `a` read back from a reply that rounds it to `digits` significant digits. */
const close = (a: number, b: number, digits: number) => Math.abs(a - b) <= Math.abs(a) * 10 ** (1 - digits) + 1e-300;

const boardStep = (v: number, d: number, i: number, flag: boolean) => `OK ${formatCommandNumber(v)}V ${formatCommandNumber(d)}s ${i.toExponential(6)}A ${flag ? 1 : 0}`;
const parseBoardStep = (line: string) => {
  const r = parseBoardReply(line);
  return r?.ok ? parseStepFields(r.fields) : null;
};

describe('step replies', () => {
  it('2600B: print(smua.measure.i(), smua.source.compliance) parses back to the current and the flag', () => {
    fc.assert(
      fc.property(current, fc.boolean(), (i, flag) => {
        const parsed = parseStepReading(`${formatTspNumber(i)}\t${flag}`);
        expect(parsed).not.toBeNull();
        expect(close(i, parsed![0], 6)).toBe(true);
        expect(parsed![1]).toBe(flag);
      }),
    );
  });

  it('pulse board: an OK to STEP parses back to voltage, dwell, current and flag', () => {
    fc.assert(
      fc.property(voltage, dwell, current, fc.boolean(), (v, d, i, flag) => {
        const parsed = parseBoardStep(boardStep(v, d, i, flag));
        expect(parsed).toMatchObject({ voltage: v + 0, dwell: d, inCompliance: flag }); // -0 is written 0
        expect(close(i, parsed!.current, 7)).toBe(true);
      }),
    );
  });

  it('2400: a :READ? reply of voltage and current parses back', () => {
    fc.assert(
      fc.property(voltage, current, (v, i) => {
        const parsed = parseReading(`${formatScpiNumber(v)},${formatScpiNumber(i)}`);
        expect(parsed).not.toBeNull();
        expect(close(v, parsed![0], 7) && close(i, parsed![1], 7)).toBe(true);
      }),
    );
  });

  it('refuses every garbled reply (one character replaced by line noise), never reading another value', () => {
    fc.assert(
      fc.property(voltage, dwell, current, fc.boolean(), seed, (v, d, i, flag, s) => {
        const rng = createRng(s);
        expect(parseStepReading(garbleLine(`${formatTspNumber(i)}\t${flag}`, rng))).toBeNull();
        expect(parseBoardStep(garbleLine(boardStep(v, d, i, flag), rng))).toBeNull();
        expect(parseReading(garbleLine(`${formatScpiNumber(v)},${formatScpiNumber(i)}`, rng))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses replies with a missing or extra field, or a flag that is not one', () => {
    for (const bad of ['1.0e-03', '1.0e-03\ttrue\tx', '1.0e-03\tTRUE', '1.0e-03\t1', '\ttrue', '9.91e+37\tfalse']) expect(parseStepReading(bad)).toBeNull();
    for (const bad of ['OK 1V 0.01s 1e-3A', 'OK 1V 0.01s 1e-3A 2', 'OK 1V 0.01s 1e-3 1', 'OK 1V 0.01s NONE 0', 'OK 1 0.01s 1e-3A 0']) expect(parseBoardStep(bad)).toBeNull();
  });
});

describe('the emulated device under test, bipolar', () => {
  it('measures a step as a simulated sweep does: same currents, same flags, same switching, for any steps', () => {
    const step = fc.record({ v: fc.double({ min: -2, max: 4, noNaN: true }), dwell: fc.double({ min: 1e-3, max: 0.05, noNaN: true }), compliance: fc.double({ min: 1e-6, max: 1e-3, noNaN: true }) });
    fc.assert(
      fc.property(seed, fc.array(step, { minLength: 1, maxLength: 200 }), (s, steps) => {
        const dut = new DeviceUnderTest(createDevice(bipolarOxidePreset, { seed: s, noise: true }), 'simulated');
        const model = createDevice(bipolarOxidePreset, { seed: s, noise: true });
        for (const { v, dwell: w, compliance } of steps) {
          const m = dut.cycle(v, w, compliance);
          // shared/protocol/simulate.ts's step: switch under the compliance, let the dwell pass, measure at the end.
          model.pulse(v, w, compliance);
          model.relax(w);
          const expected = measureStep(model, v, compliance);
          expect(m.current).toBe(expected.current);
          expect(m.tripped).toBe(expected.inCompliance);
          expect(dut.model.state()).toEqual(model.state());
        }
        expect(dut.now()).toBeCloseTo(steps.reduce((t, x) => t + x.dwell, 0), 9);
      }),
      { numRuns: 60 },
    );
  });

  it('a held level (TSP delay) then a measurement switches as one step of their combined length', () => {
    const dut = new DeviceUnderTest(createDevice(bipolarOxidePreset, { seed: 9, noise: false }), 'simulated');
    const model = createDevice(bipolarOxidePreset, { seed: 9, noise: false });
    for (const v of [1, 2, 2.8, 3.2, 3.5, 1, -1.2, -1.5]) {
      dut.hold(v, 0.0098, 1e-4);
      const m = dut.cycle(v, 0.0002, 1e-4);
      model.pulse(v, 0.01, 1e-4);
      const expected = measureStep(model, v, 1e-4);
      expect(m.tripped).toBe(expected.inCompliance);
      expect(m.current).toBeCloseTo(expected.current, 12);
      expect(dut.model.state().x).toBeCloseTo(model.state().x!, 9);
    }
  });
});
