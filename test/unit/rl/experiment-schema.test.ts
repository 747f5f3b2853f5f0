import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intrinsicGradientPreset } from '../../../shared/device';
import { parseExperiment, parseExperimentText, summariseProblems, type ExperimentProblem } from '../../../shared/rl';
import { paperJson } from './helpers';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function problemsOf(value: unknown): ExperimentProblem[] {
  const r = parseExperiment(value);
  return r.ok ? [] : r.problems;
}

/** Sets (or, with `undefined`, deletes) the value at a path inside a JSON document. */
function setAt(doc: Json, path: readonly (string | number)[], value: Json | undefined): void {
  let node = doc as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
}

function leafPaths(doc: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (doc === null || typeof doc !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(doc) ? doc.map((_, k) => k) : Object.keys(doc);
  return [prefix, ...keys.flatMap((k) => leafPaths((doc as Record<string | number, Json>)[k]!, [...prefix, k]))].filter((p) => p.length > 0);
}

const formatPath = (path: readonly (string | number)[]) => path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');

describe('the experiment schema', () => {
  it('accepts the shipped paper experiment and fills in defaults', () => {
    const r = parseExperiment(paperJson());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.experiment.environments.map((e) => e.id)).toEqual(['static', 'dynamic']);
    expect(r.experiment.comparison).toEqual({ primary: 'device-intrinsic-gradient', baseline: 'constant-0.1' });
    const doc = paperJson();
    doc.strategies = [...doc.strategies, { id: 'bare-device', name: 'Bare', kind: 'device', device: 'ideal' }];
    const withDefaults = parseExperiment(doc);
    if (!withDefaults.ok) throw new Error(summariseProblems(withDefaults.problems));
    expect(withDefaults.experiment.strategies.at(-1)).toMatchObject({
      noise: true,
      map: { kind: 'linear', alphaMin: 0.01, alphaMax: 0.9 },
      spike: { kind: 'after-success' },
      pulse: { amplitude: 1.5, width: 0.001 },
      secondsPerEpisode: 1,
    });
    expect(withDefaults.experiment.firstSeed).toBe(0);
  });

  it('accepts a whole device preset inline, and reports the preset’s own problems under its path', () => {
    const doc = paperJson();
    (doc.strategies[0] as Record<string, unknown>).device = { ...intrinsicGradientPreset, name: 'mine' };
    expect(parseExperiment(doc).ok).toBe(true);
    (doc.strategies[0] as Record<string, unknown>).device = { ...intrinsicGradientPreset, params: { ...intrinsicGradientPreset.params, tauG: -1 } };
    expect(problemsOf(doc)).toContainEqual({ path: 'strategies[0].device.params.tauG', message: expect.stringContaining('tauG must be') });
  });

  // The cases poke at arbitrary places in raw JSON, which no static type describes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const cases: [string, (doc: Record<string, any>) => void, string, RegExp][] = [
    ['a learning rate above 1', (d) => (d.strategies[1].alpha = 2), 'strategies[1].alpha', /alpha must be in \(0, 1\] \(got 2\)/],
    ['an unknown field', (d) => (d.strategies[1].colour = '#000000'), 'strategies[1]', /unknown field colour/],
    ['an unknown strategy kind', (d) => (d.strategies[2].kind = 'adam'), 'strategies[2].kind', /strategy kind must be one of constant, .* \(got "adam"\)/],
    ['a missing seed count', (d) => delete d.seeds, 'seeds', /seeds is missing: it must be an integer from 1/],
    ['zero seeds', (d) => (d.seeds = 0), 'seeds', /seeds must be an integer from 1 to 10000 \(got 0\)/],
    ['a ragged layout', (d) => (d.environments[0].maze.layout[3] = '.###'), 'environments[0].maze.layout[3]', /row 3 has 4 cells but row 0 has 10/],
    ['an unreachable goal', (d) => (d.environments[0].maze.layout[8] = '##########'), 'environments[0].maze.layout', /cannot be reached/],
    ['a goal moved onto a wall', (d) => (d.environments[1].variants[0].goal = [1, 1]), 'environments[1].variants[0].goal', /goal \[1, 1\] is on a wall/],
    ['a variant cell outside the maze', (d) => (d.environments[1].variants[1].addWalls = [[3, 40]]), 'environments[1].variants[1].addWalls[0]', /outside the 10×10 maze/],
    ['a bad schedule', (d) => (d.environments[1].schedule = { every: 300, at: [3] }), 'environments[1].schedule', /schedule must be \{"every": N\} or \{"at": \[episodes\]\}/],
    ['episodes out of order', (d) => (d.environments[1].schedule = { at: [500, 300] }), 'environments[1].schedule.at', /increasing order/],
    ['an unknown baseline', (d) => (d.comparison.baseline = 'nope'), 'comparison.baseline', /must be the id of one of the strategies/],
    ['duplicate ids', (d) => (d.strategies[2].id = 'constant-0.1'), 'strategies[2].id', /used twice/],
    ['an unknown device preset', (d) => (d.strategies[0].device = 'memristor-9000'), 'strategies[0].device', /built-in preset \(intrinsic-gradient, filamentary, ideal, bipolar-oxide\)/],
    ['α_min above α_max', (d) => (d.strategies[0].map.alphaMin = 0.95), 'strategies[0].map.alphaMin', /must not exceed map.alphaMax/],
    ['a convergence window longer than the episodes', (d) => (d.convergenceWindow = 700), 'environments[0].episodes', /at least convergenceWindow = 700/],
    ['a wrong schema version', (d) => (d.schema = 2), 'schema', /the experiment format version 1/],
    ['a non-object', (d) => (d.agent = 'fast'), 'agent', /agent must be an object with algorithm, gamma, epsilon, initialQ/],
  ];
  for (const [what, mutate, path, message] of cases) {
    it(`rejects ${what}, naming ${path}`, () => {
      const doc = paperJson();
      mutate(doc);
      const problems = problemsOf(doc);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems).toContainEqual({ path, message: expect.stringMatching(message) });
    });
  }

  it('reports bad JSON and non-objects without throwing', () => {
    const bad = parseExperimentText('{"schema": 1,');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems[0]?.message).toMatch(/^not valid JSON/);
    for (const value of [null, 3, 'x', [], undefined]) expect(problemsOf(value)[0]?.message).toMatch(/the experiment must be an object/);
    expect(summariseProblems([{ path: 'a', message: 'm' }, { path: 'b', message: 'n' }])).toBe('a: m (and 1 more problem)');
  });

  it('never throws on random mutations, and every problem has a path and a message', () => {
    const paths = leafPaths(paperJson() as unknown as Json);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.nat(paths.length - 1),
            // Anything JSON, plus the values validators most often trip on: negative, fractional,
            // huge, empty. `undefined` deletes the field.
            fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom<Json>(-1, 0.5, 1e308, -0, '', [], {}, [-1, 0.5], [[-3, 2]])), { nil: undefined }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        (edits) => {
          const doc = paperJson() as unknown as Json;
          for (const [k, value] of edits) {
            try {
              setAt(doc, paths[k]!, value as Json | undefined);
            } catch {
              // an earlier edit removed this path's parent: skip
            }
          }
          const result = parseExperiment(doc);
          if (result.ok) return;
          expect(result.problems.length).toBeGreaterThan(0);
          for (const p of result.problems) {
            expect(typeof p.path).toBe('string');
            expect(p.message.length).toBeGreaterThan(0);
            expect(p.message).not.toMatch(/^Invalid input$/);
            // parseExperiment turns an internal exception into this message: it must never be needed.
            expect(p.message).not.toMatch(/could not be checked/);
          }
        },
      ),
      { numRuns: 1000, seed: 20260307 },
    );
  });

  it('a wrongly typed number is reported at (or above, for unions) its own path', () => {
    const doc = paperJson() as unknown as Json;
    const numeric = leafPaths(doc).filter((p) => {
      let node: Json = doc;
      for (const k of p) node = (node as Record<string | number, Json>)[k]!;
      return typeof node === 'number';
    });
    expect(numeric.length).toBeGreaterThan(50);
    fc.assert(
      fc.property(fc.constantFrom(...numeric), fc.constantFrom<Json>('12', true, null, [], {}), (path, wrong) => {
        const mutated = paperJson() as unknown as Json;
        setAt(mutated, path, wrong);
        const problems = problemsOf(mutated);
        const where = formatPath(path);
        expect(problems.some((p) => where === p.path || where.startsWith(`${p.path}.`) || where.startsWith(`${p.path}[`))).toBe(true);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe('device strategies the α map cannot serve', () => {
  it('a bipolar device needs an explicit map.floor; a second state can only be frozen where there is one', () => {
    const doc = paperJson() as unknown as { strategies: Record<string, unknown>[] };
    doc.strategies[0]!.device = 'bipolar-oxide';
    expect(problemsOf(doc).map((p) => [p.path, p.message])).toEqual([['strategies[0].map.floor', 'the bipolar model has no conductance floor: give map.floor, the G/G0 that maps to α_min']]);
    (doc.strategies[0]!.map as Record<string, unknown>).floor = 0.05;
    expect(problemsOf(doc)).toEqual([]);
    doc.strategies[0]!.ablate = ['second-state'];
    expect(problemsOf(doc).map((p) => p.message)).toEqual(['ablate: the bipolar model has no second state to freeze']);
  });
});
