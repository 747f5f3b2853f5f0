/**
 * Live chart benchmarks (issue #5), in Chromium against a real web host, the real run engine and
 * the real store.
 *
 * live.chart — a run started from the Live page on the simulated device at realtime pace, with a
 *   protocol of 2,000 samples/s (reads every 0.5 ms, bursts of 100 pulses each second) for 60 s of
 *   simulated time (× scale), watched in the page's live charts. Figures:
 *   - live.chart.dropped: the run's sample count − the samples the charts received (target 0);
 *     the ratio is received / recorded.
 *   - live.chart.frames: the 95th percentile of the gaps between animation frames while the run
 *     goes (target < 20 ms). Baseline, in the same run: the same page idle, before the run; the
 *     ratio is idle / running. The longest gaps are in the title.
 *   - live.chart.draw: the charts' own draw time (decimation + chart.js update) per frame that
 *     drew any, summed over the charts drawn in it (the 95th percentile, with the mean and the
 *     longest in the title), against the idle page's frame interval: the ratio is interval /
 *     draw, how many such draws would fit in one frame.
 *   - live.chart.pace: the run's wall time against its simulated duration (ratio 1: the engine
 *     kept realtime pace), with the number of sample batches the engine sent per second.
 * live.open — from the Archive page, a stored run of 1,000,000 samples (× scale; 500,000 pulses
 *   and 500,000 reads, recorded by a fast run of the engine before the page opens) opened by a
 *   click on its name until the run's charts have drawn all its samples (the charts' box carries
 *   data-drawn-samples and data-drawn-at after their frame; median of several opens). Target:
 *   < 1 s. Baseline, interleaved with the opens in the same page: one 'runs.samples' request of
 *   the whole run on a socket of its own and the decoding of its columns, nothing drawn, so the
 *   ratio shows what the page adds: opening the run's detail, and drawing.
 *   store.readSamples in Node is in the title.
 *
 * Skips, saying why on stderr, when the renderer is not built, Chromium is missing or
 * playwright-core is missing (see browser.ts).
 */
import type * as PlaywrightCore from 'playwright-core';
import { intrinsicGradientPreset } from '../../shared/device';
import { prepareProtocol } from '../services/runs';
import { findChromium, openWebBench, quantile, startFrameGaps, stopFrameGaps, VIEWPORT, type WebBench } from './browser';
import { median } from './stats';
import type { BenchContext, BenchFigure, Benchmark } from './types';

/** Reads every 0.5 ms and a burst of 100 pulses each second (alternating sign): 2,000 samples/s for 2 s × cycles. */
export function liveProtocol(cycles: number) {
  return {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: `Bench: 2,000 samples/s for ${2 * cycles} s`,
    read: { integration: '0.1 ms' },
    blocks: [
      {
        kind: 'repeat',
        times: cycles,
        body: [
          { kind: 'train', count: 100, amplitude: '1 V', width: '0.1 ms', period: '0.5 ms' },
          { kind: 'wait', duration: '950 ms', readEvery: '0.5 ms' },
          { kind: 'train', count: 100, amplitude: '-1 V', width: '0.1 ms', period: '0.5 ms' },
          { kind: 'wait', duration: '950 ms', readEvery: '0.5 ms' },
        ],
      },
    ],
  };
}

/** Spike trains of alternating sign with a read after every pulse: 400 samples a cycle. */
export function storedProtocol(cycles: number) {
  return {
    format: 'memristor-workbench/protocol',
    version: 1,
    name: `Bench: ${cycles * 400} samples`,
    blocks: [
      {
        kind: 'repeat',
        times: cycles,
        body: [
          { kind: 'train', count: 100, amplitude: '1 V', width: '1 ms', period: '3 ms', read: true },
          { kind: 'train', count: 100, amplitude: '-1 V', width: '1 ms', period: '3 ms', read: true },
        ],
      },
    ],
  };
}

const TERMINAL = ['completed', 'stopped', 'aborted', 'interrupted', 'failed'];

interface LiveCounts {
  appended: number;
  held: number;
  lastDrawMs: number;
  draw: { frames: number; meanMs: number; p95Ms: number; maxMs: number };
}

