/**
 * Editor benchmark.
 *
 * editor.preview — milliseconds from an edit in the Protocols page to the redrawn preview of a
 *   10,000-pulse protocol, in Chromium against a real web host (median over repeated edits). The
 *   page sets data-preview-drawn-at on the preview after the charts' frame; the edit's time is taken
 *   in the page right before the input event. Each edit follows a quiet spell longer than the
 *   preview's throttle, so it measures the latency a person sees, not the coalescing of a burst.
 *   Baseline, in the same run: the same validate + compile + estimate + simulate in Node, with no
 *   UI, so the ratio shows what the page, the worker and the charts add. Target: < 100 ms.
 * editor.typing — the longest gap between animation frames while keystrokes arrive 40 ms apart in
 *   the same field (every one a new document to validate, and a preview to coalesce): whether the
 *   page stays smooth. Baseline: the same typing into a 1-pulse protocol of the same shape, so the
 *   ratio shows what the protocol's size adds. Figure: the 95th percentile of the gaps (the longest
 *   is in the title; on a shared machine it is mostly other processes). Target: ≤ 50 ms.
 *
 * Skips, saying why on stderr, when the renderer is not built, no Chromium is found
 * (PLAYWRIGHT_CHROMIUM_PATH, else /usr/bin/chromium) or playwright-core is missing (browser.ts).
 */
import type * as PlaywrightCore from 'playwright-core';
import { createDevice, intrinsicGradientPreset } from '../../shared/device';
import { compileProtocol, estimateProgram, simulateProtocol } from '../../shared/protocol';
import { findChromium, openWebBench, quantile, startFrameGaps, stopFrameGaps, VIEWPORT } from './browser';
import { median } from './stats';
import type { BenchContext, BenchFigure, Benchmark } from './types';

/** The few page globals the measurement uses (this file is compiled without the DOM library). */
interface PageElement {
  dataset: Record<string, string | undefined>;
  dispatchEvent(event: unknown): boolean;
}
interface PageGlobals {
  document: { getElementById(id: string): PageElement | null; querySelector(selector: string): PageElement | null };
  HTMLInputElement: { prototype: object };
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: { attributes: boolean; attributeFilter: string[] }): void; disconnect(): void };
  Event: new (type: string, init: { bubbles: boolean }) => unknown;
}

/** 10 × (1,000 spikes at 10 Hz with a read after each, then 10 s of reads every second): 10,000 pulses, 10,100 reads. */
export const TEN_THOUSAND_PULSES = {
  format: 'memristor-workbench/protocol',
  version: 1,
  name: 'Bench: 10,000 pulses',
  blocks: [
    {
      id: 'cycles',
      kind: 'repeat',
      times: 10,
      body: [
        { id: 'spikes', kind: 'train', count: 1000, amplitude: '2 V', width: '10 ms', period: '100 ms', read: true },
        { id: 'rest', kind: 'wait', duration: '10 s', readEvery: '1 s' },
      ],
    },
  ],
};
/** The same shape with one pulse: the baseline of the typing figure. */
export const ONE_PULSE = {
  ...TEN_THOUSAND_PULSES,
  name: 'Bench: 1 pulse',
  blocks: [{ ...TEN_THOUSAND_PULSES.blocks[0]!, times: 1, body: [{ ...TEN_THOUSAND_PULSES.blocks[0]!.body[0]!, count: 1 }, { ...TEN_THOUSAND_PULSES.blocks[0]!.body[1]!, duration: '1 s' }] }],
};

/** The input the benchmark edits (see renderer/features/protocols/problems.ts fieldId). */
const AMPLITUDE_FIELD = 'pf-blocks_0_body_0_amplitude';

/** What the preview does, in Node: validate, compile, estimate and simulate on the default device. */
function nodePreview(amplitude: string): number {
  const doc = structuredClone(TEN_THOUSAND_PULSES);
  doc.blocks[0]!.body[0]!.amplitude = amplitude;
  const started = performance.now();
  const compiled = compileProtocol(doc);
  if (!compiled.ok) throw new Error(`the benchmark protocol does not compile: ${compiled.problems[0]?.message}`);
  estimateProgram(compiled.program);
  const samples = simulateProtocol(compiled.program, createDevice(intrinsicGradientPreset, { seed: 1, noise: false }));
  if (samples.length !== 20_100) throw new Error(`expected 20,100 samples, got ${samples.length}`);
  return performance.now() - started;
}

interface FrameGaps {
  /** 95th percentile of the gaps between animation frames (ms). */
  p95: number;
  longest: number;
}

/**
 * Opens the protocol on a fresh page, warms it up, then types bursts of keystrokes 40 ms apart
 * into the amplitude field while an animation-frame loop records the gaps between frames.
 */
async function frameGapsWhileTyping(browser: PlaywrightCore.Browser, url: string, pulses: number, bursts: number): Promise<FrameGaps> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  try {
    await page.goto(url);
    await page.waitForSelector(`[data-testid="protocol-preview"][data-pulses="${pulses}"]`, { timeout: 60_000 });
    const amplitude = page.locator(`#${AMPLITUDE_FIELD}`);
    for (let k = 0; k < 6; k++) {
      await amplitude.fill(k % 2 === 0 ? '1.9 V' : '2 V');
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(300);
    await startFrameGaps(page);
    for (let k = 0; k < bursts; k++) {
      await amplitude.fill('');
      await amplitude.pressSequentially(k % 2 === 0 ? '1.85 V' : '2.05 V', { delay: 40 });
    }
    await page.waitForTimeout(300);
    const gaps = await stopFrameGaps(page);
    return { p95: quantile(gaps, 0.95), longest: gaps[gaps.length - 1] ?? NaN };
  } finally {
    await page.close();
  }
}

