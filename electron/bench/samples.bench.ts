/**
 * Device-centric archive benchmarks (#14): an archive of 10,000 runs on 200 devices of 4 chips
 * (crossbars of 5 × 10), 50 runs a device, each with its figures kept (10 switching cycles a run:
 * 100,000 cycle rows) — the state after each run's figures were computed once, at its first view.
 *
 * samples.timeline — a device's timeline (store.deviceArchive.timeline: its runs in order, cumulative
 *   pulses and stress, forming state, last HRS/LRS), against the raw SQL over the same tables: the
 *   runs joined to their figures with the running sums done by window functions.
 * samples.chipmap — a chip's heat map (deviceArchive.chipMap: per device runs, pulses, median HRS/LRS,
 *   on/off, cycles survived, yield), against the raw SQL: the chip's devices with their run counts
 *   and their summaries (device_figures, each device's cycles summarised, made at the first view
 *   after its runs' figures changed — done once before measuring, as the first view does).
 * samples.d2d — device-to-device statistics of a chip (deviceArchive.variability d2d, then
 *   shared/variability's summarize of HRS, LRS, V_set, V_reset and the on/off window), against
 *   the raw SQL that fetches the same per-device values, followed by the same statistics.
 *
 * Each: median over every device (or chip) of the best of 3, ratio = raw time / API time (higher is
 * better); target ratio ≥ 0.5, and the issue's 200 ms for the view itself. Indexes that make them
 * fast: runs (device_id, created_at), run_figures (device_id), run_cycles (device_id, hrs, lrs,
 * v_set, v_reset, switched) — a covering index, so a device's cycle values never touch the table —
 * and the per-device summary table device_figures (a chip's map reads one row a device).
 */
import Database from 'better-sqlite3';
import { openStore, type Store } from '../services/store/index';
import { onOffWindow, summarize } from '../../shared/variability';
import { freshDir } from './scratch';
import { median } from './stats';
import type { BenchContext, BenchFigure, Benchmark } from './types';

const CHIPS = 4;
const ROWS = 5;
const COLS = 10;
const RUNS_PER_DEVICE = 50;
const CYCLES = 10;

interface Archive {
  store: Store;
  raw: Database.Database;
  chips: string[];
  devices: string[];
  runs: number;
}

/** Builds the archive through the store's API (runs.create, setStatus, saveFigures). Deterministic. */
function buildArchive(ctx: BenchContext): Archive {
  const store = openStore(freshDir(ctx, 'lab'), { appVersion: 'bench' });
  const perDevice = Math.max(2, Math.round(RUNS_PER_DEVICE * Math.min(1, ctx.scale * 10)));
  const rows = ctx.scale >= 1 ? ROWS : 2;
  const sample = store.lab.createSample({ name: 'Bench wafer', kind: 'wafer', materialStack: 'Pt/HfO2/TiN' });
  const chips: string[] = [];
  const devices: string[] = [];
  let x = 0x2545f491;
  const rnd = () => ((x = (x * 1664525 + 1013904223) >>> 0), x / 0x100000000);
  for (let c = 0; c < CHIPS; c++) {
    const chip = store.lab.createChip({ sampleId: sample.id, name: `C${c + 1}`, rows, cols: COLS });
    chips.push(chip.id);
    for (let w = 0; w < rows; w++) for (let b = 0; b < COLS; b++) devices.push(store.lab.createDevice({ chipId: chip.id, wordLine: w, bitLine: b }).id);
  }
  let runs = 0;
  for (let k = 0; k < perDevice; k++) {
    for (const deviceId of devices) {
      const run = store.runs.create({ experimentName: 'bench', name: `run ${k}`, deviceId, device: { kind: 'instrument', driver: 'keithley2400', port: '/dev/ttyUSB0' } });
      store.runs.setStatus(run.id, 'running');
      store.runs.setStatus(run.id, 'completed');
      const cycles = Array.from({ length: CYCLES }, (_, i) => {
        const hrs = 1e5 * (1 + 0.3 * rnd());
        const lrs = 1e3 * (1 + 0.3 * rnd());
        return { cycle: i + 1, hrs, lrs, vSet: 0.8 + 0.2 * rnd(), vReset: -(0.8 + 0.2 * rnd()), switched: rnd() > 0.05 };
      });
      store.deviceArchive.saveFigures(run.id, deviceId, { pulses: 2 * CYCLES * 50, stressVs: 0.5 + rnd(), widthsKnown: true, cycles, hrs: cycles[CYCLES - 1]!.hrs, lrs: cycles[CYCLES - 1]!.lrs, vSet: 0.9, vReset: -0.9 });
      runs++;
    }
  }
  const raw = new Database(store.file, { readonly: true, fileMustExist: true });
  return { store, raw, chips, devices, runs };
}

