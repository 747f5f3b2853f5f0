/**
 * The simulation-sweep form's reading of what was typed (#16): seeds as a count or a list, values
 * with units, never a throw; and its check — the lab's own (shared/lab/simulation-spec) — counts
 * grid points × seeds, names each problem at its field, and makes an input the contract accepts.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulationSweepInput } from '../../../shared/contract/areas/lab';
import { builtInPresets } from '../../../shared/device';
import { checkDraft, NO_PRESET, NO_PROTOCOL, readSeeds, readValues, type SweepDraft } from '../../../renderer/features/archive/simulation-form';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const protocol = { title: 'Paper spike train', text: fs.readFileSync(path.join(root, 'resources', 'protocols', 'paper-spike-train.json'), 'utf8') };
const preset = builtInPresets.find((p) => p.name === 'intrinsic-gradient')!;
const units: Record<string, { unit: '' | 's' | 'S' | 'V' }> = { 'params.tauG': { unit: 's' }, readVoltage: { unit: 'V' } };
const unitOf = (p: string) => units[p] ?? { unit: '' as const };
const draft = (patch: Partial<SweepDraft> = {}): SweepDraft => ({ protocol: 'template:paper-spike-train', device: 'shipped:intrinsic-gradient', seeds: '3', noise: true, title: '', axes: [], ...patch });

describe('the simulation-sweep form', () => {
  it('reads one number as a count and a list as the seeds, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), (n) => {
        expect(readSeeds(` ${n} `)).toEqual({ ok: true, value: n });
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 1e9 }), { minLength: 1, maxLength: 20 }), fc.constantFrom(', ', ',', ' ; '), (seeds, sep) => {
        const text = seeds.join(sep) + (seeds.length === 1 ? ',' : '');
        expect(readSeeds(text)).toEqual({ ok: true, value: seeds });
      }),
    );
  });

  it('never throws on what is typed; a token that is no number is named', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const seeds = readSeeds(text);
        const values = readValues(text, { unit: 's' });
        if (!seeds.ok) expect(seeds.message.length).toBeGreaterThan(10);
        if (!values.ok) expect(values.message.length).toBeGreaterThan(10);
      }),
    );
    expect(readSeeds('1, x2')).toEqual({ ok: false, message: expect.stringContaining('"x2" is not a number') });
    expect(readValues('60 s, 4 V', { unit: 's' })).toMatchObject({ ok: false, message: expect.stringContaining('"4 V"') });
  });

  it('reads values with units and prefixes as the rest of the app does', () => {
    expect(readValues('60 s, 2.5 min, 400', { unit: 's' })).toEqual({ ok: true, values: [60, 150, 400] });
    expect(readValues('10u, 20 µS', { unit: 'S' })).toEqual({ ok: true, values: [1e-5, 2e-5] });
    expect(readValues('3 %, 0.1', { unit: '' })).toEqual({ ok: true, values: [0.03, 0.1] });
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 8 }), (values) => {
        expect(readValues(values.map((v) => `${v} s`).join(', '), { unit: 's' })).toEqual({ ok: true, values });
      }),
    );
  });

  it('counts grid points × seeds, and sends what the contract accepts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.uniqueArray(fc.integer({ min: 10, max: 1000 }), { minLength: 1, maxLength: 6 }), (seeds, tauG) => {
        const c = checkDraft(draft({ seeds: String(seeds), axes: [{ path: 'params.tauG', text: tauG.map((v) => `${v} s`).join(', ') }] }), unitOf, protocol, preset);
        expect(c.problems).toEqual([]);
        expect(c).toMatchObject({ jobs: seeds * tauG.length, points: tauG.length, seeds });
        expect(SimulationSweepInput.parse(c.input)).toEqual({ protocol: { source: 'template', id: 'paper-spike-train' }, device: { name: 'intrinsic-gradient', origin: 'shipped' }, seeds, noise: true, grid: { 'params.tauG': tauG } });
      }),
      { numRuns: 30 },
    );
  });

  it('names each problem at its field and sends nothing', () => {
    const at = (d: SweepDraft) => {
      const c = checkDraft(d, unitOf, protocol, preset);
      expect(c.input).toBeNull();
      return c.problems;
    };
    expect(at(draft({ protocol: '' }))).toEqual([{ path: 'protocol', message: NO_PROTOCOL }]);
    expect(at(draft({ device: '' }))).toEqual([{ path: 'device', message: NO_PRESET }]);
    expect(at(draft({ seeds: '0' }))).toEqual([{ path: 'seeds', message: 'seeds as a count must be a whole number from 1 to 10000 (got 0)' }]);
    expect(at(draft({ seeds: '' }))[0]!.path).toBe('seeds');
    expect(at(draft({ seeds: '4, 4' }))).toEqual([{ path: 'seeds[1]', message: 'seed 4 is listed twice' }]);
    expect(at(draft({ axes: [{ path: 'params.nope', text: '1' }] }))).toEqual([{ path: 'grid["params.nope"]', message: expect.stringContaining("the preset 'intrinsic-gradient' has no numeric field params.nope") }]);
    expect(at(draft({ axes: [{ path: 'params.tauG', text: '60 s, -5 s' }] }))).toEqual([{ path: 'params.tauG', message: expect.stringMatching(/^at params\.tauG = -5: /) }]);
    expect(at(draft({ axes: [{ path: 'params.tauG', text: '' }] }))[0]!.path).toBe('grid["params.tauG"]');
    // A value out of range shows beside a seed problem, not only once the seeds are right.
    expect(at(draft({ seeds: '0', axes: [{ path: 'params.tauG', text: '-5 s' }] })).map((p) => p.path)).toEqual(['seeds', 'params.tauG']);
    expect(at(draft({ axes: [{ path: 'params.tauG', text: '60' }, { path: 'params.tauG', text: '70' }] }))[0]).toEqual({ path: 'grid["params.tauG"]', message: expect.stringContaining('in the grid twice') });
    expect(at(draft({ seeds: '10000', axes: [{ path: 'params.tauG', text: Array.from({ length: 11 }, (_, k) => 60 + k).join(', ') }] }))).toEqual([{ path: '', message: expect.stringContaining('110000 jobs, more than 100000 (ours)') }]);
  });

  it('sends nothing while the protocol or the preset is still loading', () => {
    expect(checkDraft(draft(), unitOf, null, preset)).toMatchObject({ input: null, problems: [], jobs: 3 });
    expect(checkDraft(draft(), unitOf, protocol, null)).toMatchObject({ input: null, problems: [], jobs: 3 });
  });
});
