import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { appRoot, appVersion } from '../app-meta';
import { median } from './stats';
import type { BenchContext, BenchFigure, Benchmark } from './types';

/**
 * Start-up of the `workbench` command (issue #17: `workbench --version` under 0.3 s), timed from
 * spawn to exit through electron/bin/workbench.js as `npx workbench` runs it — the check that the
 * bundle in dist/cli still matches the sources included — against `node -e 0`, Node's own start-up,
 * spawned the same way. The two alternate, so both see the same load on a shared machine. A warm-up
 * run comes first and builds the bundle if a source changed: that once-per-edit cost is not what
 * a user waits for at each start, and is not measured.
 */
const TARGET_S = 0.3;
const bin = path.join(appRoot, 'electron', 'bin', 'workbench.js');

/** Seconds from spawn to exit of `node ...args`, and what it printed; a failed run throws. */
function timeNode(args: readonly string[]): { seconds: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
  const seconds = (performance.now() - start) / 1000;
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${r.status}: ${r.stderr.trim()}`);
  return { seconds, stdout: r.stdout };
}

function startupFigure(id: string, args: readonly string[], runs: number, target: boolean): BenchFigure {
  const node: number[] = [];
  const cli: number[] = [];
  for (let k = 0; k < runs; k++) {
    node.push(timeNode(['-e', '0']).seconds);
    cli.push(timeNode([bin, ...args]).seconds);
  }
  const value = median(cli);
  const baseline = median(node);
  return {
    id,
    title: `seconds from spawn to exit of \`workbench ${args.join(' ')}\` (median of ${runs}); ratio = \`node -e 0\` / this`,
    value,
    unit: 's',
    baseline: { title: '`node -e 0` (Node’s own start-up), spawned the same way, alternating', value: baseline, unit: 's' },
    ratio: baseline / value,
    ...(target ? { target: { description: `under ${TARGET_S} s`, met: value < TARGET_S } } : {}),
  };
}

export const startupBenchmarks: Benchmark[] = [
  {
    id: 'cli.startup',
    title: 'Command-line start-up: `workbench --version` and `workbench --help` against `node -e 0`',
    async run(ctx: BenchContext): Promise<BenchFigure[]> {
      const warm = timeNode([bin, '--version']);
      if (warm.stdout.trim() !== appVersion) throw new Error(`workbench --version printed '${warm.stdout.trim()}', not ${appVersion}`);
      const runs = Math.max(5, Math.round(31 * ctx.scale));
      return [
        startupFigure('cli.startup.version', ['--version'], runs, true),
        // --help loads every command for its synopsis (electron/cli/commands.ts): shown for scale.
        startupFigure('cli.startup.help', ['--help'], Math.max(3, Math.round(runs / 3)), false),
      ];
    },
  },
];
