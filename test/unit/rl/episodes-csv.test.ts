/**
 * The per-episode CSV writer (rl.export, lab.rlExport): whatever the traces hold, the file read
 * back by an independent CSV parser (csv-parse, through shared/csv) has one header line and gives
 * every stored value exactly — NaN as an empty cell, −0, the tiniest and largest doubles included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPISODE_CSV_HEADER, rlEpisodesCsv } from '../../../electron/services/rl';
import { readDelimited } from '../../../shared/csv/delimited';
import type { EpisodeTrace } from '../../../shared/rl';
import { smallExperiment } from '../../integration/rl-store/small-experiment';

const x = smallExperiment();
const jobsOf = x.environments.flatMap((e) => x.strategies.map((s) => `${e.id}/${s.id}`));

const trace = (n: number) =>
  fc.record({
    steps: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: n, maxLength: n }),
    returns: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: n, maxLength: n }),
    alpha: fc.array(fc.double({ noDefaultInfinity: true }), { minLength: n, maxLength: n }),
    conductance: fc.array(fc.double({ noDefaultInfinity: true }), { minLength: n, maxLength: n }),
    success: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: n, maxLength: n }),
    greedyLength: fc.array(fc.integer({ min: -1, max: 10_000 }), { minLength: n, maxLength: n }),
  });

/** Stored traces per job: some jobs absent, seeds in any order. */
const stored = fc.dictionary(
  fc.constantFrom(...jobsOf),
  fc.uniqueArray(fc.nat(1000), { minLength: 1, maxLength: 3 }).chain((seeds) => fc.tuple(...seeds.map((seed) => fc.integer({ min: 0, max: 12 }).chain((n) => trace(n).map((t) => ({ seed, t })))))),
);

function asTrace(t: { steps: number[]; returns: number[]; alpha: number[]; conductance: number[]; success: number[]; greedyLength: number[] }): EpisodeTrace {
  return {
    steps: Int32Array.from(t.steps),
    returns: Float64Array.from(t.returns),
    alpha: Float64Array.from(t.alpha),
    conductance: Float64Array.from(t.conductance),
    success: Uint8Array.from(t.success),
    tdErrorMean: new Float64Array(t.steps.length),
    greedyLength: Int32Array.from(t.greedyLength),
  };
}

/** A cell back to the double it was written from: empty is NaN. */
const back = (cell: string) => (cell === '' ? NaN : Number(cell));

describe('the per-episode CSV', () => {
  it('reads back (one header line) to exactly the stored values, in experiment order and seeds ascending', async () => {
    await fc.assert(
      fc.asyncProperty(stored, async (byJob) => {
        const traces = (env: string, strategy: string) => (byJob[`${env}/${strategy}`] ?? []).map(({ seed, t }) => ({ seed, trace: asTrace(t) }));
        const file = await rlEpisodesCsv({ id: '3f2b8c1e-0000-4000-8000-000000000000', name: 'Small run', config: x }, traces);
        expect(file).toMatchObject({ filename: 'small-run-episodes-3f2b8c1e.csv', mime: 'text/csv' });
        const read = readDelimited(file.text, { delimiter: ',', decimal: '.' });
        if (!read.ok) throw new Error(JSON.stringify(read.error));
        const [header, ...rows] = read.records.map((r) => r.fields);
        expect(header!.join(',')).toBe(EPISODE_CSV_HEADER);
        const expected: unknown[][] = [];
        for (const e of x.environments)
          for (const s of x.strategies)
            for (const { seed, trace: t } of traces(e.id, s.id).sort((a, b) => a.seed - b.seed))
              for (let k = 0; k < t.steps.length; k++) expected.push([e.id, s.id, seed, k, t.steps[k], t.returns[k], t.alpha[k], t.conductance[k], t.success[k], t.greedyLength[k]]);
        expect(rows.map((f) => [f[0], f[1], ...f.slice(2).map(back)])).toEqual(expected);
        // toEqual takes −0 for 0: the signs are checked apart.
        rows.forEach((f, k) => [5, 6, 7].forEach((c) => expect(Object.is(back(f[c]!), expected[k]![c])).toBe(true)));
      }),
      { numRuns: 150 },
    );
  });

  it('writes a field that needs it quoted, and a run with nothing stored as its header alone', async () => {
    const odd = { ...x, environments: [{ ...x.environments[0]!, id: 'a,"b"' }], strategies: [x.strategies[0]!] };
    const one = { seed: 1, trace: asTrace({ steps: [3], returns: [-3], alpha: [0.5], conductance: [NaN], success: [0], greedyLength: [-1] }) };
    const file = await rlEpisodesCsv({ id: '00000000-0000-4000-8000-000000000000', name: '', config: odd }, () => [one]);
    expect(file.text).toBe(`${EPISODE_CSV_HEADER}\n"a,""b""",${x.strategies[0]!.id},1,0,3,-3,0.5,,0,-1\n`);
    expect((await rlEpisodesCsv({ id: '00000000-0000-4000-8000-000000000000', name: 'x', config: x }, () => [])).text).toBe(`${EPISODE_CSV_HEADER}\n`);
  });
});
