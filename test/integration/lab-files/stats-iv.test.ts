/**
 * `workbench run --device-id` puts a run on a chip's device (an unknown, malformed or archived id is
 * refused with nothing stored), and `workbench stats --chip ID --json` on a chip whose devices ran
 * I–V hysteresis sweeps (bipolar-oxide, one seed per run) equals a hand computation: each device's
 * median over its cycles' figures — taken here from the raw samples by the user guide's rules, and
 * equal to what `workbench analyze RUN --json` lists — then the median and CV % over the devices,
 * and the yield; median and CV are written out plainly here as the docs define them (even count:
 * the mean of the two middle values; CV % = 100·s/|mean|, s with n − 1).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../electron/services/store';
import { repoRoot } from '../cli/run-cli';
import { emulatorProcess, runCliAsync } from '../instruments-cli/helpers';
import { cliJson, runCli, tempDir } from '../cli-science/helpers';

interface AnalyzedCycle {
  vSet: number | null;
  vReset: number | null;
  hrs: number | null;
  lrs: number | null;
  set: boolean;
  reset: boolean;
}

interface StatsDoc {
  mode: string;
  devices: number;
  yield: number | null;
  hrs: { n: number; median: number | null; cv: number | null };
  lrs: { n: number; median: number | null; cv: number | null };
  vSet: { n: number; median: number | null; cv: number | null };
  vReset: { n: number; median: number | null; cv: number | null };
}

function plainMedian(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const half = Math.floor(s.length / 2);
  if (s.length % 2 === 1) return s[half]!;
  return (s[half - 1]! + s[half]!) / 2;
}

function plainCvPercent(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return (100 * Math.sqrt(squares / (xs.length - 1))) / Math.abs(mean);
}

interface CycleByHand {
  set: boolean;
  reset: boolean;
  hrs: number;
  lrs: number;
  vSet: number | null;
  vReset: number | null;
}

/** bipolar-oxide's read voltage: the states are read off the sweep there (no reads in the protocol). */
const READ_VOLTAGE = (JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'devices', 'bipolar-oxide.json'), 'utf8')) as { readVoltage: number }).readVoltage;

/**
 * The figures of each loop of an I–V hysteresis run, from its raw samples, by the rules the user
 * guide states (not by shared/analysis' code): the loops block's steps split into excursions of one
 * polarity (0 V steps left out), a positive one (SET) then a negative one (RESET) per loop; a state
 * is 1 / the median chord conductance |I/V| of a branch over its steps within a factor of 2 of the
 * read voltage — LRS on the SET's way back to 0 V, HRS on the RESET's, the state before the SET on
 * its way up; a SET or RESET happened when that conductance changed at least 2×; V_set is the
 * voltage of the step after the largest rise of ln|I/V| on the way up (steps above 10 % of the
 * peak), V_reset the voltage of the largest |I| on the way down to −V.
 */
function loopsByHand(s: { length: number; v: ArrayLike<number>; i: ArrayLike<number>; block: ArrayLike<number> }): CycleByHand[] {
  const loopsBlock = s.block[s.length - 1];
  const excursions: number[][] = [];
  for (let k = 0; k < s.length; k++) {
    if (s.block[k] !== loopsBlock || s.v[k] === 0) continue;
    const current = excursions[excursions.length - 1];
    if (current !== undefined && Math.sign(s.v[current[0]!]!) === Math.sign(s.v[k]!)) current.push(k);
    else excursions.push([k]);
  }
  const peakAt = (ex: number[]) => {
    let at = 0;
    for (let j = 1; j < ex.length; j++) if (Math.abs(s.v[ex[j]!]!) > Math.abs(s.v[ex[at]!]!)) at = j;
    return at;
  };
  const conductanceAtRead = (branch: number[]) => {
    const g = branch.filter((k) => Math.abs(s.v[k]!) >= READ_VOLTAGE / 2 && Math.abs(s.v[k]!) <= 2 * READ_VOLTAGE).map((k) => Math.abs(s.i[k]! / s.v[k]!));
    expect(g.length).toBeGreaterThan(0);
    return plainMedian(g);
  };
  const out: CycleByHand[] = [];
  for (let e = 0; e + 1 < excursions.length; e += 2) {
    const [up, down] = [excursions[e]!, excursions[e + 1]!];
    expect(s.v[up[0]!]).toBeGreaterThan(0);
    expect(s.v[down[0]!]).toBeLessThan(0);
    const [upPeak, downPeak] = [peakAt(up), peakAt(down)];
    const gBefore = conductanceAtRead(up.slice(0, upPeak + 1));
    const gLrs = conductanceAtRead(up.slice(upPeak));
    const gHrs = conductanceAtRead(down.slice(downPeak));
    const set = gLrs >= 2 * gBefore;
    const reset = 2 * gHrs <= gLrs;
    const rising = up.slice(0, upPeak + 1).filter((k) => Math.abs(s.v[k]!) >= 0.1 * Math.abs(s.v[up[upPeak]!]!) && s.i[k] !== 0);
    let vSet: number | null = null;
    let biggestRise = 0;
    for (let j = 1; j < rising.length; j++) {
      const rise = Math.log(Math.abs(s.i[rising[j]!]! / s.v[rising[j]!]!)) - Math.log(Math.abs(s.i[rising[j - 1]!]! / s.v[rising[j - 1]!]!));
      if (rise > biggestRise) [biggestRise, vSet] = [rise, s.v[rising[j]!]!];
    }
    let vReset: number | null = null;
    let largestCurrent = -1;
    for (const k of down.slice(0, downPeak + 1)) if (Math.abs(s.i[k]!) > largestCurrent) [largestCurrent, vReset] = [Math.abs(s.i[k]!), s.v[k]!];
    out.push({ set, reset, hrs: 1 / gHrs, lrs: 1 / gLrs, vSet: set ? vSet : null, vReset: reset ? vReset : null });
  }
  return out;
}

