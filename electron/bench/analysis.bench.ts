/**
 * Switching analysis benchmarks (#13, Speed).
 *
 * analysis.endurance — seconds for a 1,000-cycle (× scale) simulated endurance run with reads
 *   (iv-sweep SET 0 → 1.5 V → 0 under 500 µA, a read, iv-sweep RESET 0 → −1.5 V → 0, a read; 50 mV
 *   steps; about 124 samples a cycle) on bipolar-oxide through the run engine into the store, then
 *   analysed and the analysis stored (as every run with sweeps is when it ends; analyzeRun). Baseline, in the same run: the fastest raw
 *   better-sqlite3 write of the same samples alone (store.bench.ts). Ratio = baseline / this;
 *   target ≥ 0.5. Best of 3 after one warm-up run, as files.parquet: the first run of a process
 *   runs code V8 has not compiled yet (some 3–6 × slower), and its time is given in the title with
 *   the analysis alone.
 * analysis.endurance.in-memory — seconds for the same run simulated and analysed in memory alone
 *   (simulateAndAnalyseInMemory: no engine, no store), against the same raw write. It is the floor
 *   under analysis.endurance: the full run costs at least this plus the write, so analysis.endurance
 *   can reach 0.5 only where this figure's ratio is at least 1 — the device model and the extraction
 *   together no slower than writing their samples. No target of its own.
 * analysis.iv-chart — ms for the Archive's I–V chart of a stored run of 100 cycles × 400 steps
 *   (40,000 points) to draw them (data handed to chart.js, laid out and drawn) plus one toggle to
 *   log|I| (|I| recomputed, log axis, drawn again), medians over several opens and toggles in
 *   Chromium against the real web host. Baseline, in the same browser: chart.js (its UMD build,
 *   on a bare page) drawing the same 100 curves alone, then switched to a log axis with |I|,
 *   canvas of the same size. Ratio = baseline / this; target ≥ 0.5.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { analysisOptions, analyzeSwitching } from '../../shared/analysis';
import { bipolarOxidePreset, createSimulatedDevice } from '../../shared/device';
import { execute, type OpResult, type Program, type StepRunOutcome } from '../../shared/protocol';
import { SampleBuilder, SampleKind } from '../../shared/samples/columns';
import { openAppServices } from '../app/app-services';
import { analyzeRun, prepareProtocol } from '../services/runs';
import { findChromium, openWebBench, VIEWPORT } from './browser';
import { freshDir } from './scratch';
import { median } from './stats';
import { timeRawIngest } from './store.bench';
import type { Benchmark } from './types';

export function enduranceProtocol(cycles: number) {
  return {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: `Bench: endurance, ${cycles} cycles`,
    limits: { maxVoltage: '4 V' },
    blocks: [
      { kind: 'iv-sweep', points: ['0 V', '3.5 V', '0 V'], step: '50 mV', dwell: '1 ms', compliance: '100 µA' },
      {
        kind: 'repeat',
        times: cycles,
        body: [
          { kind: 'iv-sweep', points: ['0 V', '1.5 V', '0 V'], step: '50 mV', dwell: '1 ms', compliance: '500 µA' },
          { kind: 'read', voltage: '100 mV' },
          { kind: 'iv-sweep', points: ['0 V', '-1.5 V', '0 V'], step: '50 mV', dwell: '1 ms', compliance: '1 mA' },
          { kind: 'read', voltage: '100 mV' },
        ],
      },
    ],
  };
}

/**
 * The least any run of the endurance protocol can cost: the simulated device driven through the
 * interpreter's step series into a sample builder, with none of the engine (no store, events,
 * control, pacing), then the extraction. What the engine and store can still save is the full run's
 * time less this and the write; the full run's ratio cannot exceed raw / (this + raw).
 */
