import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allBenchmarks } from '../bench';
import type { BenchFigure } from '../bench/types';
import { defineCommand } from './command';

export const benchCommand = defineCommand({
  name: 'bench',
  synopsis: 'bench [--only ID] [--quick] [--json]',
  summary: 'Run the benchmark suite; each figure is a ratio against a baseline measured in the same run.',
  flags: {
    only: { type: 'string', description: 'run only benchmarks whose id starts with this', placeholder: 'ID' },
    quick: { type: 'boolean', description: 'smaller sizes (for a smoke test; figures are noisier)' },
    json: { type: 'boolean', description: 'print one JSON document' },
  },
  async run(flags) {
    const selected = allBenchmarks.filter((b) => !flags.only || b.id.startsWith(flags.only));
    if (selected.length === 0) throw new Error(`no benchmark id starts with '${flags.only}'`);
    const figures: BenchFigure[] = [];
    const failures: { id: string; message: string }[] = [];
    for (const bench of selected) {
      const tmpDir = mkdtempSync(path.join(os.tmpdir(), `wb-bench-${bench.id}-`));
      if (!flags.json) process.stderr.write(`running ${bench.id}: ${bench.title}…\n`);
      try {
        figures.push(...(await bench.run({ tmpDir, scale: flags.quick ? 0.1 : 1 })));
      } catch (e) {
        failures.push({ id: bench.id, message: e instanceof Error ? e.message : String(e) });
      } finally {
        rmSync(tmpDir, { recursive: true, force: true });
      }
    }
    const meta = { node: process.versions.node, cpus: os.cpus().length, platform: `${process.platform}-${process.arch}`, quick: !!flags.quick };
    if (flags.json) process.stdout.write(`${JSON.stringify({ meta, figures, failures }, null, 2)}\n`);
    else process.stdout.write(formatTable(figures, failures));
    return failures.length > 0 ? 1 : 0;
  },
});

function formatTable(figures: BenchFigure[], failures: { id: string; message: string }[]): string {
  const rows = figures.map((f) => [
    f.id,
    `${fmt(f.value)} ${f.unit}`,
    f.baseline ? `${fmt(f.baseline.value)} ${f.baseline.unit}` : '—',
    f.ratio !== undefined ? f.ratio.toFixed(2) : '—',
    f.target ? `${f.target.met ? 'met' : 'MISSED'}: ${f.target.description}` : '',
  ]);
  const head = ['figure', 'value', 'baseline (same run)', 'ratio', 'target'];
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (r: string[]) => r.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  for (const f of failures) out.push(`${f.id}: FAILED — ${f.message}`);
  return `${out.join('\n')}\n`;
}

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(3);
  return x.toPrecision(4);
}
