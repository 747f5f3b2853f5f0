/**
 * Simulation sweep files (#16): the checks never throw and name every problem with its path; a
 * valid file reads back as written; the grid's points are its product; a grid point sets exactly the
 * preset field it names and is checked as any preset. Also the pieces a simulation job relies on:
 * its payload, its run id, and the samples hash taken in pieces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInPresets } from '../../../shared/device';
import { allocColumns, sliceColumns } from '../../../shared/samples/columns';
import { SamplesHasher, samplesHash } from '../../../electron/services/lab/samples-copy';
import { checkJobData, simulationJobKey } from '../../../electron/services/lab-queue/payload';
import { nameUuid, sweepRunId } from '../../../electron/services/lab-queue/simulation-job';
import { gridPoints, parseSimulationSweepFile, presetAt } from '../../../shared/lab/simulation-spec';

const preset = builtInPresets.find((p) => p.name === 'intrinsic-gradient')!;
const pathName = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}(\.[a-z][A-Za-z0-9]{0,8}){0,2}$/);
const validFile = fc.record({
  protocol: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
  device: fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
  seeds: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 20 })),
  noise: fc.boolean(),
  grid: fc.dictionary(pathName, fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 4 }), { maxKeys: 3 }),
});

describe('simulation sweep files', () => {
  it('never throws; every problem has a path and a sentence', () => {
    fc.assert(
      fc.property(fc.anything(), (x) => {
        const r = parseSimulationSweepFile(x);
        if (!r.ok) for (const p of r.problems) expect(typeof p.path === 'string' && p.message.length > 10).toBe(true);
      }),
    );
  });

  it('reads a valid file back as written (a count N of seeds is 1…N)', () => {
    fc.assert(
      fc.property(validFile, (f) => {
        const r = parseSimulationSweepFile(f);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.seeds).toEqual(typeof f.seeds === 'number' ? Array.from({ length: f.seeds }, (_, k) => k + 1) : f.seeds);
        expect(r.value.grid).toEqual(Object.entries(f.grid).map(([path, values]) => ({ path, values })));
        expect(r.value).toMatchObject({ protocol: f.protocol, device: f.device, noise: f.noise });
      }),
    );
  });

  it('refuses one bad field of a valid file, naming it', () => {
    const bad = fc.oneof(
      fc.record({ key: fc.constant('seeds'), value: fc.constantFrom(0, -1, 1.5, [], [1, 1], ['x'], null, 'all') }),
      fc.record({ key: fc.constant('noise'), value: fc.constantFrom('yes', 1, null) }),
      fc.record({ key: fc.constant('protocol'), value: fc.constantFrom('', '  ', 3, null) }),
      fc.record({ key: fc.constant('grid'), value: fc.constantFrom([], 'tauG', { 'params.tauG': [] }, { 'params.tauG': [Number.NaN] }, { 'a b': [1] }, { 'params.tauG': 5 }) }),
      fc.record({ key: fc.constant('colour'), value: fc.anything() }),
    );
    fc.assert(
      fc.property(validFile, bad, (f, { key, value }) => {
        const r = parseSimulationSweepFile({ ...f, [key]: value });
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problems.some((p) => p.path.startsWith(key))).toBe(true);
      }),
    );
  });

  it('makes the product of the grid, the first axis slowest', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 4 }), { maxLength: 3 }), (axes) => {
        const grid = axes.map((values, k) => ({ path: `params.p${k}`, values }));
        const points = gridPoints(grid);
        expect(points).toHaveLength(axes.reduce((n, a) => n * a.length, 1));
        expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
        if (axes.length > 0) expect(points[0]).toEqual(Object.fromEntries(axes.map((a, k) => [`params.p${k}`, a[0]])));
      }),
    );
  });

  it('sets only the field a grid point names, and checks the preset it makes', () => {
    const at = presetAt(preset, { 'params.tauG': 321, 'variation.c2c': 0 });
    expect(at.ok).toBe(true);
    if (at.ok) {
      expect(at.value.params).toEqual({ ...preset.params, tauG: 321 });
      expect(at.value.variation).toEqual({ ...preset.variation, c2c: 0 });
      expect(at.value.name).toBe(preset.name);
    }
    expect(preset.params).not.toHaveProperty('tauG', 321);
    const missing = presetAt(preset, { 'params.nope': 1 });
    expect(missing).toEqual({ ok: false, problems: [{ path: 'grid["params.nope"]', message: expect.stringMatching(/has no numeric field params.nope/) as string }] });
    const notNumber = presetAt(preset, { name: 1 });
    expect(notNumber.ok).toBe(false);
    const outOfRange = presetAt(preset, { 'params.tauG': -1 });
    expect(outOfRange.ok).toBe(false);
    if (!outOfRange.ok) expect(outOfRange.problems[0]).toMatchObject({ path: 'params.tauG', message: expect.stringMatching(/^at params.tauG = -1: /) as string });
  });
});

describe('simulation jobs', () => {
  it('checks a simulation job payload, and names it', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat(), fc.nat(), (sweepId, point, seed) => {
        expect(checkJobData({ kind: 'simulation', sweepId, point, seed })).toEqual({ ok: true, data: { kind: 'simulation', sweepId: sweepId.toLowerCase(), point, seed } });
      }),
    );
    expect(checkJobData({ kind: 'simulation', sweepId: '00000000-0000-4000-8000-000000000000', point: -1, seed: 1 })).toEqual({ ok: false, reason: "the job's point is missing or not a non-negative integer" });
    expect(checkJobData({ kind: 'simulation', sweepId: '00000000-0000-4000-8000-000000000000', point: 0, seed: 1, x: 1 })).toEqual({ ok: false, reason: 'the job\'s data has unknown field(s): "x"' });
    expect(simulationJobKey({ point: 2, seed: 7 })).toBe('point-2/seed-7');
  });

  it('derives one run id per (sweep, job): a UUID, the same every time', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.string(), fc.string(), (sweep, a, b) => {
        const id = sweepRunId(sweep, a);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(sweepRunId(sweep, a)).toBe(id);
        if (a !== b) expect(sweepRunId(sweep, b)).not.toBe(id);
      }),
    );
    expect(nameUuid('x')).not.toBe(nameUuid('y'));
  });

  it('hashes samples in pieces exactly as whole', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double(), fc.double(), fc.integer({ min: 0, max: 1 }), fc.integer({ min: -1, max: 9 })), { maxLength: 40 }), fc.array(fc.nat({ max: 40 }), { maxLength: 4 }), (rows, cutsRaw) => {
        const c = allocColumns(rows.length);
        rows.forEach(([t, g, kind, block], k) => {
          c.t[k] = t;
          c.v[k] = -t;
          c.i[k] = g * 0.1;
          c.g[k] = g;
          c.kind[k] = kind;
          c.block[k] = block;
          c.compliance[k] = kind;
        });
        const cuts = [0, ...cutsRaw.map((x) => Math.min(x, rows.length)).sort((x, y) => x - y), rows.length];
        const h = new SamplesHasher();
        for (let k = 1; k < cuts.length; k++) h.add(sliceColumns(c, cuts[k - 1]!, cuts[k]!));
        expect(h.digest()).toBe(samplesHash(c));
      }),
    );
  });
});