async function simulateAndAnalyseInMemory(program: Program, protocol: unknown, seed: number): Promise<number> {
  const device = createSimulatedDevice(bipolarOxidePreset, { seed, noise: true, pace: 'fast' });
  const samples = new SampleBuilder(1 << 17);
  const run = execute(program, { stepRuns: true });
  for (let step = run.next(); !step.done; ) {
    const op = step.value;
    const lag = op.t - device.now();
    if (lag > 1e-12) await device.wait(lag);
    let result: OpResult | StepRunOutcome;
    if (op.op === 'steps') {
      const from = samples.length;
      const c = samples.reserve(op.count);
      const series = { voltages: op.voltages, first: op.first, count: op.count, t: op.t, dwell: op.dwell, compliance: op.compliance, t0: 0, pausedFor: 0, epsilon: 1e-12 };
      const n = await device.stepSeries(series, { t: c.t, v: c.v, i: c.i, compliance: c.compliance, offset: from });
      for (let k = from; k < from + n; k++) c.g[k] = (c.i[k] as number) / (c.v[k] as number);
      c.kind.fill(SampleKind.pulse, from, from + n);
      c.block.fill(op.block, from, from + n);
      samples.added(n);
      result = { steps: n };
    } else if (op.op === 'read') {
      const t = device.now();
      const r = await device.read(op.voltage);
      samples.push(t, op.voltage, r.current, r.conductance, SampleKind.read, op.block);
      result = { conductance: r.conductance };
    } else throw new Error(`analysis.endurance: the in-memory run does not take ${op.op} operations`);
    step = run.next(result);
  }
  const analysis = analyzeSwitching(samples.view(), analysisOptions(protocol, { presetDocument: bipolarOxidePreset }));
  return analysis.cycles.length;
}

const endurance: Benchmark = {
  id: 'analysis.endurance',
  title: 'a 1,000-cycle simulated endurance run with reads, stored and analysed, against the sample write alone',
  async run(ctx) {
    const cycles = Math.max(3, Math.round(1000 * ctx.scale));
    const prepared = prepareProtocol(enduranceProtocol(cycles));
    if (!prepared.ok) throw new Error(`analysis.endurance: the protocol does not compile: ${prepared.problems[0]?.message}`);
    const runs: number[] = [];
    const inMemory: number[] = [];
    const analyses: number[] = [];
    const raws: number[] = [];
    let samples = 0;
    let cold = 0;
    // Run 0 warms the code up and is not counted (its time is reported).
    for (let k = 0; k <= 3; k++) {
      const services = openAppServices({ dataDir: freshDir(ctx, 'analysis-endurance'), hostKind: 'cli' });
      try {
        const t0 = performance.now();
        const { runId } = services.runs.submit({ protocol: prepared.protocol, device: { kind: 'simulated', preset: bipolarOxidePreset, seed: 1 + k, noise: true }, pace: 'fast', name: 'Bench: endurance' });
        const run = await services.runs.whenDone(runId);
        const result = analyzeRun(services.store, runId);
        const t2 = performance.now();
        const data = services.store.readSamples(runId);
        const t3 = performance.now();
        analyzeSwitching(data);
        analyses.push((performance.now() - t3) / 1000);
        if (run.status !== 'completed' || !result.stored || result.analysis.cycles.length !== cycles) {
          throw new Error(`analysis.endurance: the run ended ${run.status} with ${result.analysis.cycles.length} of ${cycles} cycles analysed`);
        }
        samples = data.length;
        const raw = timeRawIngest(ctx, data);
        const t4 = performance.now();
        const cyclesInMemory = await simulateAndAnalyseInMemory(prepared.protocol.program, prepared.protocol.source, 1 + k);
        const memory = (performance.now() - t4) / 1000;
        if (cyclesInMemory !== cycles) throw new Error(`analysis.endurance: the in-memory run found ${cyclesInMemory} of ${cycles} cycles`);
        if (k === 0) {
          cold = (t2 - t0) / 1000;
          continue;
        }
        runs.push((t2 - t0) / 1000);
        raws.push(raw);
        inMemory.push(memory);
      } finally {
        await services.close();
      }
    }
    const value = Math.min(...runs);
    const raw = Math.min(...raws);
    const ratio = raw / value;
    const floor = Math.min(...inMemory);
    return [
      {
        id: 'analysis.endurance',
        title: `s for a ${cycles}-cycle endurance run with reads (${samples.toLocaleString('en')} samples) through the engine into the store, analysed and stored (the extraction alone, on samples in memory: ${(Math.min(...analyses) * 1000).toFixed(0)} ms), best of ${runs.length} after a warm-up run (the process's first, code not yet compiled: ${(cold * 1000).toFixed(0)} ms) (ratio = raw write / this)`,
        value,
        unit: 's',
        baseline: { title: 'the fastest raw better-sqlite3 write of the same samples alone', value: raw, unit: 's' },
        ratio,
        target: { description: 'ratio ≥ 0.5', met: ratio >= 0.5 },
      },
      {
        id: 'analysis.endurance.in-memory',
        title: `s for the same ${cycles}-cycle run simulated and analysed in memory alone: the simulated device through the interpreter's step series into a sample builder, then the extraction; no engine, store, events or control. The full run costs at least this plus the write, so its ratio cannot exceed raw / (this + raw) = ${(raw / (floor + raw)).toFixed(2)} in this run (ratio = raw write / this)`,
        value: floor,
        unit: 's',
        baseline: { title: 'the fastest raw better-sqlite3 write of the same samples alone', value: raw, unit: 's' },
        ratio: raw / floor,
      },
    ];
  },
};