export const editorBenchmarks: Benchmark[] = [
  {
    id: 'editor.preview',
    title: 'Protocol editor: edit to redrawn preview of a 10,000-pulse protocol in Chromium',
    async run(ctx: BenchContext): Promise<BenchFigure[]> {
      const found = await findChromium('editor.preview');
      if (!found) return [];

      const edits = Math.max(5, Math.round(21 * ctx.scale));
      const values = Array.from({ length: edits }, (_, k) => (k % 2 === 0 ? '1.9 V' : '2 V'));

      // Baseline first, warmed up, in this process.
      for (let k = 0; k < 3; k++) nodePreview('2 V');
      const baseline = median(values.map((v) => nodePreview(v)));

      const bench = await openWebBench(ctx, found);
      const { browser, url, services } = bench;
      try {
        const saved = services.store.protocols.save({ name: TEN_THOUSAND_PULSES.name, document: TEN_THOUSAND_PULSES });
        const small = services.store.protocols.save({ name: ONE_PULSE.name, document: ONE_PULSE });
        const page = await browser.newPage({ viewport: VIEWPORT });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(`${url}#/protocols?protocol=${saved.id}`);
        await page.waitForSelector('[data-testid="protocol-preview"][data-pulses="10000"]', { timeout: 60_000 });
        await page.waitForSelector(`#${AMPLITUDE_FIELD}`);

        const latencies: number[] = [];
        const computes: number[] = [];
        for (const value of ['1.95 V', ...values]) {
          const r = await page.evaluate(
            async ({ value, field }) => {
              // Runs in the page; typed loosely, as this file is compiled without the DOM library.
              const w = globalThis as unknown as PageGlobals;
              const input = w.document.getElementById(field)!;
              const root = w.document.querySelector('[data-testid="protocol-preview"]')!;
              await new Promise((done) => setTimeout(done, 250)); // a quiet spell: no throttling
              const before = root.dataset.previewVersion;
              const setValue = Object.getOwnPropertyDescriptor(w.HTMLInputElement.prototype, 'value')!.set!;
              const drawn = new Promise<{ latency: number; compute: number }>((resolve) => {
                const observer = new w.MutationObserver(() => {
                  if (root.dataset.previewVersion === before) return;
                  observer.disconnect();
                  resolve({ latency: Number(root.dataset.previewDrawnAt) - t0, compute: Number(root.dataset.previewComputeMs) });
                });
                observer.observe(root, { attributes: true, attributeFilter: ['data-preview-version'] });
              });
              const t0 = performance.now();
              setValue.call(input, value);
              input.dispatchEvent(new w.Event('input', { bubbles: true }));
              return drawn;
            },
            { value, field: AMPLITUDE_FIELD },
          );
          latencies.push(r.latency);
          computes.push(r.compute);
        }
        // The first edit warms the page up; it is not counted.
        latencies.shift();
        computes.shift();

        await page.close();

        // Smoothness while typing, on a fresh page each: the 10,000-pulse protocol, then the same
        // shape with one pulse as the baseline (what the page and the machine cost anyway).
        const bursts = Math.max(2, Math.round(6 * ctx.scale));
        const typing = await frameGapsWhileTyping(browser, `${url}#/protocols?protocol=${saved.id}`, 10_000, bursts);
        const typingSmall = await frameGapsWhileTyping(browser, `${url}#/protocols?protocol=${small.id}`, 1, bursts);
        if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
        const value = median(latencies);
        const worker = median(computes);
        return [
          {
            id: 'editor.preview',
            title: `ms from an edit to the redrawn preview, 10,000 pulses, median of ${latencies.length} (ratio = Node compile+simulate / this; the worker's own compute: ${worker.toFixed(1)} ms)`,
            value,
            unit: 'ms',
            baseline: { title: 'the same validate + compile + estimate + simulate in Node, no UI', value: baseline, unit: 'ms' },
            ratio: value > 0 ? baseline / value : undefined,
            target: { description: 'under 100 ms from edit to redrawn preview', met: value < 100 },
          },
          {
            id: 'editor.typing',
            title: `95th-percentile gap between frames (ms) while typing ${bursts} bursts of keystrokes 40 ms apart into the 10,000-pulse protocol; longest ${typing.longest.toFixed(0)} ms (ratio = the same typing into a 1-pulse protocol, longest ${typingSmall.longest.toFixed(0)} ms / this)`,
            value: typing.p95,
            unit: 'ms',
            baseline: { title: 'the same typing into a 1-pulse protocol of the same shape', value: typingSmall.p95, unit: 'ms' },
            ratio: typing.p95 > 0 ? typingSmall.p95 / typing.p95 : undefined,
            target: { description: '95 % of frames within 50 ms while typing', met: typing.p95 <= 50 },
          },
        ];
      } finally {
        await bench.close();
      }
    },
  },
];