/** Equal to 1e-12 of the larger magnitude. */
function expectRelative(actual: number | null, expected: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(expected), Math.abs(actual as number)));
}

function withStore<T>(dataDir: string, fn: (store: Store) => T): T {
  const store = openStore(dataDir, { appVersion: 'test' });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** A wafer with a 2 × 3 crossbar chip and a device at each of the given crossings. */
function makeChip(dataDir: string, crossings: readonly [number, number][]): { chipId: string; deviceIds: string[] } {
  return withStore(dataDir, (store) => {
    const sample = store.lab.createSample({ name: 'W1', kind: 'wafer', materialStack: 'Pt/HfO2/Ti' });
    const chip = store.lab.createChip({ sampleId: sample.id, name: 'C1', rows: 2, cols: 3 });
    const deviceIds = crossings.map(([wordLine, bitLine]) => store.lab.createDevice({ chipId: chip.id, wordLine, bitLine }).id);
    return { chipId: chip.id, deviceIds };
  });
}

/** `workbench run` of the shipped I–V hysteresis protocol on bipolar-oxide, on the given device. */
function runIv(dataDir: string, deviceId: string, seed: number): string {
  const { result, doc } = cliJson<{ runId: string; status: string }>([
    'run', '--protocol', 'iv-hysteresis', '--device', 'sim:bipolar-oxide', '--seed', String(seed), '--device-id', deviceId, '--data-dir', dataDir, '--json',
  ]);
  expect(result.status, result.stderr).toBe(0);
  expect(doc.status).toBe('completed');
  return doc.runId;
}

describe('workbench run --device-id', () => {
  it('puts the run on that device; an unknown, malformed or archived id is refused and nothing is stored', () => {
    const dataDir = tempDir();
    const { deviceIds } = makeChip(dataDir, [
      [0, 0],
      [1, 2],
    ]);
    const [first, second] = deviceIds as [string, string];
    const runId = runIv(dataDir, second, 7);
    withStore(dataDir, (store) => {
      expect(store.labFiles.runsOfDevice(second)).toEqual([runId]);
      expect(store.labFiles.runsOfDevice(first)).toEqual([]);
      expect(store.lab.getDevice(second).runs).toBe(1);
      store.lab.updateDevice(first, { archived: true });
    });

    const unknown = '3f2b8c1e-5d4a-4e6f-9a8b-1c2d3e4f5a6b';
    const refusals: [string, string][] = [
      [unknown, `--device-id "${unknown}": No device with id ${unknown}. Nothing was run or stored.`],
      ['WL0/BL0', '--device-id "WL0/BL0": device id must be a UUID'],
      [first, `--device-id "${first}": Device "WL0/BL0" is archived; restore it before running on it. Nothing was run or stored.`],
    ];
    for (const [id, message] of refusals) {
      const r = runCli(['run', '--protocol', 'iv-hysteresis', '--device', 'sim:bipolar-oxide', '--device-id', id, '--experiment', 'never made', '--data-dir', dataDir, '--json']);
      expect(r.status, r.stdout).toBe(1);
      expect(r.stderr).toContain(`workbench run: ${message}`);
      expect(r.stdout).toBe('');
    }
    withStore(dataDir, (store) => {
      expect(store.runs.list({}).total).toBe(1);
      expect(store.experiments.list().map((x) => x.name)).not.toContain('never made');
    });
    // Without --device-id the run goes to its preset's virtual device, as before.
    const { result, doc } = cliJson<{ runId: string }>(['run', '--protocol', 'iv-hysteresis', '--device', 'sim:bipolar-oxide', '--seed', '8', '--data-dir', dataDir, '--json']);
    expect(result.status, result.stderr).toBe(0);
    withStore(dataDir, (store) => {
      const [onDevice] = store.labFiles.devicesOfRuns([doc.runId]);
      expect(store.lab.getDevice(onDevice!.deviceId)).toMatchObject({ kind: 'virtual', virtualKey: 'sim:bipolar-oxide' });
      expect(store.labFiles.runsOfDevice(second)).toEqual([runId]);
    });
  });
});

describe('workbench run --device-id on an instrument', () => {
  it('keeps the run on the chosen device once the instrument answers *IDN? (it does not move to the instrument’s virtual device)', { timeout: 120_000 }, async () => {
    const dataDir = tempDir();
    const { deviceIds } = makeChip(dataDir, [[1, 1]]);
    const device = deviceIds[0]!;
    // A short sweep (9 steps of 10 ms): an instrument runs in real time.
    const protocol = path.join(dataDir, 'short-sweep.json');
    writeFileSync(
      protocol,
      JSON.stringify({
        format: 'memristor-workbench/protocol',
        version: 1,
        name: 'short sweep',
        blocks: [{ id: 'sweep', kind: 'iv-sweep', points: ['0 V', '0.2 V', '0 V'], step: '50 mV', dwell: '10 ms', compliance: '100 µA' }],
      }),
    );
    const emulator = await emulatorProcess(['--driver', 'keithley2450', '--listen', '127.0.0.1:0', '--seed', '3']);
    const r = await runCliAsync(['run', '--protocol', protocol, '--device', `tcp:${emulator.info.listen!}`, '--device-id', device, '--data-dir', dataDir, '--json'], 90_000);
    expect(r.status, r.stderr).toBe(0);
    const { runId, status } = JSON.parse(r.stdout) as { runId: string; status: string };
    expect(status).toBe('completed');
    withStore(dataDir, (store) => {
      expect(store.runs.get(runId).instrumentIdn).toMatch(/KEITHLEY/i);
      expect(store.labFiles.runsOfDevice(device)).toEqual([runId]);
    });
  });
});

describe('workbench stats --chip on I–V sweeps', () => {
  it('equals a hand computation from the raw samples (per cycle as workbench analyze lists them)', () => {
    const dataDir = tempDir();
    // Five devices: A ran two sweeps, B, C and D one each, E none (never measured: it counts, and does not switch).
    const { chipId, deviceIds } = makeChip(dataDir, [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
    ]);
    const [a, b, c, d] = deviceIds as [string, string, string, string, string];
    const runsOf = new Map<string, string[]>([
      [a, [runIv(dataDir, a, 1), runIv(dataDir, a, 2)]],
      [b, [runIv(dataDir, b, 3)]],
      [c, [runIv(dataDir, c, 4)]],
      [d, [runIv(dataDir, d, 5)]],
    ]);

    // Per device, its cycles over all its runs, from the raw samples; a figure counts where it is a
    // switching figure: HRS and V_reset with a RESET, LRS and V_set with a SET (the docs' definition).
    // `workbench analyze --json` lists the same per-cycle figures.
    const perDevice = new Map<string, { hrs: number[]; lrs: number[]; vSet: number[]; vReset: number[] }>();
    for (const [device, runs] of runsOf) {
      const figures = { hrs: [] as number[], lrs: [] as number[], vSet: [] as number[], vReset: [] as number[] };
      for (const run of runs) {
        const cycles = withStore(dataDir, (store) => loopsByHand(store.readSamples(run)));
        expect(cycles).toHaveLength(10);
        const { result, doc } = cliJson<{ cycles: AnalyzedCycle[] }>(['analyze', run, '--data-dir', dataDir, '--json']);
        expect(result.status, result.stderr).toBe(0);
        expect(doc.cycles.map((c) => [c.set, c.reset, c.vSet, c.vReset])).toEqual(cycles.map((c) => [c.set, c.reset, c.vSet, c.vReset]));
        doc.cycles.forEach((c, k) => {
          expectRelative(c.hrs, cycles[k]!.hrs);
          expectRelative(c.lrs, cycles[k]!.lrs);
        });
        for (const cycle of cycles) {
          if (cycle.reset) figures.hrs.push(cycle.hrs);
          if (cycle.set) figures.lrs.push(cycle.lrs);
          if (cycle.set && cycle.vSet !== null) figures.vSet.push(cycle.vSet);
          if (cycle.reset && cycle.vReset !== null) figures.vReset.push(cycle.vReset);
        }
      }
      // The sweeps switch: every figure has a value in most cycles, so the medians below are of real data.
      for (const xs of Object.values(figures)) expect(xs.length).toBeGreaterThanOrEqual(runs.length * 5);
      perDevice.set(device, figures);
    }

    // Device to device: each device's median, then the median and CV % over the devices.
    const deviceMedians = [...perDevice.values()].map((f) => ({ hrs: plainMedian(f.hrs), lrs: plainMedian(f.lrs), vSet: plainMedian(f.vSet), vReset: plainMedian(f.vReset) }));
    const switching = deviceMedians.filter((m) => m.hrs / m.lrs >= 2).length;

    const { result, doc } = cliJson<StatsDoc>(['stats', '--chip', chipId, '--data-dir', dataDir, '--json']);
    expect(result.status, result.stderr).toBe(0);
    expect(doc.mode).toBe('d2d');
    expect(doc.devices).toBe(5);
    expect(switching).toBe(4);
    expect(doc.yield).toBe(switching / 5);
    for (const figure of ['hrs', 'lrs', 'vSet', 'vReset'] as const) {
      const values = deviceMedians.map((m) => m[figure]);
      expect(doc[figure].n, figure).toBe(4);
      expectRelative(doc[figure].median, plainMedian(values));
      expectRelative(doc[figure].cv, plainCvPercent(values));
    }
    // The device-to-device spread is real (different seeds), so the CVs compared above are not 0.
    expect(doc.hrs.cv).toBeGreaterThan(0);
    expect(doc.vSet.cv).toBeGreaterThan(0);

    // Cycle to cycle on device A: its 20 cycles' figures directly.
    const one = cliJson<StatsDoc>(['stats', '--device', a, '--data-dir', dataDir, '--json']).doc;
    expect(one).toMatchObject({ mode: 'c2c', devices: 1, yield: 1 });
    const aFigures = perDevice.get(a)!;
    for (const figure of ['hrs', 'lrs', 'vSet', 'vReset'] as const) {
      expect(one[figure].n).toBe(aFigures[figure].length);
      expectRelative(one[figure].median, plainMedian(aFigures[figure]));
      expectRelative(one[figure].cv, plainCvPercent(aFigures[figure]));
    }
  });
});

describe('stats and analyze agree on a preset that reads at another voltage', () => {
  it('a saved bipolar preset reading at 0.2 V: the device figures stats reads are the cycles analyze lists', () => {
    const dataDir = tempDir();
    const { deviceIds } = makeChip(dataDir, [[0, 0]]);
    const device = deviceIds[0]!;
    const preset = JSON.parse(readFileSync(path.join(repoRoot, 'resources', 'devices', 'bipolar-oxide.json'), 'utf8')) as { readVoltage: number; name?: string };
    expect(preset.readVoltage).not.toBe(0.2);
    const file = path.join(dataDir, 'bipolar-02.json');
    writeFileSync(file, JSON.stringify({ ...preset, readVoltage: 0.2 }));
    const { result, doc: run } = cliJson<{ runId: string }>(['run', '--protocol', 'iv-hysteresis', '--device', `sim:${file}`, '--seed', '6', '--device-id', device, '--data-dir', dataDir, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const analyzed = cliJson<{ cycles: AnalyzedCycle[] }>(['analyze', run.runId, '--data-dir', dataDir, '--json']).doc;
    const hrs = analyzed.cycles.filter((c) => c.reset && c.hrs !== null).map((c) => c.hrs!);
    const lrs = analyzed.cycles.filter((c) => c.set && c.lrs !== null).map((c) => c.lrs!);
    expect(hrs.length).toBeGreaterThanOrEqual(5);
    const stats = cliJson<StatsDoc>(['stats', '--device', device, '--data-dir', dataDir, '--json']).doc;
    expect(stats.hrs.n).toBe(hrs.length);
    expectRelative(stats.hrs.median, plainMedian(hrs));
    expectRelative(stats.lrs.median, plainMedian(lrs));
    // Read at 0.1 V (the default) the nonlinear device's states differ: the preset's voltage was used.
    const atDefault = withStore(dataDir, (store) => loopsByHand(store.readSamples(run.runId)));
    const hrsAtDefault = plainMedian(atDefault.filter((c) => c.reset).map((c) => c.hrs));
    expect(Math.abs(hrsAtDefault - plainMedian(hrs)) / plainMedian(hrs)).toBeGreaterThan(0.01);
  });
});