/** 0 → 1.5 V → 0 → −1.5 V → −15 mV in 15 mV steps: 400 steps a cycle. */
function ivProtocol(cycles: number) {
  return {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: `Bench: I–V, ${cycles} cycles of 400 steps`,
    blocks: [{ kind: 'iv-sweep', points: ['0 V', '1.5 V', '0 V', '-1.5 V', '-15 mV'], step: '15 mV', dwell: '1 ms', cycles, compliance: '1 mA' }],
  };
}

/** The baseline in a bare page: chart.js alone draws the curves, then switches to log|I|. Returns [draw ms, toggle ms]. */
const BARE_IN_PAGE = `async ({ curves, width, height }) => {
  document.body.innerHTML = '<div style="width:' + width + 'px;height:' + height + 'px"><canvas id="c"></canvas></div>';
  const canvas = document.getElementById('c');
  const t0 = performance.now();
  const datasets = curves.map(([v, i], k) => ({ data: v.map((x, j) => ({ x, y: i[j] * 1e3 })), borderColor: 'hsl(' + (k * 2.5) + ',60%,40%)', borderWidth: 1.2, pointRadius: 0, showLine: true }));
  const chart = new Chart(canvas, { type: 'scatter', data: { datasets }, options: { animation: false, responsive: true, maintainAspectRatio: false, parsing: false, plugins: { legend: { display: false }, tooltip: { enabled: false } }, scales: { x: { type: 'linear' }, y: { type: 'linear' } } } });
  const t1 = performance.now();
  chart.data.datasets.forEach((d, k) => { const i = curves[k][1]; d.data = curves[k][0].map((x, j) => { const y = Math.abs(i[j] * 1e3); return { x, y: y > 0 ? y : NaN }; }); });
  chart.options.scales.y.type = 'logarithmic';
  chart.update('none');
  const t2 = performance.now();
  chart.destroy();
  return [t1 - t0, t2 - t1];
}`;

