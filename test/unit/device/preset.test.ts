import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtInPresets,
  createDevice,
  deviceKinds,
  modelTitles,
  ourParameters,
  paramInfoList,
  parseDevicePreset,
  parseDevicePresetText,
  variationInfo,
  type DevicePreset,
  type PresetProblem,
} from '../../../shared/device';

const resourceDir = fileURLToPath(new URL('../../../resources/devices/', import.meta.url));

function readResource(name: string): unknown {
  return JSON.parse(readFileSync(`${resourceDir}${name}.json`, 'utf8'));
}

function problemsOf(value: unknown): PresetProblem[] {
  const result = parseDevicePreset(value);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

interface Editable {
  [key: string]: unknown;
  params: Record<string, unknown>;
  variation: Record<string, unknown>;
}

function mutate(preset: DevicePreset, edit: (p: Editable) => void): unknown {
  const copy = structuredClone(preset) as unknown as Editable;
  edit(copy);
  return copy;
}

const [intrinsic] = builtInPresets;

describe('shipped presets', () => {
  it('the JSON files in resources/devices are valid and identical to the built-in presets', () => {
    expect(builtInPresets.map((p) => p.model)).toEqual([...deviceKinds]);
    for (const preset of builtInPresets) {
      const json = readResource(preset.name);
      const parsed = parseDevicePreset(json);
      expect(parsed.ok).toBe(true);
      expect(json).toEqual(preset);
      if (parsed.ok) expect(parsed.preset).toEqual(preset);
    }
  });

  it('label every default as the workbench’s own calibration', () => {
    for (const preset of builtInPresets) {
      expect(preset.source).toBe('ours');
      expect(ourParameters(preset).sort()).toEqual(Object.keys(preset.params).sort());
      expect(preset.notes).toBeTruthy();
    }
  });

  it('the intrinsic-gradient preset carries the calibrated values', () => {
    expect(intrinsic!.params).toMatchObject({ kD: 0.0475, kS: 0.05, beta: 5, rho: 0.5, gMin: 0.01, tauG: 150, tauS: 400, g0: 10e-6 });
    expect(intrinsic!.variation).toEqual({ c2c: 0.03, d2d: 0.05, read: 0.01 });
    expect(intrinsic!.readVoltage).toBe(0.1);
  });

  it('gives every parameter a label, unit, description and range for the UI', () => {
    for (const kind of deviceKinds) {
      expect(modelTitles[kind]).toBeTruthy();
      const preset = builtInPresets.find((p) => p.model === kind)!;
      const infos = paramInfoList(kind);
      expect(infos.map((i) => i.key).sort()).toEqual(Object.keys(preset.params).sort());
      for (const info of [...infos, ...Object.values(variationInfo)]) {
        expect(info.label.length).toBeGreaterThan(3);
        expect(info.description.length).toBeGreaterThan(10);
        expect(typeof info.unit).toBe('string');
        expect(info.requirement).toMatch(/^(a |in )/);
      }
    }
    const tauG = paramInfoList('intrinsic-gradient').find((i) => i.key === 'tauG')!;
    expect(tauG.unit).toBe('s');
  });
});

describe('parseDevicePreset', () => {
  it('names the parameter and its range in a sentence', () => {
    const problems = problemsOf(
      mutate(intrinsic!, (p) => {
        p.params.tauG = -3;
        p.params.gMin = 1;
        delete p.params.kS;
        p.variation.c2c = 'x';
      }),
    );
    const messages = problems.map((p) => p.message);
    expect(messages).toContain('tauG must be a positive number of seconds (got -3)');
    expect(messages).toContain('gMin must be in [0, 1) (got 1)');
    expect(messages).toContain('kS is missing: it must be in [0, 1]');
    expect(messages).toContain('variation.c2c must be in [0, 1] (got "x")');
    expect(problems.find((p) => p.field === 'tauG')?.path).toBe('params.tauG');
  });

  it('reports unknown fields, a wrong model, cross-parameter limits and non-objects', () => {
    expect(problemsOf(mutate(intrinsic!, (p) => (p.params.tauX = 1)))[0]).toMatchObject({ path: 'params.tauX', field: 'tauX' });
    expect(problemsOf(mutate(intrinsic!, (p) => (p.colour = 'red')))[0]!.message).toMatch(/unknown field colour/);
    expect(problemsOf(mutate(intrinsic!, (p) => (p.model = 'pcm')))[0]!.message).toBe(
      'model must be one of intrinsic-gradient, filamentary, ideal, bipolar (got "pcm")',
    );
    expect(problemsOf(mutate(intrinsic!, (p) => (p.params.rho = 0.995)))[0]!.message).toMatch(/^rho must be in \[0, 1 − gMin\] = \[0, 0\.99\]/);
    expect(problemsOf(mutate(intrinsic!, (p) => (p.readVoltage = 1.5)))[0]!.message).toMatch(/^readVoltage must be below the threshold vTh/);
    const fil = builtInPresets.find((p) => p.model === 'filamentary')!;
    expect(problemsOf(mutate(fil, (p) => (p.params.dropMax = 0.1)))[0]!.message).toMatch(/^dropMax must be at least dropMin/);
    expect(problemsOf(null)[0]!.message).toMatch(/must be a JSON object/);
    expect(problemsOf([1])[0]!.message).toMatch(/must be a JSON object/);
    expect(parseDevicePresetText('{"schema": 1,')).toMatchObject({ ok: false });
  });

  it('fills in provenance from the preset’s source', () => {
    const result = parseDevicePreset(
      mutate(intrinsic!, (p) => {
        p.source = 'measured';
        p.provenance = { kD: 'fitted' };
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.preset.provenance.kD).toBe('fitted');
    expect(result.preset.provenance.tauG).toBe('measured');
    expect(ourParameters(result.preset)).toEqual([]);
  });

  it('never throws on random mutations: a valid preset, or problems each naming a field', () => {
    const leaf = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.string(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.constant({}),
    );
    const mutation = fc.record({
      preset: fc.constantFrom(...builtInPresets),
      section: fc.constantFrom('top', 'params', 'variation', 'provenance'),
      key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('tauG', 'gMin', 'rho', 'model', 'schema', 'kD', 'c2c', 'dropMax', 'vTh', 'readVoltage')),
      value: leaf,
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const copy = structuredClone(mutations[0]!.preset) as unknown as Record<string, unknown>;
        for (const m of mutations) {
          const found = m.section === 'top' ? copy : copy[m.section];
          if (typeof found !== 'object' || found === null) continue;
          const target = found as Record<string, unknown>;
          if (m.remove) delete target[m.key];
          else target[m.key] = m.value;
        }
        const result = parseDevicePreset(copy);
        if (result.ok) {
          // A valid result must be usable.
          const device = createDevice(result.preset, { seed: 1 });
          device.pulse(2, 0.01);
          device.relax(1);
          return Number.isFinite(device.conductance());
        }
        return (
          result.problems.length > 0 &&
          result.problems.every(
            (p) =>
              p.message.length > 0 &&
              p.path.endsWith(p.field) &&
              (p.field === '' || p.message.includes(p.field) || p.message.includes(JSON.stringify(p.field))),
          )
        );
      }),
      { numRuns: 500 },
    );
  });
});