/** Best of `n` wall times (ms) of fn. */
function best(fn: () => unknown, n = 3): number {
  let b = Infinity;
  for (let k = 0; k < n; k++) {
    const t0 = performance.now();
    fn();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function figure(id: string, title: string, api: number[], raw: number[]): BenchFigure {
  const value = median(api);
  const base = median(raw);
  const ratio = base / value;
  return {
    id,
    title,
    value,
    unit: 'ms',
    baseline: { title: 'raw better-sqlite3 SQL over the same tables (its own read-only connection)', value: base, unit: 'ms' },
    ratio,
    target: { description: `ratio ≥ 0.5 and under 200 ms (worst ${Math.max(...api).toFixed(1)} ms)`, met: ratio >= 0.5 && Math.max(...api) < 200 },
  };
}

const labArchive: Benchmark = {
  id: 'samples.archive',
  title: 'Device-centric archive: timeline, chip heat map and D2D statistics on 10,000 runs of 200 devices',
  async run(ctx) {
    const a = buildArchive(ctx);
    try {
      const rawTimeline = a.raw.prepare(
        `SELECT r.id, r.name, r.status, r.protocol_name, r.created_at, r.ended_at, r.sample_count, r.initial_g, r.max_g, r.tags, f.pulses, f.stress_vs, f.cycles, f.hrs, f.lrs,
                sum(coalesce(f.pulses, 0)) OVER w AS cum_pulses, sum(coalesce(f.stress_vs, 0)) OVER w AS cum_stress
           FROM runs r LEFT JOIN run_figures f ON f.run_id = r.id WHERE r.device_id = ?
         WINDOW w AS (ORDER BY r.created_at, r.rowid ROWS UNBOUNDED PRECEDING) ORDER BY r.created_at, r.rowid`,
      );
      const rawDevices = a.raw.prepare(
        `SELECT d.id, d.name, d.word_line, d.bit_line, (SELECT count(*) FROM runs r WHERE r.device_id = d.id) AS runs, df.pulses, df.survived, df.hrs, df.lrs, df.switches
           FROM lab_devices d LEFT JOIN device_figures df ON df.device_id = d.id WHERE d.chip_id = ? ORDER BY d.word_line, d.bit_line`,
      );
      const rawD2d = a.raw.prepare('SELECT df.hrs, df.lrs, df.v_set, df.v_reset FROM lab_devices d JOIN device_figures df ON df.device_id = d.id WHERE d.chip_id = ?');
      const api = { timeline: [] as number[], chip: [] as number[], d2d: [] as number[] };
      const raw = { timeline: [] as number[], chip: [] as number[], d2d: [] as number[] };
      // Each device's summary is made at the first view after its runs' figures changed (here: all).
      for (const chip of a.chips) a.store.deviceArchive.chipMap(chip);
      // Warm both sides' statements and the page cache once.
      a.store.deviceArchive.timeline(a.devices[0]!);
      rawTimeline.all(a.devices[0]!);
      for (const [k, d] of a.devices.entries()) {
        if (k % 5 !== 0) continue; // every fifth device: 40 of the 200
        const entries = a.store.deviceArchive.timeline(d);
        if (entries.length !== a.runs / a.devices.length) throw new Error('samples.timeline: wrong number of runs');
        api.timeline.push(best(() => a.store.deviceArchive.timeline(d)));
        raw.timeline.push(best(() => rawTimeline.all(d)));
      }
      for (const chip of a.chips) {
        api.chip.push(best(() => a.store.deviceArchive.chipMap(chip)));
        raw.chip.push(best(() => rawDevices.all(chip)));
        const stats = () => {
          const v = a.store.deviceArchive.variability({ chipId: chip }, 'd2d');
          return [summarize(v.hrs), summarize(v.lrs), summarize(v.vSet), summarize(v.vReset), onOffWindow(v.hrs, v.lrs)];
        };
        api.d2d.push(best(stats));
        // The same statistics on what raw SQL fetched: the figure compares the store's path to the data, not the arithmetic.
        raw.d2d.push(
          best(() => {
            const rows = rawD2d.all(chip) as { hrs: number | null; lrs: number | null; v_set: number | null; v_reset: number | null }[];
            const hrs = rows.map((r) => r.hrs);
            const lrs = rows.map((r) => r.lrs);
            return [summarize(hrs), summarize(lrs), summarize(rows.map((r) => r.v_set)), summarize(rows.map((r) => r.v_reset)), onOffWindow(hrs, lrs)];
          }),
        );
      }
      const scale = `${a.runs.toLocaleString('en')} runs on ${a.devices.length} devices of ${a.chips.length} chips`;
      return [
        figure('samples.timeline', `A device's timeline, ms (median over ${api.timeline.length} devices, best of 3; ${scale}); ratio = raw SQL time / timeline time`, api.timeline, raw.timeline),
        figure('samples.chipmap', `A chip's heat map, ms (median over the chips, best of 3; ${scale}); ratio = raw SQL time / chipMap time`, api.chip, raw.chip),
        figure('samples.d2d', `A chip's D2D statistics (HRS, LRS, V_set, V_reset, on/off), ms (median over the chips, best of 3; ${scale}); ratio = raw SQL time / statistics time`, api.d2d, raw.d2d),
      ];
    } finally {
      a.raw.close();
      a.store.close();
    }
  },
};

export const samplesBenchmarks: readonly Benchmark[] = [labArchive];