const ivChart: Benchmark = {
  id: 'analysis.iv-chart',
  title: 'an I–V chart of 100 cycles × 400 points drawn and toggled to log|I|, against chart.js drawing the same points alone',
  async run(ctx) {
    const found = await findChromium('analysis.iv-chart');
    if (!found) return [];
    const bench = await openWebBench(ctx, found, 'analysis-iv');
    try {
      const { services, browser, url } = bench;
      const cycles = 100;
      const prepared = prepareProtocol(ivProtocol(cycles));
      if (!prepared.ok) throw new Error(`analysis.iv-chart: the protocol does not compile: ${prepared.problems[0]?.message}`);
      const { runId } = services.runs.submit({ protocol: prepared.protocol, device: { kind: 'simulated', preset: bipolarOxidePreset, seed: 1, noise: true }, pace: 'fast', name: 'Bench: I–V' });
      const run = await services.runs.whenDone(runId);
      if (run.status !== 'completed' || run.sampleCount !== cycles * 400) throw new Error(`analysis.iv-chart: the run ended ${run.status} with ${run.sampleCount} samples`);
      // The same curves for the bare page: the drive samples of each cycle the analysis finds.
      const s = services.store.readSamples(runId);
      const a = analyzeSwitching(s);
      const curves = a.cycles.map((c) => {
        const v: number[] = [];
        const i: number[] = [];
        for (let k = c.start; k < c.end; k++) {
          if (s.kind[k] === SampleKind.read) continue;
          v.push(s.v[k]!);
          i.push(s.i[k]!);
        }
        return [v, i];
      });
      // Points before the first cycle (its first 0 V step) are a trace of their own in the app.
      const points = curves.reduce((n, [v]) => n + v!.length, 0) + a.cycles[0]!.start;

      const page = await browser.newPage({ viewport: { width: VIEWPORT.width, height: 900 } });
      const draws: number[] = [];
      const toggles: number[] = [];
      let size = { width: 600, height: 230 };
      try {
        const opens = Math.max(2, Math.round(4 * ctx.scale));
        for (let k = 0; k <= opens; k++) {
          await page.goto(`${url}#/archive`);
          await page.click(`tr[data-run-id="${runId}"] a`);
          const canvas = page.locator('[data-testid="replay-chart-iv"] canvas');
          await canvas.waitFor();
          await page.waitForFunction(`document.querySelector('[data-testid="replay-chart-iv"] canvas')?.getAttribute('data-points') === '${points}'`);
          const drawMs = Number(await canvas.getAttribute('data-draw-ms'));
          const before = Number(await canvas.getAttribute('data-draws'));
          await page.locator('[data-testid="replay-chart-iv"]').getByLabel('log|I|').check();
          await page.waitForFunction(`Number(document.querySelector('[data-testid="replay-chart-iv"] canvas')?.getAttribute('data-draws')) > ${before}`);
          const toggleMs = Number(await canvas.getAttribute('data-draw-ms'));
          const box = await canvas.boundingBox();
          if (box) size = { width: Math.round(box.width), height: Math.round(box.height) };
          if (k === 0) continue; // warm-up: chunks loaded, code compiled
          draws.push(drawMs);
          toggles.push(toggleMs);
        }
      } finally {
        await page.close();
      }

      const bare = await browser.newPage({ viewport: { width: VIEWPORT.width, height: 900 } });
      const bareDraws: number[] = [];
      const bareToggles: number[] = [];
      try {
        const req = createRequire(import.meta.url);
        await bare.addScriptTag({ path: path.join(path.dirname(req.resolve('chart.js')), 'chart.umd.js') });
        for (let k = 0; k <= draws.length; k++) {
          const [d, t] = (await bare.evaluate(`(${BARE_IN_PAGE})(${JSON.stringify({ curves, ...size })})`)) as [number, number];
          if (k === 0) continue;
          bareDraws.push(d);
          bareToggles.push(t);
        }
      } finally {
        await bare.close();
      }
      const value = median(draws) + median(toggles);
      const baseline = median(bareDraws) + median(bareToggles);
      const ratio = baseline / value;
      return [
        {
          id: 'analysis.iv-chart',
          title: `ms for the Archive's I–V chart of ${cycles} cycles × 400 steps (${points.toLocaleString('en')} points) to draw (${median(draws).toFixed(0)} ms) and toggle to log|I| (${median(toggles).toFixed(0)} ms), medians of ${draws.length} (ratio = chart.js alone on a bare page, ${median(bareDraws).toFixed(0)} + ${median(bareToggles).toFixed(0)} ms / this)`,
          value,
          unit: 'ms',
          baseline: { title: 'chart.js alone drawing the same curves, then switched to log|I|, same canvas size', value: baseline, unit: 'ms' },
          ratio,
          target: { description: 'ratio ≥ 0.5', met: ratio >= 0.5 },
        },
      ];
    } finally {
      await bench.close();
    }
  },
};

export const analysisBenchmarks: Benchmark[] = [endurance, ivChart];