async function liveCounts(page: PlaywrightCore.Page): Promise<LiveCounts> {
  // The charts write their counters to data-counts when asked by an event (no global in the app).
  const c = (await page.evaluate(`(() => {
    const el = document.querySelector('[data-testid="live-charts"]');
    if (!el) return null;
    el.dispatchEvent(new CustomEvent('workbench:live-counts'));
    return el.dataset.counts ? JSON.parse(el.dataset.counts) : null;
  })()`)) as LiveCounts | null;
  if (!c) throw new Error('the Live page shows no charts to read the counters of ([data-testid="live-charts"])');
  return c;
}

function pageErrors(page: PlaywrightCore.Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function liveChart(ctx: BenchContext, bench: WebBench): Promise<BenchFigure[]> {
  const { services, browser, url } = bench;
  const cycles = Math.max(1, Math.round(30 * ctx.scale));
  const document = liveProtocol(cycles);
  const prepared = prepareProtocol(document);
  if (!prepared.ok) throw new Error(`live.chart: the protocol does not compile: ${prepared.problems[0]?.message}`);
  const expected = prepared.protocol.estimate.pulses.value + prepared.protocol.estimate.reads.value;
  const simulated = prepared.protocol.estimate.duration.value;
  const saved = services.store.protocols.save({ name: document.name, document });
  let batches = 0;
  const unsubscribe = services.bus.subscribe((name) => {
    if (name === 'run.samples') batches += 1;
  });

  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors = pageErrors(page);
  try {
    await page.goto(`${url}#/live?protocol=${saved.id}&version=${saved.version}`);
    await page.getByLabel('Protocol').selectOption(`library:${saved.id}@${saved.version}`);
    await page.getByLabel('Seed').fill('1');
    await page.getByRole('radio', { name: 'Real time' }).check();
    await page.getByLabel('Run name').fill('Bench: live charts');
    await page.waitForSelector('[data-testid="live-charts"]');
    await page.waitForTimeout(500);

    // Baseline: the same page, idle.
    const idleMs = Math.max(2000, Math.min(10_000, simulated * 1000 * 0.1));
    await startFrameGaps(page);
    await page.waitForTimeout(idleMs);
    const idle = await stopFrameGaps(page);

    await startFrameGaps(page);
    await page.getByRole('button', { name: '▶ Run' }).click();
    const status = page.getByTestId('run-status');
    await status.filter({ hasText: new RegExp(`^(${TERMINAL.join('|')})$`) }).waitFor({ timeout: simulated * 1000 * 3 + 60_000 });
    const ended = (await status.textContent()) ?? '';
    const href = (await page.getByTestId('run-summary').getByRole('link').getAttribute('href', { timeout: 10_000 })) ?? '';
    const runId = new URLSearchParams(href.slice(href.indexOf('?'))).get('run') ?? '';
    const run = services.store.runs.get(runId);
    // The end of the run makes the page read whatever it missed: wait for that, or give up and report.
    await page.waitForSelector(`[data-testid="live-charts"][data-samples="${run.sampleCount}"]`, { timeout: 15_000 }).catch(() => undefined);
    const running = await stopFrameGaps(page);
    const counts = await liveCounts(page);
    if (ended !== 'completed') throw new Error(`live.chart: the run ended ${ended}: ${run.exitReason ?? ''}`);
    if (run.sampleCount !== expected) throw new Error(`live.chart: the run recorded ${run.sampleCount} samples, the protocol has ${expected}`);
    if (errors.length > 0) throw new Error(`live.chart: the page reported errors: ${errors.join('; ')}`);

    const wallS = (Date.parse(run.endedAt ?? '') - Date.parse(run.startedAt ?? '')) / 1000;
    const dropped = run.sampleCount - counts.appended;
    const p95 = quantile(running, 0.95);
    const idleP95 = quantile(idle, 0.95);
    const longest = running[running.length - 1] ?? NaN;
    const idleLongest = idle[idle.length - 1] ?? NaN;
    const draw = counts.draw;
    return [
      {
        id: 'live.chart.dropped',
        title: `samples a ${run.sampleCount.toLocaleString('en')}-sample run at 2,000 samples/s recorded but the Live charts did not receive (ratio = received / recorded)`,
        value: dropped,
        unit: 'samples',
        baseline: { title: 'samples the run recorded', value: run.sampleCount, unit: 'samples' },
        ratio: counts.appended / run.sampleCount,
        target: { description: 'no sample dropped', met: dropped === 0 },
      },
      {
        id: 'live.chart.frames',
        title: `95th-percentile gap between frames (ms) of the Live page while it charts 2,000 samples/s for ${simulated.toFixed(0)} s; longest ${longest.toFixed(0)} ms (ratio = the idle page's, longest ${idleLongest.toFixed(0)} ms / this)`,
        value: p95,
        unit: 'ms',
        baseline: { title: `the same page idle for ${(idleMs / 1000).toFixed(0)} s before the run`, value: idleP95, unit: 'ms' },
        ratio: p95 > 0 ? idleP95 / p95 : undefined,
        target: { description: '95 % of frames within 20 ms while charting 2,000 samples/s', met: p95 < 20 },
      },
      {
        id: 'live.chart.draw',
        title: `the live charts' own draw time per frame that drew (ms), 95th percentile of ${draw.frames} frames; mean ${draw.meanMs.toFixed(2)} ms, longest ${draw.maxMs.toFixed(1)} ms (ratio = the idle frame interval / this)`,
        value: draw.p95Ms,
        unit: 'ms',
        baseline: { title: "the idle page's 95th-percentile frame interval", value: idleP95, unit: 'ms' },
        ratio: draw.p95Ms > 0 ? idleP95 / draw.p95Ms : undefined,
      },
      {
        id: 'live.chart.pace',
        title: `wall time (s) of the realtime run of ${simulated.toFixed(0)} s of simulated time at 2,000 samples/s, start to end; ${(batches / wallS).toFixed(1)} sample batches/s (ratio = simulated / wall: 1 keeps pace)`,
        value: wallS,
        unit: 's',
        baseline: { title: "the protocol's simulated duration", value: simulated, unit: 's' },
        ratio: wallS > 0 ? simulated / wallS : undefined,
      },
    ];
  } finally {
    unsubscribe();
    await page.close();
  }
}

/** One open, in the page: click the run's name, wait until its charts have drawn every sample. */
const OPEN_IN_PAGE = `async ({ runId, samples }) => {
  const link = document.querySelector('tr[data-run-id="' + runId + '"] a');
  if (!link) throw new Error('the run is not listed');
  await new Promise((done) => setTimeout(done, 300));
  const drawn = new Promise((resolve, reject) => {
    const timer = setTimeout(() => (observer.disconnect(), reject(new Error('the charts did not draw the run within 60 s'))), 60000);
    const observer = new MutationObserver(() => {
      const box = document.querySelector('[data-testid="replay-charts"]');
      if (!box || box.dataset.drawnSamples !== String(samples)) return;
      observer.disconnect();
      clearTimeout(timer);
      resolve(Number(box.dataset.drawnAt));
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-drawn-samples'] });
  });
  const t0 = performance.now();
  link.click();
  return (await drawn) - t0;
}`;

/**
 * The baseline, in the page: one 'runs.samples' request for the whole run on a WebSocket of its
 * own (the page's token), its frame decoded as the app's wire decoder does (the JSON header, then a
 * copy of each typed array); ms from the request to the decoded columns.
 */
const FETCH_IN_PAGE = `async ({ runId, samples }) => {
  const token = sessionStorage.getItem('workbench.token');
  const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?token=' + encodeURIComponent(token));
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = () => reject(new Error('the baseline socket did not open')))));
  const kinds = { f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, u8: Uint8Array, i16: Int16Array, u16: Uint16Array };
  const t0 = performance.now();
  const value = await new Promise((resolve, reject) => {
    ws.onmessage = (ev) => {
      let message;
      if (typeof ev.data === 'string') message = JSON.parse(ev.data);
      else {
        const bytes = new Uint8Array(ev.data);
        const length = new DataView(ev.data).getUint32(0, true);
        const body = (4 + length + 7) & ~7;
        message = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)), (key, v) => {
          if (v === null || typeof v !== 'object' || !('$ta' in v)) return v;
          const Ctor = kinds[v.$ta];
          const copy = new Uint8Array(v.n * Ctor.BYTES_PER_ELEMENT);
          copy.set(bytes.subarray(body + v.o, body + v.o + copy.length));
          return new Ctor(copy.buffer);
        });
      }
      if (message.type !== 'response' || message.id !== 1) return;
      if (message.result.ok) resolve(message.result.value);
      else reject(new Error(message.result.error.message));
    };
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'runs.samples', params: { id: runId } }));
  });
  const ms = performance.now() - t0;
  ws.close();
  if (value.columns.length !== samples) throw new Error('the baseline read ' + value.columns.length + ' samples');
  return ms;
}`;

async function liveOpen(ctx: BenchContext, bench: WebBench): Promise<BenchFigure[]> {
  const { services, browser, url } = bench;
  const cycles = Math.max(1, Math.round(2500 * ctx.scale));
  const document = storedProtocol(cycles);
  const prepared = prepareProtocol(document);
  if (!prepared.ok) throw new Error(`live.open: the protocol does not compile: ${prepared.problems[0]?.message}`);
  const { runId } = services.runs.submit({ protocol: prepared.protocol, device: { kind: 'simulated', preset: intrinsicGradientPreset, seed: 1, noise: true }, pace: 'fast', name: 'Bench: stored run' });
  const run = await services.runs.whenDone(runId);
  const samples = cycles * 400;
  if (run.status !== 'completed' || run.sampleCount !== samples) throw new Error(`live.open: the stored run ended ${run.status} with ${run.sampleCount} of ${samples} samples`);
  const reads: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    services.store.readSamples(runId);
    reads.push(performance.now() - t0);
  }

  const page = await browser.newPage({ viewport: VIEWPORT });
  const errors = pageErrors(page);
  try {
    await page.goto(`${url}#/archive`);
    await page.waitForSelector(`tr[data-run-id="${runId}"] a`);
    const args = JSON.stringify({ runId, samples });
    const opens = Math.max(3, Math.round(5 * ctx.scale));
    const openMs: number[] = [];
    const fetchMs: number[] = [];
    // Interleaved, so both sides see the same machine. The first round warms the page up (chunks
    // loaded, code compiled) and is not counted.
    for (let k = 0; k <= opens; k++) {
      const open = (await page.evaluate(`(${OPEN_IN_PAGE})(${args})`)) as number;
      await page.evaluate(`location.hash = '#/archive'`);
      await page.waitForSelector('[data-testid="run-detail"]', { state: 'detached' });
      const fetched = (await page.evaluate(`(${FETCH_IN_PAGE})(${args})`)) as number;
      if (k === 0) continue;
      openMs.push(open);
      fetchMs.push(fetched);
    }
    if (errors.length > 0) throw new Error(`live.open: the page reported errors: ${errors.join('; ')}`);
    const open = median(openMs);
    const fetched = median(fetchMs);
    return [
      {
        id: 'live.open',
        title: `ms from a click on a stored ${samples.toLocaleString('en')}-sample run in the Archive to its charts drawn, median of ${openMs.length} (ratio = one runs.samples request of the whole run + decode in the page / this; store.readSamples in Node: ${median(reads).toFixed(0)} ms)`,
        value: open,
        unit: 'ms',
        baseline: { title: 'one runs.samples request of the same run and its decoding, in the same page, interleaved with the opens', value: fetched, unit: 'ms' },
        ratio: open > 0 ? fetched / open : undefined,
        target: { description: 'a stored 1,000,000-sample run drawn within 1 s of the click', met: open < 1000 },
      },
    ];
  } finally {
    await page.close();
  }
}

function browserBenchmark(id: string, title: string, body: (ctx: BenchContext, bench: WebBench) => Promise<BenchFigure[]>): Benchmark {
  return {
    id,
    title,
    async run(ctx) {
      const found = await findChromium(id);
      if (!found) return [];
      const bench = await openWebBench(ctx, found);
      try {
        return await body(ctx, bench);
      } finally {
        await bench.close();
      }
    },
  };
}

export const liveBenchmarks: Benchmark[] = [
  browserBenchmark('live.chart', 'Live charts: a realtime run of 2,000 samples/s for 60 s watched in Chromium (dropped samples, frame times)', liveChart),
  browserBenchmark('live.open', 'Archive: a stored 1,000,000-sample run opened to its drawn charts in Chromium', liveOpen),
];
